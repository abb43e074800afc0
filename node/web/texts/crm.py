"""Text of the campaign mail's unsubscribe page (配信停止) and the wallet's mail setting."""

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
    "greeting_customer": ("お客様", "Customer"),
    "greeting_honorific": ("様", ""),
    "greeting_rank": ("ランク", "Rank"),
    "greeting_note": ("お声がけ", "Greeting"),
    "wd_title": ("登録情報のダウンロード", "Your data"),
    "wd_hint": (
        "お店が保管しているあなたの情報（登録内容・同意の記録・商品券・ポイント）をファイルで受け取れます。",  # noqa: RUF001
        "Download what the shop keeps about you: registration, consents, vouchers and points.",
    ),
    "wd_download": ("ダウンロード (JSON)", "Download (JSON)"),
    "wm_link": ("お知らせメールと登録情報", "Offer mails and your data"),
    "wm_title": ("お知らせメール", "Offer mails"),
    "wm_on": (
        "キャンペーンやお得なお知らせをメールで受け取っています。",
        "You get campaign and offer mails.",
    ),
    "wm_off": (
        "キャンペーンやお得なお知らせのメールは受け取っていません。",
        "You do not get campaign or offer mails.",
    ),
    "wm_start": ("同意して受け取る", "Agree and get them"),
    "wm_stop": ("受け取りを停止する", "Stop them"),
    "wm_saved_on": ("お知らせメールの受け取りを始めました。", "You will get offer mails."),
    "wm_saved_off": ("お知らせメールを停止しました。", "Offer mails are stopped."),
}
