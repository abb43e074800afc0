"""What the CRM error codes say to a person (`error:<code>`: segments, consents, analytics,
campaign mail and its unsubscribe link), in Japanese and English; conventions in
node/web/texts/errors.py."""

from __future__ import annotations

# key: ("error:" + code) or ("field:" + name): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "error:crm.refused": (
        "お客様の記録にこの操作はできません。何も変更されていません。",
        "That cannot be done to the customers' records; nothing was changed.",
    ),
    "error:crm.erasure_blocked": (
        "このお客様には商品券の残高かポイントが残っています。払戻しかご利用の後に削除してください。",
        "The customer still holds value (a voucher balance or points); refund it or let them use it"
        " first, then erase.",
    ),
    "error:crm.already_erased": (
        "このお客様の個人情報はすでに削除されています。",
        "This customer's personal data was erased already.",
    ),
    "error:segment.name_taken": (
        "同じ名前のセグメントがすでにあります。別の名前にしてください。",
        "A segment of that name exists already; choose another name.",
    ),
    "error:segment.invalid": (
        "セグメントの条件を読み取れません。指定された項目を確認してください。",
        "A segment's filter is not understood; check the field named.",
    ),
    "error:segment.not_found": (
        "その名前のセグメントはありません。",
        "No segment of that name on this node.",
    ),
    "error:consent.invalid": (
        "配信の同意は「はい」か「いいえ」で、メールアドレスのあるお客様について記録できます。",
        "A consent must say yes or no, for a customer who has an e-mail address.",
    ),
    "error:analytics.invalid": (
        "分析の条件を読み取れません。指定された項目を確認してください。",
        "The analysis asked for is not understood; check the field named.",
    ),
    "error:mail.invalid": (
        "メールの件名・本文・送信日時・送信速度のいずれかを読み取れません。",
        "A campaign mail's subject, body, time or rate is not understood.",
    ),
    "error:mail.sender_incomplete": (
        "広告メールには送信者の名称・住所・問い合わせ先が必要です（特定電子メール法）。"  # noqa: RUF001
        "設定の issuer を確認してください。",
        "Marketing mail must show who sends it: set the issuer's legal_name, address and"
        " complaint_desk.",
    ),
    "error:mail.not_sent": (
        "メールサーバーがテストメールを受け付けませんでした。SMTP の設定と宛先をご確認ください。",
        "The SMTP server did not take the test message; check the SMTP settings and the address.",
    ),
    "error:analytics.unavailable": (
        "集計の処理が止まりました（メモリ不足の可能性があります）。もう一度お試しください。",  # noqa: RUF001
        "The analytics' worker stopped (it may have run out of memory); please ask again.",
    ),
    "error:mail.not_found": (
        "そのメールはありません。",
        "No campaign mail of that id on this node.",
    ),
    "error:profile.invalid": (
        "お客様情報の項目を読み取れません（フリガナ・電話番号・生年月日・郵便番号・性別・メモ・タグ）。",  # noqa: RUF001
        "A profile's field is not understood (kana, phone, birthday, postcode, gender, note or tags).",
    ),
    "error:mail.link_unknown": (
        "この配信停止リンクは確認できませんでした。リンクが途中で切れていないかご確認ください。"
        "ウォレットの設定からも配信を停止できます。",
        "This unsubscribe link is not known: it may have been copied incompletely. You can stop"
        " the mail from your wallet's settings too.",
    ),
    "field:as_of": ("基準日", "as-of day"),
    "field:window_days": ("集計期間の日数", "window in days"),
    "field:margin_percent": ("粗利率", "gross margin"),
    "field:filters": ("条件", "filters"),
    "field:spend_min": ("購入金額の下限", "least spend"),
    "field:spend_from": ("購入金額を数える初日", "first day of spend"),
    "field:marketing": ("メール配信の同意", "consent to mail"),
    "field:wording": ("同意の文言", "consent wording"),
    "field:segment": ("セグメント", "segment"),
    "field:subject": ("件名", "subject"),
    "field:body": ("本文", "body"),
    "field:per_minute": ("1分あたりの送信数", "mails a minute"),
    "field:mail_id": ("メール", "mail"),
    "field:offer": ("クーポン", "offer"),
    "field:offer.face_yen": ("クーポンの金額", "coupon's value"),
    "field:offer.use_until": ("クーポンの利用期限", "coupon's last day"),
    "field:offer.stores": ("クーポンを使える店舗", "stores taking the coupon"),
    "field:kana": ("フリガナ", "kana"),
    "field:birthday": ("生年月日", "birthday"),
    "field:gender": ("性別", "gender"),
    "field:tags": ("タグ", "tags"),
}
