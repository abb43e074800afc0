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
    # -- parked messages (保留中のメッセージ) -------------------------------------------------------
    "pt_parked": ("保留中", "Parked"),
    "pt_parked_title": (
        "相手に拒否されたメッセージ (保留中)",
        "A message the partner refused (parked)",
    ),
    "pt_parked_partner_text": (
        "相手からの説明 (原文)",
        "The partner's explanation (as it wrote it)",
    ),
    "pt_parked_at": ("保留した日時", "Parked at"),
    "pt_parked_hint": (
        "相手はこのメッセージを今後も受け付けません。この相手への送信は、対応するまで止まっています。",
        "The partner will never accept this message as it is; nothing more goes to this partner "
        "until you choose one of the ways out below.",
    ),
    "pt_resign": ("署名し直して送る", "Re-sign and send"),
    "pt_resign_hint": (
        "同じ順番のまま、新しい有効期限で署名し直して送ります (後に続くメッセージも同様)。",
        "Signs the message (and those waiting after it) again at the same position with a fresh "
        "validity window, and sends it.",
    ),
    "pt_drop": ("この登録を取り消す", "Drop this registration"),
    "pt_drop_hint": (
        "この登録メッセージは二度と送りません。相手の登録を待っている提携は削除されます。新しい招待コードで提携し直してください。",
        "This registration is never sent again; a partnership still waiting for the partner is "
        "removed. Join again with a new invitation.",
    ),
    "pt_rewind": ("この番号から送り直す", "Send again from this position"),
    "pt_rewind_from": ("送り直す最初の番号", "First position to send again"),
    "pt_rewind_hint": (
        "署名済みのメッセージをそのまま送り直します。相手がデータベースを古いバックアップから戻した場合などに使います。",
        "Sends the messages already signed again, as they are: for a partner that restored an "
        "older copy of its database.",
    ),
    "pt_parked_code_peer.invite_used": (
        "招待コードはすでに別のノードが使いました。",
        "The invitation was already used by another node.",
    ),
    "pt_parked_code_peer.invite_expired": (
        "招待コードの有効期限切れです。",
        "The invitation has expired.",
    ),
    "pt_parked_code_peer.invite_invalid": (
        "招待コードが相手に認識されません。",
        "The partner does not recognise the invitation.",
    ),
    "pt_parked_code_peer.expired": (
        "メッセージの有効期限 (30日) が過ぎました。",
        "The message's validity window (30 days) has passed.",
    ),
    "pt_parked_code_peer.fork": (
        "相手の記録と直前のメッセージが一致しません。",
        "The partner holds another previous message than ours.",
    ),
    "pt_parked_code_peer.history_forked": (
        "相手は同じ番号の別のメッセージを受け取っています。相手側で提携が停止されました。",
        "The partner holds another message at this position and suspended the partnership.",
    ),
    "pt_parked_code_peer.idempotency_conflict": (
        "同じIDの別のメッセージを相手がすでに受け取っています。",
        "The partner already received another message under this id.",
    ),
    "pt_parked_code_peer.replayed": (
        "相手はこの番号をすでに使用済みとしています。",
        "The partner says this position is already used.",
    ),
    "pt_parked_code_peer.wrong_recipient": (
        "メッセージの宛先が相手のノードと違います。",
        "The message is addressed to another node than the partner's.",
    ),
    "pt_parked_code_peer.malformed": (
        "相手はこのメッセージの形式を受け付けません。",
        "The partner does not accept the message's form.",
    ),
    "pt_parked_code_peer.exists": (
        "相手側ではすでに提携が登録されています。",
        "The partner has this partnership registered already.",
    ),
    "done_pt_resigned_delivered": (
        "署名し直して送り、相手が受け付けました。",
        "The message was signed again, sent, and accepted.",
    ),
    "done_pt_resigned_queued": (
        "署名し直しました。相手に届くまで再送します。",
        "The message was signed again; it is retried until the partner answers.",
    ),
    "done_pt_resigned_parked": (
        "署名し直して送りましたが、相手はまた拒否しました。理由を確認してください。",
        "The message was signed again and sent, but the partner refused it again; see why.",
    ),
    "done_pt_dropped": ("登録メッセージを取り消しました。", "The registration was dropped."),
    "done_pt_dropped_removed": (
        "登録メッセージを取り消し、相手の登録待ちだった提携を削除しました。",
        "The registration was dropped and the partnership waiting for it removed.",
    ),
    "done_pt_rewound": ("送り直しました。", "The messages were sent again."),
    "done_pt_join_queued": (
        "相手のノードに接続できませんでした。登録は届くまで再送します。",
        "The partner's node could not be reached; the registration is retried until it arrives.",
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
