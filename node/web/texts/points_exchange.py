"""Text of the point exchange catalogue and point lotteries (ポイント交換・抽選): the console's
pages, the wallet's pages, the one error code of their own and their form fields' names."""

from __future__ import annotations

from node.points.lottery_rules import MAX_PRIZES

# key: (日本語, English). Templates call t("key"); errors read `error:<code>`, `field:<name>`.
TEXTS: dict[str, tuple[str, str]] = {
    "error:points.lottery_entry_limit": (
        "この抽選にはお一人様[{limit}口]までしか応募できません。抽選結果をお待ちください。",
        "One member may hold only [{limit} ]entries to this lottery. Please wait for the draw.",
    ),
    "field:description": ("説明", "Description"),
    "field:ship_name": ("お届け先のお名前", "Recipient's name"),
    "field:ship_postcode": ("郵便番号", "Postcode"),
    "field:ship_address": ("お届け先の住所", "Delivery address"),
    "field:entry_points": ("1口の応募ポイント", "Points per entry"),
    "field:max_entries": ("お一人様の応募口数の上限", "Entries per member"),
    "field:opens_at": ("受付開始", "Opens at"),
    "field:closes_at": ("締切", "Closes at"),
    "field:related_sales_yen": ("関連する売上予定額", "Related sales expected"),
    "field:prizes": ("景品", "Prizes"),
    "field:item_id": ("交換商品", "Item"),
    "field:lottery_id": ("抽選", "Lottery"),
    **{
        f"field:prize_{part}_{i}": (f"景品{i + 1}の{ja}", f"Prize {i + 1}: {en}")
        for i in range(MAX_PRIZES)
        for part, ja, en in (("name", "名前", "name"), ("value", "価額", "value"), ("count", "本数", "count"))
    },
}
