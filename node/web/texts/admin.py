"""The console's frame: navigation and text shared by its sections."""

from __future__ import annotations

# key: (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "nav_vouchers": ("商品券", "Vouchers"),
    "nav_customers": ("お客様", "Customers"),
    "nav_stores": ("店舗・スタッフ", "Stores & staff"),
    "nav_partners": ("提携先", "Partners"),
    "nav_settlement": ("精算", "Settlement"),
    "nav_audit": ("監査", "Audit"),
    "nav_exports": ("CSV出力", "CSV export"),
    "search": ("検索", "Search"),
    "save": ("保存", "Save"),
    "status": ("状態", "Status"),
    "created": ("作成日時", "Created"),
    "nothing_yet": ("まだありません。", "Nothing yet."),
    "more_rows": (
        "表示は最初の{n}件までです。条件を絞ってください。",
        "Only the first {n} rows are shown; narrow the search.",
    ),
}
