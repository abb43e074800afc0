"""Page texts of refunds and the business abolition (払戻し, 資金決済法20条): the console's
voucher refund, its refunds page and home notice, and the wallet's refund claim."""

from __future__ import annotations

# key: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    # the journal kind, in the wallet's history and the console's records
    "kind_refund": ("払戻し", "Refund"),
    "rc_kind_refund": ("払戻し (資金決済法20条)", "Refund (Payment Services Act, Art. 20)"),
    # console
    "nav_refunds": ("払戻し", "Refunds"),
    "rf_title": ("払戻し", "Refunds"),
    "rf_law": (
        "資金決済法第20条により、商品券の残高の払戻しは原則禁止です。"
        "できるのは、事業の廃止(公告と60日以上の申出期間)のとき、"
        "府令の少額の場合(基準期間ごとの上限まで)、"
        "やむを得ない事情(利用できない地域への転居、海外への転出)のときだけです。",
        "The Payment Services Act (Article 20) bans paying back voucher balances, except on the"
        " abolition of the business (a public notice and a claim period of at least 60 days),"
        " in the ordinance's small-amount case (up to a limit per reference period) and in"
        " unavoidable cases (moving where the vouchers cannot be used, leaving Japan).",
    ),
    "rf_ground": ("払戻しの理由の区分", "Ground"),
    "rf_ground_none": ("(なし:払戻しできません)", "(none: no refund is allowed)"),
    "rf_ground_small_amount": ("少額の払戻し (府令)", "Small amount (ordinance)"),
    "rf_ground_unavoidable": ("やむを得ない事情 (府令)", "Unavoidable circumstances (ordinance)"),
    "rf_ground_abolition": ("事業の廃止 (払戻し請求)", "Abolition of the business (claim)"),
    "rf_reason": ("事情 (やむを得ない事情では必須)", "Reason (required if unavoidable)"),
    "rf_button": ("払戻しへ進む", "Go on to the refund"),
    "rf_nothing": (
        "この商品券には払い戻せる残高がありません。",
        "This voucher has no balance to refund.",
    ),
    "rf_refunded": ("払戻し済み", "Refunded"),
    "rf_claim_waiting": ("払戻し請求あり (未払い)", "Refund claimed (not paid yet)"),
    "rf_open_page": ("払戻しのページへ", "Open the refunds page"),
    "rf_confirm_title": ("払戻しの確認", "Confirm the refund"),
    "rf_confirm_lead": (
        "残高の全額を本部の現金から払い戻し、この商品券を無効にします。元に戻せません。",
        "The whole balance is paid back from head office's cash and the voucher is voided."
        " This cannot be undone.",
    ),
    "rf_amount": ("払戻額", "Amount"),
    "rf_do_refund": ("払い戻す", "Refund"),
    "rf_small_title": (
        "少額の払戻し (基準期間ごと)",
        "Small-amount refunds (per reference period)",
    ),
    "rf_small_rule": (
        "上限は、前の基準期間の発行額の20%と、前の基準日の未使用残高の5%の大きい方です"
        "(府令の条文で確認してください)。",
        "The limit is the larger of 20% of the previous period's issuance and 5% of the"
        " previous reference date's unused balance (check it against the ordinance).",
    ),
    "rf_period": ("基準期間", "Reference period"),
    "rf_prev_issued": ("前期間の発行額", "Issued in the previous period"),
    "rf_prev_unused": ("前基準日の未使用残高", "Unused at the previous reference date"),
    "rf_small_limit": ("今期間の上限", "This period's limit"),
    "rf_small_used": ("今期間の少額払戻し", "Small-amount refunds this period"),
    "rf_list": ("払戻しの記録", "Refunds made"),
    "rf_none": ("払戻しはまだありません。", "No refunds yet."),
    "rf_when": ("日時", "When"),
    "rf_abolition": ("事業の廃止 (払戻し手続)", "Business abolition (refund procedure)"),
    "rf_state_announced": (
        "事業の廃止を記録しました。公告日から払戻し請求を受け付けます。",
        "The abolition is recorded; refund claims are taken from the notice date.",
    ),
    "rf_state_open": ("払戻し請求の受付期間中です。", "Refund claims are being taken."),
    "rf_state_closed": (
        "申出期間は終了しました。申出のない残高は除斥されます。",
        "The claim period has ended; balances not claimed are excluded.",
    ),
    "rf_notice_date": ("公告日", "Public notice date"),
    "rf_claim_until": ("申出期間の最終日", "Last day of the claim period"),
    "rf_claims": ("払戻し請求", "Refund claims"),
    "rf_no_claims": ("請求はまだありません。", "No claims yet."),
    "rf_unpaid": ("未払い", "Not paid"),
    "rf_claimed": ("請求額", "Claimed"),
    "rf_paid": ("支払済み", "Paid"),
    "rf_account": ("振込先", "Pay to"),
    "rf_claimed_at": ("請求日時", "Claimed at"),
    "rf_payment": ("支払", "Payment"),
    "rf_reference": ("振込の参照番号", "Transfer reference"),
    "rf_do_pay": ("支払済みにする", "Mark paid"),
    "rf_record_title": ("本部で受け付ける請求", "A claim taken by head office"),
    "rf_record_hint": (
        "お持ちの方のいない商品券(受け取られていない店頭販売や贈呈)は、商品券(番号)を"
        "お持ちになった方の請求を本部で記録します。残高は請求の時点で払戻し用に確保されます。",
        "For a voucher nobody holds (a counter sale nobody took, a gift not received), record"
        " the claim of the person who brings it (its number). Its balance is set aside at once.",
    ),
    "rf_do_record": ("請求を記録する", "Record the claim"),
    "done_rf_recorded": ("払戻し請求を記録しました。", "The refund claim is recorded."),
    "rf_type_ordinary": ("普通", "Ordinary"),
    "rf_type_current": ("当座", "Current"),
    "rf_type_savings": ("貯蓄", "Savings"),
    "rf_abolish_hint": (
        "事業の全部または一部を廃止するときは、公告し、{days}日以上の申出期間を設けて"
        "払い戻します。公告日と申出期間の最終日を入れてください。",
        "To abolish all or part of the business, publish a notice and pay back claims made in"
        " a period of at least {days} days. Give the notice date and the last claim day.",
    ),
    "rf_abolish_confirm_title": ("事業の廃止の確認", "Confirm the abolition"),
    "rf_abolish_confirm_lead": (
        "公告日からお客様のウォレットに払戻し請求を表示します。同時に開ける手続は一つだけです。",
        "From the notice date every holder's wallet offers a refund claim. Only one procedure"
        " can be open at a time.",
    ),
    "rf_do_abolish": ("廃止を記録して申出を受け付ける", "Record it and take claims"),
    "done_rf_abolished": ("事業の廃止を記録しました。", "The abolition is recorded."),
    "done_rf_paid": ("支払を記録し、払戻しを計上しました。", "The payment is recorded and booked."),
    "done_rf_refunded": (
        "払い戻しました。この商品券は無効です。",
        "Refunded; the voucher is void.",
    ),
    # wallet
    "rw_title": ("払戻し請求", "Refund claim"),
    "rw_offer": (
        "発行者が事業を廃止するため、この商品券の残高の払戻しを請求できます。",
        "The issuer is closing the business: you can claim this voucher's balance back.",
    ),
    "rw_home": (
        "発行者の事業の廃止により、{until} まで商品券の残高の払戻しを請求できます。"
        "各商品券の画面から請求してください。",
        "The issuer is closing the business: until {until} you can claim your vouchers'"
        " balances back, from each voucher's screen.",
    ),
    "rw_claim_button": ("払戻しを請求する", "Claim a refund"),
    "rw_notice": (
        "公告日 {notice}。払戻しの申出は {until} まで受け付けます。",
        "Public notice {notice}. Claims are taken until {until}.",
    ),
    "rw_amount": ("払戻額", "Amount"),
    "rw_explain": (
        "残高の全額をお振り込みします。請求すると、この商品券は使えなくなります(残高は払戻額になります)。",
        "The whole balance is paid to your bank account. Once claimed, the voucher cannot be"
        " used any more: its balance becomes the amount to pay.",
    ),
    "rw_submit": ("この口座に払戻しを請求する", "Claim to this account"),
    "rw_to": ("振込先", "Pay to"),
    "rw_state": ("状況", "Status"),
    "rw_waiting": ("請求を受け付けました (お支払い待ち)", "Claim received (awaiting payment)"),
    "rw_paid": ("お支払い済み", "Paid"),
    "rw_see_claim": ("請求の内容を見る", "See the claim"),
    "rw_closed": (
        "払戻しの申出期間は終了しました。",
        "The refund claim period has ended.",
    ),
    "rw_not_open": (
        "いまは払戻しの申出期間ではありません。",
        "No refund claim period is open now.",
    ),
    "rw_nothing": (
        "この商品券には払い戻す残高がありません。",
        "This voucher has no balance to refund.",
    ),
}
