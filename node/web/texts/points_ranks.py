"""Member ranks (会員ランク) in Japanese and English: the rank table's and the floor's form
fields, the spend windows and the reasons a rank changed, for the console and the wallet."""

from __future__ import annotations

# key: ("field:" + name) or ("rank:" + what): (日本語, English)
TEXTS: dict[str, tuple[str, str]] = {
    "field:rank": ("ランク", "Rank"),
    "field:levels": ("ランクの段階", "Rank levels"),
    "field:window": ("集計期間", "Spend window"),
    "field:recompute": ("ランク判定日", "Recompute day"),
    "field:floor_until": ("ランク保証の期限", "Rank guaranteed until"),
    "rank:window:calendar_year": (
        "暦年（1月1日〜12月31日）",  # noqa: RUF001
        "Calendar year (1 Jan to 31 Dec)",
    ),
    "rank:window:rolling_12_months": ("直近12か月", "The last 12 months"),
    "rank:reason:upgrade": ("ランクアップ", "Upgraded"),
    "rank:reason:recompute": ("年次のランク判定", "Yearly recompute"),
    "rank:reason:manual": ("本部によるランク保証", "Guaranteed by head office"),
    "rank:reason:floor_end": ("ランク保証の終了", "Guarantee ended"),
    "rank:next": ("次のランク「{rank}」まであと{yen}", "{yen} more to reach {rank}"),
    "rank:top": ("最上位のランクです", "This is the top rank"),
    "rank:multiplier": ("ポイント{pct}%", "{pct}% points"),
    "rank:floor": ("{until}まで「{rank}」を保証", "{rank} guaranteed until {until}"),
}
