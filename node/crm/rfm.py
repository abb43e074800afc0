"""RFM: each paying customer scored 1-5 on recency, frequency and monetary value, and named a class.

As of a stated local day D, with a window of W days ending on D (facts.py):

- **recency** = days from the local day of the customer's last payment to D (0: paid on D);
- **frequency** = the number of payments inside the window;
- **monetary** = the yen paid inside the window.

Every customer who paid at least once by the end of D is scored, including those whose payments
all fall before the window (frequency and monetary 0).

**Quintiles.** For each measure the customers' values are sorted ascending, x(1) <= ... <= x(n),
and four cut points taken by the nearest-rank rule: cut(k) = x(ceil(k * n / 5)), k = 1..4.
Frequency and monetary score 1 + the number of cuts the value is above (more is better); recency
scores 5 - the number of cuts the value is above (fewer days is better). Equal values always get
equal scores, so a score can hold more or fewer than a fifth of the customers.

**Classes**, the first rule that holds (R, F, M the scores):

| class | rule | 日本語 |
|---|---|---|
| champions | R >= 4, F >= 4, M >= 4 | 優良 |
| new | R >= 4, F = 1 | 新規 |
| loyal | R >= 3, F >= 3 | 安定 |
| promising | R >= 4 (so F = 2) | 有望 |
| at_risk | R <= 2, F >= 3 | 離反予備軍 |
| dormant | R <= 2 (so F <= 2) | 休眠 |
| needs_attention | R = 3, F <= 2 | 要注意 |
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from node.crm.facts import CustomerSpend, Period

QUINTILES = 5


class RfmClass(StrEnum):
    CHAMPIONS = "champions"
    NEW = "new"
    LOYAL = "loyal"
    PROMISING = "promising"
    AT_RISK = "at_risk"
    DORMANT = "dormant"
    NEEDS_ATTENTION = "needs_attention"


CLASS_NAMES_JA = {
    RfmClass.CHAMPIONS: "優良",
    RfmClass.NEW: "新規",
    RfmClass.LOYAL: "安定",
    RfmClass.PROMISING: "有望",
    RfmClass.AT_RISK: "離反予備軍",
    RfmClass.DORMANT: "休眠",
    RfmClass.NEEDS_ATTENTION: "要注意",
}


@dataclass(frozen=True)
class RfmRow:
    customer_id: str
    recency_days: int
    frequency: int
    monetary_yen: int
    r: int
    f: int
    m: int
    rfm_class: RfmClass


@dataclass(frozen=True)
class Cuts:
    """The four cut points of each measure (empty when nobody paid)."""

    recency_days: tuple[int, ...]
    frequency: tuple[int, ...]
    monetary_yen: tuple[int, ...]


def quintile_cuts(values: Sequence[int]) -> tuple[int, ...]:
    """cut(k) = x(ceil(k * n / 5)) of the sorted values, k = 1..4 (nearest rank)."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return ()
    return tuple(ordered[math.ceil(k * n / QUINTILES) - 1] for k in range(1, QUINTILES))


def score_up(value: int, cuts: tuple[int, ...]) -> int:
    """More is better: 1 + the number of cuts the value is above (the cuts are ascending, so
    that number is where the value would go among them, before equal ones)."""
    return 1 + bisect_left(cuts, value)


def score_down(value: int, cuts: tuple[int, ...]) -> int:
    """Less is better: 5 - the number of cuts the value is above."""
    return QUINTILES - bisect_left(cuts, value)


def classify(r: int, f: int, m: int) -> RfmClass:
    if r >= 4 and f >= 4 and m >= 4:
        return RfmClass.CHAMPIONS
    if r >= 4 and f == 1:
        return RfmClass.NEW
    if r >= 3 and f >= 3:
        return RfmClass.LOYAL
    if r >= 4:
        return RfmClass.PROMISING
    if r <= 2 and f >= 3:
        return RfmClass.AT_RISK
    if r <= 2:
        return RfmClass.DORMANT
    return RfmClass.NEEDS_ATTENTION


def rfm_table(spends: Sequence[CustomerSpend], period: Period) -> tuple[Cuts, list[RfmRow]]:
    """The cuts and one row per paying customer, by customer id."""
    recency = [(period.as_of - period.local_day(s.last_paid_at)).days for s in spends]
    cuts = Cuts(
        recency_days=quintile_cuts(recency),
        frequency=quintile_cuts([s.window_count for s in spends]),
        monetary_yen=quintile_cuts([s.window_yen for s in spends]),
    )
    rows = []
    for spend, days in zip(spends, recency, strict=True):
        r = score_down(days, cuts.recency_days)
        f = score_up(spend.window_count, cuts.frequency)
        m = score_up(spend.window_yen, cuts.monetary_yen)
        rows.append(
            RfmRow(
                spend.customer_id,
                days,
                spend.window_count,
                spend.window_yen,
                r,
                f,
                m,
                classify(r, f, m),
            )
        )
    rows.sort(key=lambda row: row.customer_id)
    return cuts, rows


def class_counts(rows: Sequence[RfmRow]) -> dict[RfmClass, int]:
    """How many customers each class holds, every class named (0 when empty)."""
    counts = dict.fromkeys(RfmClass, 0)
    for row in rows:
        counts[row.rfm_class] += 1
    return counts
