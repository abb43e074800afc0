"""What the refund.* error codes say to a person (`error:<code>`), in Japanese and English;
conventions in node/web/texts/errors.py."""

from __future__ import annotations

# key: ("error:" + code): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "error:refund.refused": (
        "払戻しはお受けできませんでした。何も変更されていません。",
        "The refund was refused; nothing was changed.",
    ),
    "error:refund.prohibited": (
        "資金決済法第20条により、商品券の残高の払戻しは原則としてできません。"
        "払戻しができるのは、事業の廃止(公告と60日以上の申出期間)のとき、"
        "または府令の定める少額の場合・やむを得ない事情(利用できない地域への転居、海外への転出)の"
        "場合だけです。何も変更されていません。",
        "The Payment Services Act (Article 20) prohibits paying back a voucher's balance, except"
        " on the abolition of the business (a public notice and a claim period of at least 60"
        " days) and in the ordinance's small-amount and unavoidable cases (moving where the"
        " vouchers cannot be used, leaving Japan). Nothing was changed.",
    ),
    "error:refund.small_amount_exceeded": (
        "この基準期間の少額払戻しの上限に達するため、払戻しできません。何も変更されていません。",
        "This refund would pass the small-amount limit of this reference period; nothing was"
        " changed.",
    ),
    "error:refund.window_closed": (
        "払戻しの申出期間は終了しました。新しい申出はお受けできません。",
        "The refund claim period has ended; no new claim is accepted.",
    ),
    "error:refund.window_not_open": (
        "いまは払戻しの申出期間ではありません。",
        "No refund claim period is open now.",
    ),
    "error:refund.abolition_open": (
        "事業の廃止はすでに公告され、申出期間が終わっていません。同時に二つは開けません。",
        "A business abolition is already announced and its claim period has not ended.",
    ),
    "error:refund.business_abolished": (
        "事業の廃止を公告したため、商品券の販売は停止しています。代金は受け取らないでください。",
        "Vouchers are no longer sold: the business abolition has been announced."
        " Do not take payment.",
    ),
    "error:refund.claim_period_too_short": (
        "申出期間の最終日は、公告日から60日以上あとにしてください(資金決済法第20条第2項)。",
        "The claim period must end at least 60 days after the public notice date.",
    ),
    "error:refund.notice_in_past": (
        "公告日には今日以降の日付を入れてください。",
        "The public notice date cannot be in the past; give today or a later day.",
    ),
    "error:refund.claim_exists": (
        "この商品券の払戻しはすでに申し出られています。ご指定の口座にお支払いします。",
        "A refund claim was already made for this voucher; it will be paid to the account given.",
    ),
    "error:refund.claim_paid": (
        "この払戻しの申出はすでに支払済みです。",
        "This refund claim has already been paid.",
    ),
    "error:refund.nothing_to_refund": (
        "この商品券には払い戻す残高がありません。",
        "The voucher has no unused balance to pay back.",
    ),
    "error:refund.amount_mismatch": (
        "払戻額が商品券の残高と一致しません。もう一度ご確認ください。",
        "The amount is not the voucher's whole balance; please look at the voucher again.",
    ),
    "error:refund.not_holder": (
        "払戻しを申し出られるのは、この商品券をお持ちの方だけです。",
        "Only the voucher's holder can claim its refund.",
    ),
    "error:refund.voucher_held": (
        "この商品券にはお持ちの方(アカウント)がいます。ご本人のウォレットから請求してもらってください。",
        "This voucher has a holder: they claim its refund from their own wallet.",
    ),
    "field:claimant_name": ("請求者の氏名", "Claimant's name"),
    "field:voucher_id": ("商品券番号", "Voucher number"),
    "error:refund.invalid_bank_account": (
        "口座の情報が足りません。銀行名、支店名、口座の種類、7桁の口座番号、"
        "口座名義(カタカナ)を入力してください。",
        "The bank account is not complete: give the bank and branch names, the account type, a"
        " 7-digit account number and the holder's name in katakana.",
    ),
    "error:refund.reason_required": (
        "やむを得ない事情による払戻しには、事情(転居先で使えない、海外へ転出する等)を入力してください。",
        "A refund for unavoidable circumstances needs its reason (moving where the vouchers"
        " cannot be used, leaving Japan).",
    ),
    "error:refund.claim_not_found": (
        "その払戻しの申出は見つかりません。",
        "No refund claim has that id.",
    ),
    # the fields a refund.* or abolition error can name (`{field:label}`)
    "field:ground": ("払戻しの理由の区分", "Ground of the refund"),
    "field:notice_date": ("公告日", "Public notice date"),
    "field:claim_until": ("申出期間の最終日", "Last day of the claim period"),
    "field:bank_name": ("銀行名", "Bank"),
    "field:branch_name": ("支店名", "Branch"),
    "field:account_type": ("口座の種類", "Account type"),
    "field:account_number": ("口座番号", "Account number"),
    "field:account_holder": ("口座名義(カタカナ)", "Account holder (katakana)"),
}
