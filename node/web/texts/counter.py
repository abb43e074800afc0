"""Text of the counter's redemption (issue 15, item 2): the confirm step with 全額利用と差額, the
full-screen ✓ / ✗ result, the void confirmation and a sale resumed after signing in again."""

from __future__ import annotations

# key: (日本語, English). Keys start with counter_ (the sales pages have their own module).
TEXTS: dict[str, tuple[str, str]] = {
    "counter_short_title": ("残高が足りません", "The balance is too low"),
    "counter_short_hint": (
        "この商品券では全額をお支払いいただけません。残高をすべて使い、差額を別の方法で"
        "お受け取りください (全額利用＋差額)。または金額を直してください。",  # noqa: RUF001 (Japanese punctuation)
        "This voucher cannot pay the whole amount. Use its whole balance and take the rest"
        " another way (whole balance + the rest), or change the amount.",
    ),
    "counter_shortfall": ("不足額", "Short by"),
    "counter_redeem_blocked": ("利用する (残高不足)", "Redeem (balance too low)"),
    "counter_split_title": ("全額利用＋差額", "Whole balance + the rest"),  # noqa: RUF001 (Japanese punctuation)
    "counter_sale_total": ("お会計", "Sale total"),
    "counter_voucher_part": ("商品券で支払う額", "Paid by the voucher"),
    "counter_rest": ("差額 (別の方法でお支払い)", "The rest, paid another way"),
    "counter_method": ("差額のお支払い方法", "How the rest is paid"),
    "counter_method_cash": ("現金", "Cash"),
    "counter_method_card": ("カード端末", "Card terminal"),
    "counter_method_other": ("その他", "Other"),
    "counter_split_do": ("全額利用＋差額で支払う", "Use the whole balance, take the rest"),  # noqa: RUF001 (Japanese punctuation)
    "counter_split_note": (
        "商品券から引かれるのは残高の分だけです。差額はこの記録に残りますが、"
        "お受け取りはお店のレジ・端末でお願いします。",
        "Only the balance comes off the voucher. The rest is recorded here; take it at the"
        " store's till or terminal.",
    ),
    "counter_edit": ("金額・コードを直す", "Change the amount or code"),
    "counter_ok_icon": ("完了", "Done"),
    "counter_ng_icon": ("利用できませんでした", "Not redeemed"),
    "counter_wait_icon": ("確認中", "Waiting"),
    "counter_ng_hint": (
        "商品券から何も引かれていません。",
        "Nothing was taken from the voucher.",
    ),
    "counter_retry": ("やり直す (金額はそのまま)", "Try again (amount kept)"),
    "counter_rest_paid": ("差額", "Rest"),
    "counter_take_rest": ("差額をお受け取りください", "Take the rest"),
    "counter_void_entry": ("この利用を取り消す…", "Void this redemption…"),
    "counter_void_title": ("この利用を取り消しますか？", "Void this redemption?"),  # noqa: RUF001 (Japanese punctuation)
    "counter_void_hint": (
        "取り消すと、金額は商品券の残高に戻ります。取り消した利用は元に戻せません。",
        "Voiding returns the amount to the voucher's balance. A void cannot be undone.",
    ),
    "counter_void_amount": ("取り消す金額", "Amount to void"),
    "counter_redeemed_at": ("利用日時", "Redeemed at"),
    "counter_void_rest": (
        "差額はお店のレジ・端末からお客様にお返しください",
        "Give the rest back from the store's till or terminal",
    ),
    "counter_void_do": ("取り消す", "Void it"),
    "counter_void_keep": ("取り消さない", "Keep it"),
    "counter_voided_amount": ("取り消した金額", "Amount voided"),
    "counter_voided_balance": ("取消後の商品券残高", "Voucher balance after the void"),
    "counter_void_partner": (
        "提携先の商品券です。取り消しは発行元の確認後に完了します。",
        "A partner's voucher: the void completes once its issuer answers.",
    ),
    "counter_resume_title": ("ログインし直しました", "Signed in again"),
    "counter_resume_not_done": (
        "ログインの有効期限が切れていたため、直前の操作は行われていません。"
        "入力していた金額はそのままです。コードを読み取り直して続けてください。",
        "Your sign-in had expired, so the last action was not carried out. The amount you"
        " entered is kept; scan the code again and continue.",
    ),
    "counter_resume_done": (
        "直前の利用は完了しています (ログインし直す前に受け付けました)。"
        "もう一度お支払いを受けないでください。",
        "The last redemption went through before your sign-in expired. Do not charge the"
        " customer again.",
    ),
    "counter_resume_void_not_done": (
        "ログインの有効期限が切れていたため、取り消しは行われていません。"
        "取り消す場合は、もう一度確認してください。",
        "Your sign-in had expired, so the void was not carried out. Confirm it again to void.",
    ),
    "counter_resume_void_done": (
        "この利用の取り消しは完了しています。",
        "This redemption is already voided.",
    ),
    "field:rest": ("差額", "Rest"),
    "error:redemption.rest_not_whole_balance": (
        "差額を受け取れるのは、商品券の残高を全額使うときだけです。残高が変わった可能性があります。"
        "もう一度お確かめください。",
        "A rest is taken only when the voucher's whole balance is used; the balance may have"
        " changed. Check it again.",
    ),
    "error:redemption.rest_partner_voucher": (
        "差額の記録は自社の商品券だけでできます。提携先の商品券は使える金額だけ利用し、"
        "差額は別のお会計にしてください。",
        "The rest paid another way is recorded with our own vouchers only: redeem a partner's"
        " voucher for what it covers and take the rest as a separate payment.",
    ),
}
