"""Text of selling at the counter, the sales waiting for their customer, cancelling a sale, and
the day's list and close (日計); with the Japanese and English of the sale errors."""

from __future__ import annotations

# key: (日本語, English). Templates call t("key").
TEXTS: dict[str, tuple[str, str]] = {
    "cs_products": ("商品を選ぶ", "Choose a product"),
    "cs_product_aria": ("額面", "Face value"),
    "cs_other_amount": ("金額を入力", "Or key an amount"),
    "cs_offer": ("商品", "Product"),
    "cs_no_offers": (
        "販売中の商品はありません。金額を入力して販売できます。",
        "No product is on sale now; key an amount to sell.",
    ),
    "cs_offer_price": ("販売価格", "Price"),
    "cs_offer_collect": ("お預かり金額", "Amount to collect"),
    "cs_confirm_title": ("販売内容の確認", "Confirm the sale"),
    "cs_method": ("お支払い方法", "Payment method"),
    "cs_confirm_hint": (
        "代金を受け取ってから「販売する」を押してください。押すと商品券が発行されます。",
        "Take the payment first, then press Sell: the voucher is issued when you press it.",
    ),
    "cs_legal_notice": (
        "発行者・使用できる場所・苦情相談窓口など資金決済法に基づく表示は、お客様が商品券を受け取る画面と"
        "レシートにもあります。全文: ",
        "The display under the Payment Services Act (issuer, where it can be used, the complaint"
        " desk, ...) is also on the page where the customer takes the voucher and on the receipt."
        " In full: ",
    ),
    "cs_legal_link": ("利用規約・法定表示", "Terms and legal display"),
    "cs_sell_button": ("販売する", "Sell"),
    "cs_paid_by": ("お支払い", "Paid by"),
    "cs_done": ("完了", "Done"),
    "cs_sale_repeat": (
        "この販売はすでに完了しています (同じ操作が2回送られました)。二重に販売していません。",
        "This sale was already made (the same form was sent twice); nothing was sold twice.",
    ),
    "cs_sale_taken": (
        "お客様がこの商品券を受け取り済みです。",
        "The customer has received this voucher.",
    ),
    "cs_shown_again": ("引き渡しQR (再表示)", "Hand-over QR (shown again)"),
    "cs_shown_again_hint": (
        "新しいQRを表示しました。前に表示したQRとリンクは使えなくなりました。",
        "A new QR is shown; the QR and link shown before no longer work.",
    ),
    "cs_unclaimed_title": ("受け取り待ちの商品券", "Vouchers waiting for their customer"),
    "cs_unclaimed_hint": (
        "お客様がまだQRを読み取っていない販売です。QRをもう一度表示できます。",
        "Sales whose QR the customer has not scanned yet; show the QR again from here.",
    ),
    "cs_unclaimed_none": ("受け取り待ちの商品券はありません。", "No voucher is waiting."),
    "cs_show_qr": ("QRを再表示", "Show QR again"),
    "cs_cancel_sale": ("販売を取り消す", "Cancel the sale"),
    "cs_cancel_this": ("この販売を取り消す", "Cancel this sale"),
    "cs_cancel_title": ("販売の取り消し", "Cancel a sale"),
    "cs_cancel_hint": (
        "取り消すと商品券は無効になり、引き渡しQRも使えなくなります。代金をお客様に返金してください。",
        "The voucher becomes void and its hand-over QR stops working. Refund the customer.",
    ),
    "cs_cancel_only_unreceived": (
        "取り消せるのは、お客様がまだ受け取っていない商品券だけです。",
        "Only a voucher the customer has not yet received can be cancelled.",
    ),
    "cs_refund": ("返金額", "Refund"),
    "cs_refund_by": ("返金方法", "Refund by"),
    "cs_sold_at": ("販売日時", "Sold at"),
    "cs_cancelled_title": ("販売を取り消しました", "Sale cancelled"),
    "cs_refund_now": ("次の金額を返金してください", "Refund this amount now"),
    "line_sale": ("販売", "Sale"),
    "line_sale_received": ("販売 (お客様が受取済み)", "Sale (received by the customer)"),
    "line_sale_cancelled": ("販売 (取消済み)", "Sale (cancelled)"),
    "cs_cut": (
        "件数が多いため、この日の一部だけを集計しています。本部のCSVで確認してください。",
        "This day has too many records; the figures cover only part of it. Check the console's CSV.",
    ),
    "cs_voucher_no": ("商品券", "Voucher"),
    # The day's totals and close (日計)
    "cs_totals_title": ("本日の合計", "Today's totals"),
    "cs_close_link": ("日計 (締め)", "Day close"),
    "cs_close_title": ("日計", "Day close"),
    "cs_close_day": ("営業日", "Business day"),
    "cs_close_show": ("表示", "Show"),
    "cs_print": ("印刷する", "Print"),
    "cs_sales_by_method": ("販売 (お支払い方法別)", "Sales by payment method"),
    "cs_col_method": ("方法", "Method"),
    "cs_count_unit": ("件", " sold"),
    "cs_count_unit_plain": ("件", " times"),
    "cs_cancels": ("販売の取消 (返金)", "Cancelled sales (refunded)"),
    "cs_col_sold": ("販売", "Sold"),
    "cs_col_cancelled": ("取消", "Cancelled"),
    "cs_col_net": ("差引", "Net"),
    "cs_total": ("合計", "Total"),
    "cs_redemptions": ("利用 (当社の商品券)", "Redemptions (our vouchers)"),
    "cs_partner_redemptions": ("利用 (提携先の商品券)", "Redemptions (partners' vouchers)"),
    "cs_voids": ("利用の取消", "Voided redemptions"),
    "cs_net_redemptions": ("利用の差引", "Net redemptions"),
    "cs_net_sales": ("販売の差引", "Net sales"),
    "cs_drawer": (
        "現金の増減 (販売と差額の受取から返金を引いた額)",
        "Cash in the drawer (sales and rests taken, less refunds)",
    ),
    "cs_rests_by_method": (
        "差額のお支払い (商品券の残高で足りなかった分、お支払い方法別)",
        "Rests paid another way (beyond a voucher's balance), by payment method",
    ),
    "cs_col_rest_taken": ("受取", "Taken"),
    "cs_col_rest_refunded": ("返金 (取消)", "Given back (voids)"),
    "cs_printed_at": ("作成日時", "Made at"),
    "cs_close_note": (
        "販売と利用はその日に、利用の取消は取り消した日に計上しています。販売の取消は当日のみです。",
        "Sales and redemptions count on the day they were made; voids on the day they were voided.",
    ),
    "error:request.date_in_future": (
        "まだ来ていない日です。今日かそれより前の日を選んでください。",
        "That day has not come yet. Choose today or a day before.",
    ),
    # The hand-over link of a cancelled sale (templates/take.html)
    "take_cancelled_title": ("この販売は取り消されました", "This sale was cancelled"),
    "take_cancelled_hint": (
        "お店でこの商品券の販売が取り消されたため、このリンクでは受け取れません。"
        "お支払いはお店で返金されます。",
        "The shop cancelled the sale of this voucher, so this link gives no voucher; the shop"
        " refunds the payment.",
    ),
    # A cancelled sale's journal line: in the wallet's history and the console's
    "kind_sale_cancel": ("販売取消 (返金)", "Sale cancelled (refunded)"),
    "rc_kind_sale_cancel": ("販売取消 (返金)", "Sale cancelled (refunded)"),
    # Console (運用管理): the voucher page's sale actions
    "cs_console_sale": ("店頭販売", "Counter sale"),
    "cs_console_show_qr": ("引き渡しQRを再表示", "Show the hand-over QR again"),
    "cs_console_sold_by": ("販売者", "Sold by"),
    "cs_console_cancelled_at": ("取消日時", "Cancelled at"),
    "cs_console_cancelled_by": ("取消した人", "Cancelled by"),
    "cs_console_back": ("商品券に戻る", "Back to the voucher"),
    "done_sale_cancelled": (
        "販売を取り消しました。商品券は無効です。お支払い方法で代金を返金してください。",
        "The sale is cancelled and the voucher void; refund the payment the way it was paid.",
    ),
    # Fields an error can name (field:<name>)
    "field:method": ("お支払い方法", "Payment method"),
    "field:day": ("営業日", "Business day"),
    # Errors (error:<code>): shown on pages in the reader's language
    "error:sale.not_found": (
        "店頭で販売した商品券が見つかりません。取り消せるのは店頭販売だけです。",
        "No voucher sold at a counter with that number; only counter sales can be cancelled.",
    ),
    "error:sale.already_cancelled": (
        "この販売はすでに取り消されています。二重に返金しないでください。",
        "This sale was already cancelled; its money was refunded then, do not refund it again.",
    ),
    "error:sale.cancel_window_closed": (
        "販売の取り消しは販売した営業日のうちだけです。本部にご相談ください。",
        "A sale can only be cancelled on the business day it was made; ask head office.",
    ),
    "error:sale.voucher_used": (
        "この商品券はすでに使われているため (残高が額面より少ない)、販売を取り消せません。",
        "The voucher of this sale has been used (balance below face); the sale cannot be cancelled.",
    ),
    "error:sale.already_received": (
        "お客様がこの商品券をすでに受け取っているため、販売を取り消せません"
        " (提携先の店舗などで使われている可能性があります)。本部にご相談ください。",
        "The customer has already received this voucher (it may have been used at a partner's"
        " store), so the sale cannot be cancelled; ask head office.",
    ),
    "error:sale.key_other_store": (
        "この販売画面は別の店舗で使われたため、ここでは販売していません。"
        "金額とお支払い方法を確かめて、もう一度「販売する」を押してください。",
        "This sale form was already used at another store, so nothing was sold here. Check the"
        " amount and payment method and press Sell again.",
    ),
    "error:sale.other_store": (
        "この商品券は別の店舗で販売されました。販売した店舗でのみ取り消せます。",
        "This voucher was sold at another store; only that store's counter can cancel the sale.",
    ),
    "error:sale.cancelled": (
        "この商品券の販売は店舗で取り消されたため、このリンクでは受け取れません。"
        "お支払いは店舗で返金されます。",
        "This voucher's sale was cancelled at the store, so this link gives no voucher; the store"
        " refunds the payment.",
    ),
}
