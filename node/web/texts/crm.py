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
    "an_title": ("顧客分析", "Customer analytics"),
    "an_intro": (
        "指定した日の終わりまでの記録から計算します。同じ日を指定すれば、いつ見ても同じ数字です。",
        "Computed from the records up to the end of the stated day: the same day always gives the"
        " same figures.",
    ),
    "an_as_of": ("基準日", "As of"),
    "an_show": ("表示", "Show"),
    "an_kpis": ("主な指標", "Key figures"),
    "an_members": ("会員数", "Members"),
    "an_active": ("アクティブ会員 (90日)", "Active members (90 days)"),
    "an_paying": ("購入したお客様", "Paying customers"),
    "an_repeat": ("リピート率", "Repeat rate"),
    "an_average": ("平均購入額", "Average spend"),
    "an_top20": ("上位20%のお客様の売上シェア", "Share of spend by the top 20 %"),
    "an_top20_hint": (
        "購入したお客様 {total} 人のうち、上位 {n} 人の売上が占める割合です。",
        "The top {n} of {total} paying customers made this share of the spend.",
    ),
    "an_pareto": ("パレート曲線 (80:20)", "Pareto curve (80:20)"),
    "an_pareto_desc": (
        "横軸は購入額の多い順のお客様の割合、縦軸はその人たちの売上の累積割合です。",
        "Across: the share of customers, largest spenders first; up: the share of spend they made.",
    ),
    "an_x_axis": ("お客様 (購入額の多い順)", "Customers, largest spenders first"),
    "an_y_axis": ("売上の累積割合", "Share of spend"),
    "an_point": ("上位{p}%のお客様: 売上の{s}", "Top {p} % of customers: {s} of spend"),
    "an_nobody": ("この期間に購入したお客様はいません。", "Nobody paid in this window."),
    "an_csv": ("CSVをダウンロード", "Download CSV"),
    "an_rfm": ("RFM分析", "RFM"),
    "an_rfm_hint": (
        "最終購入からの日数・購入回数・購入金額を5段階に分け、お客様を分類しました。",
        "Customers scored 1-5 on recency, frequency and spend, and put in classes.",
    ),
    "an_class": ("分類", "Class"),
    "rfm_champions": ("優良", "Champions"),
    "rfm_new": ("新規", "New"),
    "rfm_loyal": ("安定", "Loyal"),
    "rfm_promising": ("有望", "Promising"),
    "rfm_at_risk": ("離反予備軍", "At risk"),
    "rfm_dormant": ("休眠", "Dormant"),
    "rfm_needs_attention": ("要注意", "Needs attention"),
    "an_customers": ("人数", "Customers"),
    "an_link": ("顧客分析を見る", "Customer analytics"),
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
