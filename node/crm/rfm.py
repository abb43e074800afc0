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

import heapq
import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from node.crm.facts import CustomerSpend, Period
from node.ledger.rows import from_epoch

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


# The class of every score triple, at (r - 1) * 25 + (f - 1) * 5 + (m - 1).
CLASS_OF_SCORES = tuple(
    classify(r, f, m)
    for r in range(1, QUINTILES + 1)
    for f in range(1, QUINTILES + 1)
    for m in range(1, QUINTILES + 1)
)
QUARTER_HOUR_S = 900


def recencies(spends: Sequence[CustomerSpend], period: Period) -> list[int]:
    """Days from each customer's last payment to the stated day, in local days. Every zone's
    offset from UTC is a whole number of quarter hours, so a local day starts at a quarter hour
    of UTC and each quarter hour's local day is worked out once."""
    as_of = period.as_of.toordinal()
    day_of: dict[int, int] = {}
    days = []
    for spend in spends:
        quarter = spend.last_paid // QUARTER_HOUR_S
        day = day_of.get(quarter)
        if day is None:
            moment = from_epoch(quarter * QUARTER_HOUR_S)
            day = day_of[quarter] = as_of - period.local_day(moment).toordinal()
        days.append(day)
    return days


@dataclass(frozen=True)
class Scored:
    """Every paying customer's measures and scores, as parallel lists in the order of the
    spends given; `codes[i]` indexes CLASS_OF_SCORES."""

    cuts: Cuts
    spends: Sequence[CustomerSpend]
    recency: list[int]
    codes: list[int]

    def row(self, i: int) -> RfmRow:
        code = self.codes[i]
        spend = self.spends[i]
        return RfmRow(
            spend.customer_id,
            self.recency[i],
            spend.window_count,
            spend.window_yen,
            code // 25 + 1,
            code // 5 % 5 + 1,
            code % 5 + 1,
            CLASS_OF_SCORES[code],
        )

    def counts(self) -> dict[RfmClass, int]:
        """How many customers each class holds, every class named (0 when empty)."""
        counts = dict.fromkeys(RfmClass, 0)
        for code, n in Counter(self.codes).items():
            counts[CLASS_OF_SCORES[code]] += n
        return counts

    def rows(self, first: int = 0, limit: int | None = None) -> list[RfmRow]:
        """The rows in customer order from row `first`, `limit` of them (None: all)."""
        n = len(self.spends)
        end = n if limit is None else min(n, first + limit)
        if end <= first:
            return []
        ids = [s.customer_id for s in self.spends]
        if end == n:
            order = sorted(range(n), key=ids.__getitem__)
        else:
            order = heapq.nsmallest(end, range(n), key=ids.__getitem__)
        return [self.row(i) for i in order[first:end]]


def scored(spends: Sequence[CustomerSpend], period: Period) -> Scored:
    recency = recencies(spends, period)
    frequency = [s.window_count for s in spends]
    monetary = [s.window_yen for s in spends]
    cuts = Cuts(quintile_cuts(recency), quintile_cuts(frequency), quintile_cuts(monetary))
    # bisect_left(cuts, v): the number of cuts v is above (score_up, score_down), as 0-4
    r_of = [QUINTILES - 1 - bisect_left(cuts.recency_days, d) for d in recency]
    f_of = [bisect_left(cuts.frequency, n) for n in frequency]
    m_of = [bisect_left(cuts.monetary_yen, y) for y in monetary]
    codes = [r * 25 + f * 5 + m for r, f, m in zip(r_of, f_of, m_of, strict=True)]
    return Scored(cuts, spends, recency, codes)


def rfm_table(spends: Sequence[CustomerSpend], period: Period) -> tuple[Cuts, list[RfmRow]]:
    """The cuts and one row per paying customer, by customer id."""
    table = scored(spends, period)
    return table.cuts, table.rows()


def class_counts(rows: Sequence[RfmRow]) -> dict[RfmClass, int]:
    """How many customers each class holds, every class named (0 when empty)."""
    counts = dict.fromkeys(RfmClass, 0)
    for row in rows:
        counts[row.rfm_class] += 1
    return counts
