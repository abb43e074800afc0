"""Text of the brand on the customer's pages, and of the receipt page (宛名, 但し書き, download)."""

from __future__ import annotations

# key: (日本語, English). The brand's and the sender's names stand between these parts.
TEXTS: dict[str, tuple[str, str]] = {
    "brand_gift_from": (" さんから ", " sent you a gift of "),
    "brand_gift_of": (" のギフトが届いています。", "."),
    "brand_voucher_of": (" の商品券です。", ": a voucher for you."),
    "receipt_title": ("領収書", "Receipt"),
    "receipt_open": ("領収書", "Receipt"),
    "receipt_date": ("日付", "Date"),
    "receipt_amount": ("金額", "Amount"),
    "receipt_store": ("店舗", "Store"),
    "receipt_proviso": ("但し書き", "For"),
    "receipt_addressee": ("宛名 (会社名・お名前)", "Addressed to (company or name)"),
    "receipt_addressee_hint": (
        "空欄のままでも発行できます。入力した宛名はこの端末に保存され、次回も使われます。",
        "You may leave it empty. What you type is kept on this device for next time.",
    ),
    "receipt_honorific": ("敬称", "Title"),
    "receipt_sama": ("様 (個人)", "様 (a person)"),
    "receipt_onchu": ("御中 (会社・団体)", "御中 (a company)"),
    "receipt_download": ("領収書をダウンロード (PDF)", "Download the receipt (PDF)"),
    "receipt_voided_note": (
        "このご利用は取り消されています。領収書には取消の印が入ります。",
        "This use was voided; the receipt is stamped void.",
    ),
    "receipt_partner_note": (
        "提携先でのご利用です。お買い物の適格請求書は、ご利用の提携先が発行します。",
        "Used at a partner: the partner who sold the goods issues the qualified invoice.",
    ),
    "receipt_addressee_invalid": (
        "宛名は改行のない60文字以内で入力してください。",
        "The addressee must be one line of at most 60 characters.",
    ),
}
