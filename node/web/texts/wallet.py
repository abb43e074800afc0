"""Page text of the live wallet and its gift screens (issue 15, item 4)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # the live voucher page
    "wl_paid_title": ("支払い完了", "Payment complete"),
    "wl_balance_left": ("残高", "Balance"),
    "wl_paid_close": ("閉じる", "Close"),
    "wl_qr_label": ("お支払い用のQRコード", "QR code to pay with"),
    "wl_countdown": ("コードの更新まで", "New code in"),
    "wl_seconds": ("秒", "s"),
    "wl_offline_title": ("オフラインです", "You are offline"),
    "wl_offline_hint": (
        "通信が戻ると新しいコードを表示します。電波の届く場所でこの画面を開いてください。",
        "A new code appears when you are back online. Open this screen where you have a signal.",
    ),
    "wl_signed_out_title": ("ログインが切れました", "You are signed out"),
    "wl_signed_out_hint": (
        "コードを表示するには、もう一度ログインしてください。",
        "Sign in again to show your code.",
    ),
    "wl_sign_in_again": ("ログインし直す", "Sign in again"),
    "wl_not_usable": ("この商品券は現在使えません。", "This voucher cannot be used now."),
    "wl_only_at": ("ご利用いただける店舗", "Usable at"),
    "wl_only_at_none": ("現在ご利用いただける店舗はありません", "no store at present"),
    "wl_history_empty": ("まだ履歴はありません。", "Nothing here yet."),
    "wl_kind_gift_out": ("ギフトを贈った", "Gift given"),
    "wl_kind_gift_in": ("ギフトを受け取った", "Gift received"),
    "wl_kind_gift_return": ("ギフトの取り消し (戻り)", "Gift taken back"),
    # gifting
    "wl_gift_button": ("この商品券を贈る", "Give this voucher as a gift"),
    "wl_my_gifts": ("贈ったギフト", "Your gifts"),
    "wl_gift_amount_title": ("贈る金額", "Amount to give"),
    "wl_balance_now": ("現在の残高", "Balance now"),
    "wl_gift_all": ("全額", "All of it"),
    "wl_next": ("確認へ進む", "Review"),
    "wl_confirm_title": ("この内容で贈りますか?", "Give this gift?"),
    "wl_remains": ("贈ったあとの残高", "Left on your voucher"),
    "wl_gift_expires": ("ギフトの有効期限", "The gift expires"),
    "wl_confirm_note": (
        "贈ると受け取り用のリンクができます。相手が受け取る前なら取り消せます。",
        "Giving makes a link to receive it. You can take it back until it is received.",
    ),
    "wl_give": ("贈る", "Give"),
    "wl_change_amount": ("金額を変える", "Change the amount"),
    "wl_share": ("共有する", "Share"),
    "wl_share_line": ("LINEで送る", "Send with LINE"),
    "wl_copy": ("リンクをコピー", "Copy the link"),
    "wl_copied": ("コピーしました", "Copied"),
    "wl_share_text": (
        "ギフトを贈ります。リンクを開いて受け取ってください。",
        "A gift for you: open the link to receive it.",
    ),
    "wl_gift_waiting": ("受け取り待ち", "Waiting to be received"),
    "wl_gift_received": (
        "このギフトは受け取られました。取り消すことはできません。",
        "This gift was received; it can no longer be taken back.",
    ),
    "wl_gift_gone": ("このギフトは取り消されています。", "This gift was taken back."),
    "wl_no_gifts": ("受け取り待ちのギフトはありません。", "No gifts are waiting to be received."),
    "wl_show_link": ("リンクを表示", "Show the link"),
    "wl_made_at": ("作成", "Made"),
    "wl_take_back": ("ギフトを取り消す", "Take the gift back"),
    "wl_take_back_failed": ("ギフトを取り消せませんでした", "The gift could not be taken back"),
    "wl_gift_given": ("贈った金額", "Amount given"),
    "wl_take_back_title": ("ギフトを取り消しますか?", "Take this gift back?"),
    "wl_take_back_note": (
        "取り消すとリンクは使えなくなり、金額は元の商品券に戻ります。",
        "The link stops working and the amount returns to your voucher.",
    ),
    "wl_returns_to": ("戻る先の商品券の残高", "Your voucher's balance now"),
    "wl_returned_title": ("ギフトを取り消しました", "The gift was taken back"),
    "wl_returned_balance": ("商品券の残高", "Your voucher's balance"),
    "wl_to_voucher": ("商品券を表示", "Show the voucher"),
    "error:voucher.gift_already_received": (
        "このギフトはすでに受け取られたため、取り消せません。",
        "The recipient has already received this gift; it cannot be taken back.",
    ),
    "error:voucher.gift_not_returnable": (
        "このギフトは取り消せません (取り消し済み、またはギフトか元の商品券の有効期限切れ)。",
        "This gift cannot be taken back (taken back already, or the gift or your voucher has"
        " expired).",
    ),
    "error:voucher.gift_returned": (
        "このギフトは贈り主が取り消しました。贈り主に新しいリンクをお願いしてください。",
        "The sender took this gift back. Ask them for a new link.",
    ),
}
