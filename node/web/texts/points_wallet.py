"""Text of the membership card and the points pages in the wallet (wallet_card.html,
wallet_points.html) and the wallet home's link to the card."""

from __future__ import annotations

# key: (日本語, English). Keys start with pw_.
TEXTS: dict[str, tuple[str, str]] = {
    "pw_card_title": ("会員証", "Membership card"),
    "pw_card_link": ("会員証を表示", "Show my membership card"),
    "pw_points": ("ポイント", "Points"),
    "pw_rank": ("会員ランク", "Rank"),
    "pw_no_rank": ("なし", "None"),
    "pw_rank_window": ("ランクの集計期間", "Rank spend window"),
    "pw_rank_spend": ("期間中のお買い上げ", "spent in it"),
    "pw_qr_label": ("会員証のQRコード", "The membership card's QR code"),
    "pw_qr_hint": (
        "お会計の前にこの画面をお店の人に見せてください。ポイントを使うときはこのコードが必要です。",
        "Show this screen at the counter before paying. Using points needs this code.",
    ),
    "pw_card_unavailable": (
        "会員証のコードを表示できません。ページを読み込み直してください。",
        "The card's code cannot be shown. Please reload the page.",
    ),
    "pw_numbers": ("会員番号・カード番号", "Member and card numbers"),
    "pw_member_no": ("会員番号", "Member number"),
    "pw_card_no_hint": (
        "カード番号 (バーコード) はポイントをためるときだけ使えます。"
        "ポイントを使うときは上のQRコードを見せてください。",
        "The card number (barcode) only earns points. To use points, show the QR code above.",
    ),
    "pw_points_link": ("ポイントの明細", "My points"),
    "pw_points_title": ("ポイント", "Points"),
    "pw_lot_expires": (
        "{month}月{day}日に{points}pt失効予定",
        "{points} pt expire after {year}-{month}-{day}",
    ),
    "pw_lot_expires_year": (
        "{year}年{month}月{day}日に{points}pt失効予定",
        "{points} pt expire after {year}-{month}-{day}",
    ),
    "pw_lot_no_expiry": ("{points}pt (有効期限なし)", "{points} pt (no expiry)"),
    "pw_no_points": ("ポイントはまだありません", "No points yet"),
    "pw_history_empty": ("ポイントの履歴はまだありません", "No points history yet"),
    "pw_kind_earn": ("ポイント獲得", "Points earned"),
    "pw_kind_use": ("ポイント利用", "Points used"),
    "pw_kind_return": ("返品によるポイント取消", "Points taken back (return)"),
    "pw_kind_use_return": ("ポイント利用の取消", "Points use cancelled"),
    "pw_kind_adjust": ("ポイント調整", "Points adjusted"),
    "pw_kind_expire": ("ポイント失効", "Points expired"),
    "pw_kind_exchange": ("ポイント交換", "Points exchanged"),
    "pw_kind_exchange_cancel": ("ポイント交換の取消", "Exchange cancelled"),
    "pw_kind_lottery": ("ポイント抽選への応募", "Lottery entry"),
    "pw_kind_lottery_refund": ("ポイント抽選の返還", "Lottery entry refunded"),
    "pw_notify_title": ("失効前のお知らせメール", "Email before points expire"),
    "pw_notify_on": (
        "ポイントが失効する前にメールでお知らせします。",
        "We email you before your points expire.",
    ),
    "pw_notify_off": (
        "失効前のお知らせメールは届きません。",
        "You get no email before your points expire.",
    ),
    "pw_notify_start": ("お知らせメールを受け取る", "Email me before points expire"),
    "pw_notify_stop": ("お知らせメールを止める", "Stop these emails"),
    "pw_notify_saved_on": (
        "お知らせメールを受け取る設定にしました。",
        "Saved: you will get the email.",
    ),
    "pw_notify_saved_off": ("お知らせメールを止めました。", "Saved: no more of these emails."),
}
