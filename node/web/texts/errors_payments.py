"""What the payment.* error codes say to a person (`error:<code>`), in Japanese and English;
conventions in node/web/texts/errors.py."""

from __future__ import annotations

# key: ("error:" + code): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "error:payment.refused": (
        "カード決済を続けられませんでした。請求されたお金は返金されます。",
        "The card payment could not go on; anything charged is refunded.",
    ),
    "error:payment.disabled": (
        "このお店ではまだカードでお買い求めいただけません。店頭でお求めください。",
        "Card payments are not set up here yet; please buy at a store's counter.",
    ),
    "error:payment.declined": (
        "カードが承認されませんでした。請求はありません。別のカードでお試しください。",
        "The card was declined and nothing was charged; please try another card.",
    ),
    "error:payment.provider_unavailable": (
        "カード会社との通信ができませんでした。請求はありません。しばらくしてからお試しください。",
        "The card processor could not be reached; nothing was charged. Please try again shortly.",
    ),
    "error:payment.bad_signature": (
        "決済代行会社からの通知の署名が正しくありません。何も変更されていません。",
        "The webhook's signature is not valid; nothing was changed.",
    ),
    "error:payment.webhook_too_large": (
        "決済代行会社からの通知が大きすぎます。何も変更されていません。",
        "The webhook's body is too large; nothing was changed.",
    ),
    "error:payment.mismatch": (
        "決済の金額が購入内容と一致しません。商品券は発行されていません。本部にお問い合わせください。",
        "The payment's amount does not match the purchase; no voucher was issued. Please contact"
        " head office.",
    ),
    "error:payment.not_found": (
        "その決済は見つかりません。",
        "No such card payment.",
    ),
}
