"""Page text of the wallet's shop: products on sale, the card form, the payment's result."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "shop_title": ("商品券を買う", "Buy a voucher"),
    "shop_link": ("商品券を買う (カード払い)", "Buy a voucher (by card)"),
    "shop_none": ("いま販売中の商品券はありません。", "No voucher is on sale right now."),
    "shop_disabled": (
        "このお店ではまだカードでお買い求めいただけません。店頭でお求めください。",
        "Card payments are not set up here yet; please buy at a store's counter.",
    ),
    "shop_face": ("券面額", "Face value"),
    "shop_price": ("お支払い額", "Price"),
    "shop_premium": ("プレミアム", "Premium"),
    "shop_validity": ("有効期限", "Valid"),
    "shop_valid_days_before": ("購入から", ""),
    "shop_valid_days_after": ("日間", " days from purchase"),
    "shop_valid_through": ("まで", " (last day)"),
    "shop_no_expiry": ("なし", "No expiry"),
    "shop_choose": ("この商品券を選ぶ", "Choose this voucher"),
    "shop_total": ("お支払い合計", "Total to pay"),
    "shop_read_first": (
        "お支払いの前に、下の表示 (資金決済法に基づく表示) をお読みください。",
        "Before paying, please read the display below (required by the Payment Services Act).",
    ),
    "shop_card": ("カード情報", "Card"),
    "shop_pay": ("カードで支払う", "Pay by card"),
    "shop_paying": ("処理中…", "Processing…"),
    "shop_card_error": (
        "カード情報を確認できませんでした。入力を見直してください。",
        "The card details could not be checked; please look at what you typed.",
    ),
    "shop_needs_script": (
        "カード払いには JavaScript が必要です。",
        "Paying by card needs JavaScript.",
    ),
    "shop_confirm_title": ("カードの本人確認", "Card authentication"),
    "shop_confirm_hint": (
        "カード会社の本人確認 (3-Dセキュア) を行います。画面の案内に従ってください。",
        "Your card issuer asks you to confirm the payment (3-D Secure); follow the steps shown.",
    ),
    "shop_confirm_go": ("本人確認を始める", "Start authentication"),
    "shop_result_title": ("お支払い結果", "Payment result"),
    "shop_issued": ("ご購入ありがとうございます", "Thank you for your purchase"),
    "shop_issued_hint": (
        "商品券はマイ商品券に入りました。",
        "The voucher is in your wallet.",
    ),
    "shop_open_voucher": ("商品券を開く", "Open the voucher"),
    "shop_receipt": ("領収書 (PDF)", "Receipt (PDF)"),
    "shop_failed": ("カードが承認されませんでした", "The card was declined"),
    "shop_failed_hint": (
        "請求はありません。商品券は発行されていません。別のカードでお試しください。",
        "Nothing was charged and no voucher was issued. Please try another card.",
    ),
    "shop_refunded": ("返金しました", "Refunded"),
    "shop_refunded_hint": (
        "お支払いは完了しましたが、商品券を発行できなかったため (販売上限・売り切れ・販売終了)、"
        "全額をカードに返金しました。",
        "The payment went through but the voucher could not be issued (limit reached, sold out or"
        " no longer on sale), so the whole amount was refunded to your card.",
    ),
    "shop_refunding": ("返金の手続き中です", "Refund under way"),
    "shop_refunding_hint": (
        "商品券を発行できなかったため、全額を返金します。しばらくしてからこの画面を開き直してください。",
        "The voucher could not be issued, so the whole amount is being refunded. Please open"
        " this page again shortly.",
    ),
    "shop_pending": ("お支払いを確認しています", "Checking the payment"),
    "shop_pending_hint": (
        "カード会社からの結果を待っています。しばらくしてから更新してください。"
        "1時間たっても完了しないお支払いは取り消され、商品券は発行されません。",
        "We are waiting for the card processor's answer; please reload shortly. A payment not"
        " completed within an hour is cancelled and issues nothing.",
    ),
    "shop_reload": ("結果を更新する", "Check again"),
    "shop_cancelled": ("お支払いは取り消されました", "The payment was cancelled"),
    "shop_cancelled_hint": (
        "完了しなかったため取り消しました。請求はなく、商品券は発行されていません。",
        "It was not completed and was cancelled: nothing was charged and no voucher issued.",
    ),
    "shop_back": ("商品券の一覧へ", "Back to the vouchers on sale"),
    "shop_amount": ("お支払い額", "Amount"),
    "shop_product": ("商品", "Product"),
    "shop_payment_no": ("お支払い番号", "Payment no."),
    "field:payment_method": ("カード情報", "Card details"),
}

# the console's card payments (/admin/payments)
TEXTS.update(
    {
        "nav_payments": ("カード決済", "Card payments"),
        "pay_title": ("カード決済 (オンライン販売)", "Card payments (online sales)"),
        "pay_one_title": ("カード決済の詳細", "Card payment"),
        "pay_all": ("すべて", "All"),
        "pay_none": ("カード決済はまだありません。", "No card payment yet."),
        "pay_when": ("日時", "When"),
        "pay_updated": ("最終更新", "Last change"),
        "pay_status": ("状態", "Status"),
        "pay_amount": ("金額", "Amount"),
        "pay_customer": ("お客様", "Customer"),
        "pay_product": ("商品", "Product"),
        "pay_voucher": ("商品券", "Voucher"),
        "pay_fee": ("決済手数料", "Fee"),
        "pay_refund": ("返金", "Refund"),
        "pay_intent": ("決済代行の決済番号", "Stripe PaymentIntent"),
        "pay_failure": ("理由コード", "Reason code"),
        "pay_attention": ("要確認", "Needs attention"),
        "pay_status_pending": ("確認中", "Pending"),
        "pay_status_issued": ("発行済み", "Issued"),
        "pay_status_refunding": ("返金待ち", "Refund due"),
        "pay_status_refunded": ("返金済み", "Refunded"),
        "pay_status_failed": ("承認されず", "Declined"),
        "pay_status_cancelled": ("取り消し", "Cancelled"),
    }
)
