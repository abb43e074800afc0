"""Page text around errors: a used sign-in link, an ended session, a hand-over link that can no
longer be received (the error codes' own texts are in errors.py)."""

from __future__ import annotations

# key: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "link_new_hint": (
        "メールアドレスを入力すると、新しいログイン用リンクをお送りします。",
        "Enter your email address and we will send you a new sign-in link.",
    ),
    "send_new_link": ("新しいリンクを送る", "Send a new link"),
    "session_ended": (
        "ログインが終了しました (有効期限切れ、またはログアウト)。もう一度ログインしてください。",
        "Your session has ended. Please sign in again.",
    ),
    "take_taken_title": ("この商品券は受け取り済みです", "This voucher has been received"),
    "take_taken_hint": (
        "このリンクの商品券は、すでにほかの方が受け取りました。リンクは1回だけ使えます。"
        "心当たりがない場合は、リンクを送ってくれた方にお問い合わせください。",
        "Someone else has already received the voucher behind this link; a link works once."
        " If this is unexpected, please ask the person who sent it.",
    ),
    "take_withdrawn_title": (
        "この商品券は受け取れません",
        "This voucher can no longer be received",
    ),
    "take_withdrawn_hint": (
        "贈った方が取り消したか、お店で販売が取り消されたため、このリンクの商品券は受け取れません。"
        "リンクを送ってくれた方にお問い合わせください。",
        "The person who gave it took it back, or the shop cancelled the sale, so it can no longer"
        " be received. Please ask the person who sent the link.",
    ),
    "take_expired_title": ("この商品券は有効期限切れです", "This voucher has expired"),
    "take_expired_hint": (
        "受け取られないまま有効期限が過ぎたため、この商品券は受け取れません。"
        "リンクを送ってくれた方にお問い合わせください。",
        "It was not received before its expiry date, so it can no longer be received. Please"
        " ask the person who sent the link.",
    ),
    "take_unknown_title": ("このリンクは使えません", "This link does not work"),
    "take_unknown_hint": (
        "リンクが正しくないか、もう使えなくなっています。"
        "リンクを送ってくれた方に、もう一度確かめてください。",
        "The link is wrong or no longer works. Please check it with the person who sent it.",
    ),
    "take_mine_title": ("受け取り済みの商品券です", "You have received this voucher"),
    "take_mine_hint": (
        "この商品券はすでにあなたのマイ商品券に入っています。",
        "This voucher is already in your vouchers.",
    ),
    "take_open_voucher": ("商品券を開く", "Open the voucher"),
    "take_to_wallet": ("マイ商品券へ", "Go to my vouchers"),
}
