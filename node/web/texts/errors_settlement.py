"""What the settlement.* and audit.* error codes say to a person (`error:<code>`), in Japanese
and English; conventions in node/web/texts/errors.py."""

from __future__ import annotations

# key: ("error:" + code): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    # settlement.*: claims, statements and payments between partners
    "error:settlement.refused": (
        "精算の操作はできませんでした。何も変更されていません。",
        "The settlement operation was refused; nothing was changed.",
    ),
    "error:settlement.partner_not_active": (
        "この商品券の発行元は現在の提携先ではないため、ここでは使えません。",
        "This voucher's issuer is not an active partner, so it cannot be used here.",
    ),
    "error:settlement.exposure_limit": (
        "この提携先の未精算額が上限[ ({limit:yen})]に達しています。"
        "精算されるまで、この提携先の商品券は受け付けられません。",
        "This partner's unsettled total has reached its limit[ ({limit:yen})]. Its vouchers"
        " cannot be accepted until it pays.",
    ),
    "error:settlement.pending": (
        "この提携先との請求・取消・入金確認がまだ処理中です。返事が届いてから、もう一度お試しください。",
        "Claims, voids or a payment confirmation with this partner are still on their way."
        " Please try again once they are answered.",
    ),
    "error:settlement.claim_pending": (
        "発行元がこの請求をまだ確認していません。返事を待ってください。",
        "The issuer has not decided this claim yet. Please wait for its answer.",
    ),
    "error:settlement.void_not_allowed": (
        "この請求は今は取り消せません (取り消せるのは承認済みで、まだ精算書に入っていない請求だけです)。",
        "This claim cannot be voided now (only an accepted claim not yet in a statement can be).",
    ),
    "error:settlement.statement_open": (
        "この提携先との精算書がまだ返事を待っています。返事が届いてから、もう一度お試しください。",
        "A statement with this partner is still waiting for its answer. Please wait for it.",
    ),
    "error:settlement.not_payer": (
        "この精算書の支払い側はこのノードではありません。",
        "This node is not the payer of that statement.",
    ),
    "error:settlement.not_payee": (
        "この精算書の受け取り側はこのノードではありません。",
        "This node is not the payee of that statement.",
    ),
    "error:settlement.statement_state": (
        "この精算書の状態では、この操作はできません。精算書の状態を確かめてください。",
        "The statement's status does not allow this. Please check its status.",
    ),
    "error:settlement.statement_too_large": (
        "1つの精算書に入れる請求が多すぎます[ ({claims}件)]。締め日時を早めてください。",
        "Too many claims for one statement[ ({claims})]. Please choose an earlier cut-off.",
    ),
    "error:settlement.nothing_to_settle": (
        "この締め日時までに、この提携先と新しく精算するものはありません。",
        "There is nothing new to settle with this partner up to that cut-off.",
    ),
    "error:settlement.claim_rejected": (
        "発行元がこの利用を承認しませんでした。[理由: {reason:error}]お支払いは受けないでください。",
        "The issuer rejected this redemption.[ Reason: {reason:error}] Do not take the payment.",
    ),
    "error:settlement.claim_not_found": (
        "この請求は見つかりません。請求の一覧から選び直してください。",
        "We could not find that claim. Please choose it again from the list of claims.",
    ),
    "error:settlement.statement_not_found": (
        "この精算書は見つかりません。精算書の一覧から選び直してください。",
        "We could not find that statement. Please choose it again from the list of statements.",
    ),
    # audit.*
    "error:audit.refused": (
        "監査の操作はできませんでした。何も変更されていません。",
        "The audit operation was refused; nothing was changed.",
    ),
    "error:audit.not_in_log": (
        "この請求や精算書は、チェックポイントまでの記録にまだありません。"
        "最近のものなら、先にチェックポイントを作ってください。",
        "That claim or statement is not yet in the part of the log a checkpoint covers. If it is"
        " recent, make a checkpoint first.",
    ),
    "error:audit.no_checkpoint": (
        "精算記録のチェックポイントがまだありません。先にチェックポイントを作ってください。",
        "The settlement log has no checkpoint yet. Please make one first.",
    ),
    "error:audit.bundle_unreadable": (
        "このファイルは、この版の Kippu が読める監査記録ではありません。",
        "This file is not an audit bundle this version of Kippu can read.",
    ),
    "error:audit.bad_entry": (
        "精算記録の中に正しくない項目があります。検証結果の詳細を確かめてください。",
        "An entry of the settlement log is not what it should be. Please see the verifier's"
        " details.",
    ),
}
