"""Console text: partners and the audit log."""

from __future__ import annotations

# key: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    # -- partners (提携先) ---------------------------------------------------------------------
    "pt_title": ("提携先", "Partners"),
    "pt_us": ("自社ノード", "This node"),
    "pt_our_fingerprint": ("自社の指紋", "Our fingerprint"),
    "pt_read_aloud": (
        "提携先と電話で指紋を読み合わせ、相手の画面の表示と一致することを確認してください。",
        "Read the fingerprint to your partner on the phone; it must match what their page "
        "shows for you.",
    ),
    "pt_key_fingerprint": ("現在の署名鍵の指紋", "Current signing key's fingerprint"),
    "pt_node_id": ("ノードID", "Node id"),  # noqa: RUF001 (katakana, not a slash)
    "pt_url": ("URL", "URL"),
    "pt_name": ("会社名", "Company"),
    "pt_fingerprint": ("指紋", "Fingerprint"),
    "pt_registered_us": ("相手側の登録", "They registered us"),
    "pt_yes": ("済み", "Yes"),
    "pt_no": ("未", "Not yet"),
    "pt_limit": ("受取上限 (売掛)", "Exposure limit (receivable)"),
    "pt_no_limit": ("上限なし", "No limit"),
    "pt_queued": ("未送信", "Queued"),
    "pt_last_error": ("最後の送信エラー", "Last delivery error"),
    "pt_status_pending": ("相手の登録待ち", "Waiting for partner"),
    "pt_status_active": ("有効", "Active"),
    "pt_status_suspended": ("停止中", "Suspended"),
    "pt_status_removed": ("削除済み", "Removed"),
    "pt_no_partners": ("提携先はまだありません。", "No partners yet."),
    "pt_invite": ("提携先を招待", "Invite a partner"),
    "pt_invite_hint": (
        "招待コードを作り、提携先の管理者に安全な方法で渡してください。1回だけ使えます。",
        "Make an invitation and give it to the partner's admin by a safe channel. It works once.",
    ),
    "pt_hours": ("有効時間 (1〜720時間)", "Valid for (1-720 hours)"),
    "pt_make_invite": ("招待コードを作る", "Make the invitation"),
    "pt_invitation": ("招待コード", "Invitation"),
    "pt_invite_expires": ("有効期限", "Valid until"),
    "pt_invite_copy": (
        "全文をコピーして提携先に渡してください。このページを離れると再表示できません。",
        "Copy all of it to your partner. It cannot be shown again once you leave this page.",
    ),
    "pt_invite_qr": ("招待コードのQR", "The invitation as a QR code"),
    "pt_invite_no_qr": (
        "招待コードが長すぎるためQRコードにできません。文字で渡してください。",
        "The invitation is too long for a QR code; pass it on as text.",
    ),
    "pt_join": ("招待コードで提携", "Join with an invitation"),
    "pt_join_hint": (
        "提携先から受け取った招待コードを貼り付けてください。すぐに相手へ登録を送ります。",
        "Paste the invitation your partner sent you. Our registration is sent at once.",
    ),
    "pt_join_button": ("提携する", "Join"),
    "pt_add": ("ノードIDとURLで登録", "Add by node id and URL"),  # noqa: RUF001
    "pt_add_hint": (
        "招待コードを使わない方法です。相手側でも自社を登録すると有効になります。",
        "The manual way: the partnership becomes active once they register us too.",
    ),
    "pt_optional": ("任意", "optional"),
    "pt_limit_input": ("受取上限 (円、空欄で上限なし)", "Exposure limit (yen, empty: no limit)"),
    "pt_add_button": ("登録する", "Add"),
    "pt_back": ("提携先一覧へ", "Back to partners"),
    "pt_ping": ("疎通確認", "Ping"),
    "pt_ping_hint": (
        "相手のノードに確認メッセージを送り、届いたかを表示します。",
        "Sends the partner's node a ping and shows whether it arrived.",
    ),
    "pt_suspend": ("取引を停止", "Suspend"),
    "pt_suspend_hint": (
        "停止中は相手からのメッセージを受け付けず、こちらからも送りません。債権債務はそのまま残ります。",
        "While suspended we accept nothing from the partner and send nothing. Nothing owed is lost.",
    ),
    "pt_resume": ("取引を再開", "Resume"),
    "pt_set_limit": ("上限を保存", "Save limit"),
    "pt_remove": ("提携を削除", "Remove"),
    "pt_remove_hint": (
        "削除すると相手との通信をすべて止めます。債権債務と監査ログは残ります。",
        "Removing stops all exchange with the partner. What is owed and the audit log stay.",
    ),
    "pt_understood": (
        "提携を削除することを理解しました",
        "I understand this removes the partnership",
    ),
    "pt_status_note": (
        "停止・再開・削除はこのノードでの扱いです。相手には、送ったメッセージが拒否されることで伝わります。",
        "Suspend, resume and remove apply here; the partner notices when its messages are refused.",
    ),
    "done_pt_joined": ("提携先に登録を送りました。", "The registration was sent to the partner."),
    "done_pt_added": ("提携先を登録しました。", "The partner was added."),
    "done_pt_suspended": ("取引を停止しました。", "The partner was suspended."),
    "done_pt_resumed": ("取引を再開しました。", "The partner was resumed."),
    "done_pt_removed": ("提携を削除しました。", "The partner was removed."),
    "done_pt_limit_set": ("受取上限を保存しました。", "The exposure limit was saved."),
    "done_pt_limit_cleared": ("受取上限をなくしました。", "The exposure limit was removed."),
    "done_pt_ping_delivered": ("疎通確認が届きました。", "The ping was delivered."),
    "done_pt_ping_queued": (
        "疎通確認はまだ届いていません。下のエラーを確認してください。",
        "The ping has not arrived yet; see the error below.",
    ),
    # -- audit (監査) ----------------------------------------------------------------------------
    "au_title": ("監査ログ", "Audit log"),
    "au_intro": (
        "提携先とやり取りした精算メッセージはすべて署名付きで追記専用のログに残ります。"
        "チェックポイントはログ全体のハッシュに自社が署名したもので、提携先が矛盾のないことを確認して副署します。",
        "Every settlement message exchanged with partners is kept, signed, in an append-only log. "
        "A checkpoint is our signature on the hash of the whole log; partners countersign it "
        "after checking it extends the history they saw before.",
    ),
    "au_log_size": ("ログの件数", "Entries in the log"),
    "au_alarm_count": ("警告", "Alarms"),
    "au_alarms": ("警告", "Alarms"),
    "au_no_alarms": ("警告はありません。", "No alarms."),
    "au_alarm_theirs": ("提携先のログに矛盾", "Partner's log is inconsistent"),
    "au_alarm_ours": ("自社のログに矛盾の指摘", "A partner reports our log inconsistent"),
    "au_alarm_help": (
        "対応方法は運用ガイド (operations.md の「The settlement log」) を参照してください。",
        'What to do: see operations.md, "The settlement log".',
    ),
    "au_reason": ("理由", "Reason"),
    "au_detected": ("検知日時", "Detected"),
    "au_partner": ("提携先", "Partner"),
    "au_latest": ("最新のチェックポイント", "Latest checkpoint"),
    "au_no_checkpoint": (
        "チェックポイントはまだありません。",
        "No checkpoint yet.",
    ),
    "au_size": ("対象件数", "Entries covered"),
    "au_root": ("ルートハッシュ", "Root hash"),
    "au_created": ("作成日時", "Created"),
    "au_signature": ("自社の署名", "Our signature"),
    "au_cosignatures": ("提携先の副署", "Partners' countersignatures"),
    "au_received": ("受領日時", "Received"),
    "au_cosignature": ("副署", "Countersignature"),
    "au_no_cosignatures": ("副署はまだありません。", "No countersignature yet."),
    "au_not_cosigned": (
        "{name} はこのチェックポイントに副署していません。",
        "{name} has not countersigned this checkpoint.",
    ),
    "au_make_checkpoint": ("今すぐチェックポイントを作る", "Make a checkpoint now"),
    "au_export": ("監査用ファイルをダウンロード", "Download the audit bundle"),
    "au_export_hint": (
        "ファイルは kippu audit verify で、ノードIDだけを使いオフラインで検証できます。",  # noqa: RUF001
        "Check the file offline with kippu audit verify, given only the node ids.",
    ),
    "au_witnessed": ("提携先のログの立会い", "Partners' logs we witnessed"),
    "au_witnessed_hint": (
        "提携先のチェックポイントのうち、自社が矛盾がないことを確認して副署した最大のもの。",
        "The largest checkpoint of each partner's log that we checked and countersigned.",
    ),
    "au_witnessed_at": ("副署日時", "Countersigned"),
    "au_nothing_witnessed": ("まだありません。", "None yet."),
    "done_au_checkpoint_made": (
        "チェックポイントを作り、提携先に送りました。",
        "A checkpoint was made and sent to the partners.",
    ),
    "done_au_checkpoint_unchanged": (
        "前回のチェックポイントからログは増えていません。",
        "The log has not grown since the last checkpoint.",
    ),
}
