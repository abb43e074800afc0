"""Text of the console's points reports (/admin/points/report): the roll-forward and the
regulars' items."""

from __future__ import annotations

# key: (日本語, English). Templates call t("key").
TEXTS: dict[str, tuple[str, str]] = {
    "ptr_title": ("ポイントのレポート", "Points report"),
    "ptr_intro": (
        "期間のはじめに会員が持っていたポイント、期間中の種類ごとの増減、期間末の残高です。"
        "日付は両端を含みます。",
        "What members held at the start of the period, each kind of change in it, and what they"
        " held at its end. Both days are included.",
    ),
    "ptr_from": ("開始日", "From"),
    "ptr_to": ("終了日", "To"),
    "ptr_show": ("表示する", "Show"),
    "ptr_rollforward": ("ポイント残高の増減", "Points held, start to end"),
    "ptr_unbalanced": (
        "期首残高と増減の合計が期末残高と一致しません。システム管理者に連絡してください。",
        "The start plus the changes does not equal the end. Please contact your administrator.",
    ),
    "ptr_line": ("項目", "Line"),
    "ptr_points": ("ポイント", "Points"),
    "ptr_opening": ("期首残高", "Held at the start"),
    "ptr_closing": ("期末残高", "Held at the end"),
    "ptr_kind_earn": ("付与", "Earned"),
    "ptr_kind_return": ("返品による取消", "Taken back on returns"),
    "ptr_kind_use": ("利用", "Used"),
    "ptr_kind_use_return": ("利用の取消", "Uses undone"),
    "ptr_kind_adjust": ("調整", "Adjusted"),
    "ptr_kind_exchange": ("商品交換", "Exchanged"),
    "ptr_kind_exchange_cancel": ("交換の取消", "Exchanges cancelled"),
    "ptr_kind_lottery": ("抽選への応募", "Lottery entries"),
    "ptr_kind_lottery_refund": ("抽選の返還", "Lottery refunds"),
    "ptr_kind_expire": ("失効", "Expired"),
    "ptr_closing_yen": ("期末残高の金額換算", "Held at the end, in yen"),
    "ptr_point_value": ("1ポイントの価値", "Value of a point"),
    "ptr_non_use": ("過去12か月の失効率", "Non-use rate, last 12 months"),
    "ptr_no_rate": ("まだありません", "None yet"),
    "ptr_accounting": (
        "収益認識会計基準では、購入に伴って付与したポイントは別個の履行義務として契約負債に計上し、"
        "利用または失効の時点で収益を認識します。見積もる失効率は、ここに示す実績をもとに"
        "会計担当者が判断してください。",
        "Under the revenue recognition standard, points granted with a purchase are a separate"
        " performance obligation (a contract liability) recognised as revenue when used or when"
        " they lapse. The expected non-use rate is your accountant's estimate; the rate above is"
        " what actually happened.",
    ),
    "ptr_items": ("常連のお客様が支える商品", "Goods the regulars keep buying"),
    "ptr_items_rule": (
        "期間中に購入した会員のうち、購入金額の上位5分の1を常連とします。販売数が下位半分で、"
        "常連の購入が半分以上かつ全体の常連比率より高い商品を「常連が支える商品」として示します。"
        "返品された購入は含みません。",
        "The regulars are the top fifth of the period's buying members by spend. An item in the"
        " lower half by quantity whose buyers are at least half, and more than overall, regulars"
        " is shown as carried by them. Returned purchases are left out.",
    ),
    "ptr_no_items": (
        "この期間の購入明細はありません（POSから明細付きで送られた購入のみ集計します）。",  # noqa: RUF001
        "No purchase lines in this period (only purchases sent with their lines are counted).",
    ),
    "ptr_members": ("購入した会員", "Buying members"),
    "ptr_regulars": ("常連", "Regulars"),
    "ptr_carried": ("常連が支える商品", "Carried by the regulars"),
    "ptr_sku": ("商品コード", "SKU"),
    "ptr_name": ("商品名", "Name"),
    "ptr_quantity": ("数量", "Quantity"),
    "ptr_amount": ("金額", "Amount"),
    "ptr_buyers": ("購入者数", "Buyers"),
    "ptr_regular_share": ("常連の比率", "Regulars' share"),
}
