"""Text of the campaign mail's unsubscribe page (配信停止)."""

from __future__ import annotations

# key: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "unsubscribe_title": ("メール配信の停止", "Stop these mails"),
    "unsubscribe_ask": (
        "このメールアドレスへのキャンペーンやお得なお知らせのメール配信を停止します。",
        "This stops campaign and offer mails to this address.",
    ),
    "unsubscribe_button": ("配信を停止する", "Stop the mails"),
    "unsubscribe_done": (
        "配信を停止しました。今後、お知らせのメールはお送りしません。",
        "Done: we will send you no more offer mails.",
    ),
    "unsubscribe_again": (
        "再び受け取りたくなったときは、ウォレットの設定からいつでも再開できます。",
        "To get them again, turn them back on in your wallet's settings at any time.",
    ),
    "unsubscribe_address": ("メールアドレス", "Address"),
}
