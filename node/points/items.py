"""Which goods the regulars keep buying (常連が支える商品): the purchase lines POS and EC systems
send with each earn, read against who bought them. Pure: the lines and the members' spend come in.

The seed's point: an item that sells little overall may be one that the most frequent customers
buy every time; sales figures alone hide that, lines tied to members show it. The rule, written
down once:
- the period's regulars are the top fifth of the members who bought anything in it, by spend
  (not-returned purchases, yen), at least one member;
- for each SKU: how many, for how much, by how many members, and the regulars' share of its
  quantity;
- an item is one the regulars carry when it sits in the lower half of the period's items by
  quantity and the regulars' share of it is above their share of all quantities and at least half.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

REGULAR_FRACTION = 0.2


@dataclass(frozen=True)
class SoldLine:
    customer_id: str
    sku: str
    name: str
    quantity: int
    amount_yen: int


@dataclass(frozen=True)
class ItemFigures:
    sku: str
    name: str
    quantity: int
    amount_yen: int
    buyers: int
    regular_quantity: int
    carried_by_regulars: bool

    @property
    def regular_share(self) -> float:
        return 0.0 if self.quantity == 0 else self.regular_quantity / self.quantity


@dataclass(frozen=True)
class ItemsReport:
    members: int  # who bought anything in the period
    regulars: int
    regular_share: float  # the regulars' share of every quantity sold
    items: tuple[ItemFigures, ...]  # by quantity, most first


def regulars_of(spend: Mapping[str, int]) -> frozenset[str]:
    """The top fifth of members by spend (ties broken by id, so the answer is stable)."""
    if not spend:
        return frozenset()
    count = max(1, math.ceil(len(spend) * REGULAR_FRACTION))
    ranked = sorted(spend.items(), key=lambda item: (-item[1], item[0]))
    return frozenset(customer for customer, _ in ranked[:count])


def analyse(lines: Iterable[SoldLine], spend: Mapping[str, int]) -> ItemsReport:
    regulars = regulars_of(spend)
    by_sku: dict[str, list[SoldLine]] = {}
    for line in lines:
        by_sku.setdefault(line.sku, []).append(line)
    total = sum(line.quantity for group in by_sku.values() for line in group)
    regular_total = sum(
        line.quantity for group in by_sku.values() for line in group if line.customer_id in regulars
    )
    overall_share = 0.0 if total == 0 else regular_total / total
    ordered = sorted(
        by_sku.items(), key=lambda item: (-sum(li.quantity for li in item[1]), item[0])
    )
    lower_half = {sku for sku, _ in ordered[(len(ordered) + 1) // 2 :]}
    figures = []
    for sku, group in ordered:
        quantity = sum(line.quantity for line in group)
        regular_quantity = sum(line.quantity for line in group if line.customer_id in regulars)
        share = 0.0 if quantity == 0 else regular_quantity / quantity
        figures.append(
            ItemFigures(
                sku=sku,
                name=group[-1].name,
                quantity=quantity,
                amount_yen=sum(line.amount_yen for line in group),
                buyers=len({line.customer_id for line in group}),
                regular_quantity=regular_quantity,
                carried_by_regulars=sku in lower_half and share > overall_share and share >= 0.5,
            )
        )
    return ItemsReport(len(spend), len(regulars), overall_share, tuple(figures))
