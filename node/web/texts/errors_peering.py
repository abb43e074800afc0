"""What the partner nodes' error codes (peer.*, the console's 提携先) say to a person
(`error:<code>`), in Japanese and English; conventions in node/web/texts/errors.py."""

from __future__ import annotations

# key: ("error:" + code): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    # peer.*: partner nodes (the console's 提携先)
    "error:peer.refused": (
        "提携先からのメッセージを受け付けませんでした。何も変更されていません。",
        "A partner's message was refused; nothing was changed.",
    ),
    "error:peer.unusable_url": (
        "提携先のアドレスの角かっこの中が IPv6 アドレスではありません。アドレスを直してください。",
        "The part of the address in square brackets is not an IPv6 address. Please correct the"
        " partner's URL.",
    ),
    "error:peer.is_self": (
        "自分のノードを提携先として登録することはできません。相手のノードのアドレスを入力してください。",
        "A node cannot be its own partner. Please enter the other node's address.",
    ),
    "error:peer.not_found": (
        "この提携先は見つかりません。提携先の一覧から選び直してください。",
        "We could not find that partner. Please choose it again from the list of partners.",
    ),
    "error:peer.malformed": (
        "提携先からのメッセージの形式が正しくありません。相手の管理者に連絡してください。",
        "The partner's message is not well formed. Please contact the partner's administrator.",
    ),
    "error:peer.bad_signature": (
        "メッセージの署名を確かめられませんでした。登録されている提携先の鍵と一致しません。",
        "The message's signature does not match the partner's registered key.",
    ),
    "error:peer.unknown_sender": (
        "送り主はこのノードの提携先として登録されていません。先に提携先として登録してください。",
        "The sender is not a registered partner of this node. Please register it first.",
    ),
    "error:peer.pending": (
        "提携の手続きが終わっていません。双方が相手を登録すると取引できるようになります。",
        "The partnership is pending: both sides must register each other first.",
    ),
    "error:peer.suspended": (
        "この提携先との取引は停止中です。提携先の画面で再開できます。",
        "The partnership is suspended on this node. You can resume it on the partner's page.",
    ),
    "error:peer.wrong_recipient": (
        "このメッセージはほかのノード宛てです。",
        "This message is addressed to another node.",
    ),
    "error:peer.expired": (
        "メッセージの有効期間外です (期限切れか、日時が未来)。双方のサーバーの時計を確かめてください。",
        "The message is outside its validity window. Please check both servers' clocks.",
    ),
    "error:peer.unknown_type": (
        "このノードはこの種類のメッセージを受け付けていません。双方のバージョンを確かめてください。",
        "This node does not accept that kind of message. Please check both nodes' versions.",
    ),
    "error:peer.replayed": (
        "このメッセージの番号はすでに使われています (再送の重複)。",
        "This message repeats a sequence number already used (a duplicate resend).",
    ),
    "error:peer.sequence_gap": (
        "この前のメッセージが届いていません。抜けている番号から送り直してください。",
        "Earlier messages are missing. Please resend from the expected number.",
    ),
    "error:peer.fork": (
        "このメッセージは前のメッセージとつながっていません。提携先の管理者と確認してください。",
        "This message does not follow the previous one. Please check with the partner's"
        " administrator.",
    ),
    "error:peer.history_forked": (
        "提携先が同じ位置に別の内容のメッセージを署名しました (古いバックアップからの復元など)。"
        "双方の管理者が監査記録を照合するまで、この提携は停止されます。",
        "The partner signed two different messages for the same place (restored from an old"
        " backup?). The partnership is suspended until both administrators compare their audit"
        " records.",
    ),
    "error:peer.idempotency_conflict": (
        "同じメッセージ番号で別の内容がすでに届いています。",
        "A different message was already received under this message id.",
    ),
    "error:peer.invite_invalid": (
        "この招待は正しくありません。提携先に新しい招待を送ってもらってください。",
        "This invitation is not valid. Please ask the partner for a new one.",
    ),
    "error:peer.invite_expired": (
        "この招待は有効期限が切れています。提携先に新しい招待を送ってもらってください。",
        "This invitation has expired. Please ask the partner for a new one.",
    ),
    "error:peer.invite_used": (
        "この招待はすでに使われています。招待は1回しか使えません。新しい招待をもらってください。",
        "This invitation was already used; each works once. Please ask for a new one.",
    ),
    "error:peer.join_refused": (
        "提携先が参加を断りました。ここでは何も登録されていません。[理由: {partner_code:error}]"
        "招待が使用済みか期限切れの場合は、新しい招待をもらってください。",
        "The partner refused to join; nothing was registered here.[ Reason: {partner_code:error}]"
        " If the invitation was used or expired, please ask for a new one.",
    ),
    "error:peer.channel_parked": (
        "この提携先への送信が止まっているメッセージがあります。"
        "提携先の画面で、そのメッセージを署名し直すか取り下げてください。",
        "A message to this partner is parked and blocks the others. Please re-sign or drop it"
        " on the partner's page.",
    ),
    "error:peer.not_parked": (
        "その位置に止まっているメッセージはありません。提携先の画面を再読み込みしてください。",
        "No message is parked at that position. Please reload the partner's page.",
    ),
    "error:peer.drop_not_allowed": (
        "このメッセージは取り下げられません。代わりに署名し直してください。",
        "This message cannot be dropped. Please re-sign it instead.",
    ),
    "error:peer.resign_not_allowed": (
        "このメッセージは署名し直せません。"
        "提携先の管理者にご相談ください (運用ガイド「止まったメッセージ」)。",
        "These messages cannot be signed again. Please contact the partner's administrator"
        " (operations guide, Parked messages).",
    ),
    "error:peer.exists": (
        "この提携先はすでに登録されています。提携先の一覧で状態を確かめてください。",
        "That partner is already registered. Please check its status in the list of partners.",
    ),
    "error:peer.removed": (
        "この提携先は削除済みのため、停止や再開はできません。"
        "もう一度取引するには、新しく登録してください。",
        "That partner was removed, so it can no longer be suspended or resumed. To work with it"
        " again, register it anew.",
    ),
}
