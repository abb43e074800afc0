"""Console text: webhooks to integrations (Webhook) and their deliveries, and their errors."""

from __future__ import annotations

# key: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "nav_webhooks": ("Webhook", "Webhooks"),
    "wh_intro": (
        "ポイントの付与・利用・失効予定や会員ランクの変更を、POSレジやECサイトなど外部のシステムへ"
        "署名付きで通知します。届かなかった通知は間隔をあけて自動で再送します。",
        "Tells outside systems such as a POS register or an online shop, signed, when points are "
        "earned, used or about to expire and when a member's rank changes. A notice that did not "
        "arrive is sent again by itself, at growing intervals.",
    ),
    "wh_list": ("登録済みのWebhook", "Webhooks"),
    "wh_url": ("送信先URL", "Address (URL)"),
    "wh_url_hint": (
        "https:// で始まるURL。http:// はこのサーバー自身 (127.0.0.1) 宛てのみ使えます。",
        "A URL starting with https://; http:// only to this server itself (127.0.0.1).",
    ),
    "wh_events": ("通知するイベント", "Events"),
    "wh_secret_prefix": ("署名キーの先頭", "Secret starts with"),
    "wh_created": ("登録日時", "Added"),
    "wh_state": ("状態", "Status"),
    "wh_live": ("有効", "Active"),
    "wh_disabled_at": ("停止", "Disabled"),
    "wh_none": ("Webhookはまだありません。", "No webhooks yet."),
    "wh_add": ("Webhookを登録", "Add a webhook"),
    "wh_new_title": ("Webhookを登録しました", "Webhook added"),
    "wh_new_once": (
        "署名キーは今だけ表示されます。コピーして受信側のシステムに設定してください。",
        "The signing secret is shown only now. Copy it into the receiving system.",
    ),
    "wh_secret_label": ("署名キー", "Signing secret"),
    "wh_copy": ("コピー", "Copy"),
    "wh_copied": ("コピーしました", "Copied"),
    "wh_usage": (
        "受信側は Kippu-Signature ヘッダーをこのキーで検証してください (運用マニュアル「Webhooks」)。",
        "The receiver checks the Kippu-Signature header with this secret (operations manual, "
        "Webhooks).",
    ),
    "wh_deliveries": ("送信履歴", "Deliveries"),
    "wh_test": ("テスト送信", "Send a test"),
    "wh_disable": ("停止する", "Disable"),
    "wh_disable_warning": (
        "停止すると、このURLへは何も送信されなくなり、未送信の通知も送りません。元に戻せません。",
        "Once disabled, nothing more is posted to this address, pending notices included. "
        "This cannot be undone.",
    ),
    "wh_back": ("Webhook一覧へ戻る", "Back to webhooks"),
    "wh_event": ("イベント", "Event"),
    "wh_delivery_state": ("結果", "Result"),
    "wh_attempts": ("試行回数", "Attempts"),
    "wh_last_status": ("応答", "Answer"),
    "wh_last_error": ("最後のエラー", "Last error"),
    "wh_next_attempt": ("次の再送", "Next attempt"),
    "wh_retry": ("再送する", "Send again"),
    "wh_no_deliveries": ("送信履歴はまだありません。", "Nothing sent yet."),
    "wh_state_pending": ("送信待ち", "Pending"),
    "wh_state_delivered": ("送信済み", "Delivered"),
    "wh_state_given_up": ("送信失敗", "Given up"),
    "wh_event_points.earned": ("ポイント付与", "Points earned"),
    "wh_event_points.used": ("ポイント利用", "Points used"),
    "wh_event_points.returned": ("返品によるポイント取消・返還", "Points returned"),
    "wh_event_points.adjusted": ("ポイント調整", "Points adjusted"),
    "wh_event_points.expiring": ("ポイント失効予定", "Points expiring soon"),
    "wh_event_rank.changed": ("会員ランク変更", "Rank changed"),
    "wh_event_webhook.ping": ("テスト", "Test"),
    "wh_err_url": (
        "URLを確認してください: https:// で始まり、ユーザー名やパスワードを含まないもの"
        " (http:// はこのサーバー自身宛てのみ)。",
        "Check the URL: it starts with https://, holds no user name or password (http:// only "
        "to this server itself).",
    ),
    "wh_err_events": (
        "通知するイベントを1つ以上選んでください。",
        "Choose at least one event.",
    ),
    "done_wh_disabled": ("Webhookを停止しました。", "The webhook was disabled."),
    "done_wh_test": (
        "テスト通知を送信キューに入れました。",
        "A test event was queued.",
    ),
    "done_wh_retry": ("再送を予約しました。", "The delivery will be sent again now."),
    "field:events": ("通知するイベント", "Events"),
    "error:webhook.delivered": (
        "この通知はすでに受信されています。再送はしません。",
        "This delivery was received by the webhook already; it is not sent again.",
    ),
    "error:webhook.delivery_not_found": (
        "その送信履歴は見つかりません。",
        "There is no webhook delivery with that id.",
    ),
}
