"""Text of the console's products page (商品): the list, the add form, retiring one."""

from __future__ import annotations

# key: (日本語, English). Templates call t("key").
TEXTS: dict[str, tuple[str, str]] = {
    "nav_products": ("商品", "Products"),
    "pr_intro": (
        "お客様のウォレットと店舗のレジで販売する商品券の商品です。販売価格を額面より低くすると"
        "プレミアム付き商品券になります。販売終了にしても、販売済みの商品券の条件は変わりません。",
        "The voucher products the wallet's shop and the counters sell. A price below the face"
        " value makes a premium voucher. Retiring a product never changes vouchers already sold.",
    ),
    "pr_list": ("商品一覧", "Products"),
    "pr_name": ("商品名", "Name"),
    "pr_face": ("額面", "Face value"),
    "pr_price": ("販売価格", "Price"),
    "pr_price_hint": ("(空欄: 額面と同じ)", "(empty: the face value)"),
    "pr_validity": ("有効期限", "Validity"),
    "pr_days": ("日間", " days"),
    "pr_through": ("期限", "until"),
    "pr_no_expiry": ("なし", "none"),
    "pr_limit": ("お一人様の上限", "Limit per customer"),
    "pr_no_limit": ("なし", "none"),
    "pr_online_only": (
        "オンライン販売のみ（店頭では販売できません）",  # noqa: RUF001
        "Sold online only (not at a counter)",
    ),
    "pr_limit_hint": (
        "上限のある商品は購入者を確認できるオンライン販売のみで、店頭では販売できません。",
        "A product with a limit is sold online only, where the buyer is known; not at a counter.",
    ),
    "pr_count_unit": ("枚", " vouchers"),
    "pr_per_ever": ("販売期間中", "Whole sale"),
    "pr_per_day": ("1日", "Per day"),
    "pr_per_month": ("1か月", "Per month"),
    "pr_period": ("販売期間", "Sale period"),
    "pr_stock": ("在庫数", "Stock"),
    "pr_stock_hint": ("(空欄: 制限なし)", "(empty: no limit)"),
    "pr_sold": ("販売数", "Sold"),
    "pr_state": ("状態", "State"),
    "pr_state_on_sale": ("販売中", "On sale"),
    "pr_state_not_yet": ("販売開始前", "Not yet on sale"),
    "pr_state_ended": ("販売期間終了", "Sale ended"),
    "pr_state_sold_out": ("売り切れ", "Sold out"),
    "pr_state_retired": ("販売終了", "Retired"),
    "pr_none": ("商品はまだありません。", "No product yet."),
    "pr_add": ("商品を追加", "Add a product"),
    "pr_valid_days": ("有効日数 (販売日から)", "Valid days (from the sale)"),
    "pr_valid_until": ("有効期限 (日付)", "Valid until (a date)"),
    "pr_valid_hint": (
        "(有効日数か日付のどちらか一方)",
        "(either valid days or a date, not both)",
    ),
    "pr_limit_count": ("お一人様の購入枚数上限", "Limit per customer (vouchers)"),
    "pr_limit_yen": ("お一人様の購入金額上限", "Limit per customer (yen at price)"),
    "pr_limit_period": ("上限の期間", "Limit period"),
    "pr_sale_from": ("販売開始日", "Sale from"),
    "pr_sale_until": ("販売終了日", "Sale until"),
    "pr_retire": ("販売終了", "Retire"),
    "pr_retire_title": ("商品の販売終了", "Retire a product"),
    "pr_retire_warning": (
        "販売終了にすると、この商品はウォレットでもレジでも販売されなくなります。"
        "販売済みの商品券はそのまま使えます。元に戻すことはできません。",
        "Once retired, the product is sold neither in the wallet nor at the counters. Vouchers"
        " already sold stay usable as they are. This cannot be undone.",
    ),
    "pr_retire_confirm": ("販売終了にする", "Retire it"),
    "pr_back": ("戻る", "Back"),
    "done_pr_added": ("商品を追加しました。", "The product was added."),
    "done_pr_retired": ("商品を販売終了にしました。", "The product was retired."),
}
