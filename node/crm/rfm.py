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

**Classes**: rfm_classes.py.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from numpy.typing import NDArray

from node.crm.facts import CustomerSpend, Period
from node.crm.rfm_classes import CLASS_OF_SCORES, QUINTILES, RfmClass
from node.ledger.calendar import start_of_local_day
from node.ledger.rows import from_epoch, to_epoch


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


Ints = NDArray[np.int64]  # a measure or score of every customer, in the order of the spends


def quintile_cuts(values: Sequence[int] | Ints) -> tuple[int, ...]:
    """cut(k) = x(ceil(k * n / 5)) of the sorted values, k = 1..4 (nearest rank)."""
    ordered = np.sort(np.asarray(values, dtype=np.int64))
    n = len(ordered)
    if n == 0:
        return ()
    return tuple(int(ordered[math.ceil(k * n / QUINTILES) - 1]) for k in range(1, QUINTILES))


def cuts_above(values: Ints, cuts: tuple[int, ...]) -> Ints:
    """How many cuts each value is above, 0-4: where it would go among the ascending cuts,
    before equal ones (so equal values always score alike)."""
    return np.searchsorted(np.asarray(cuts, dtype=np.int64), values, side="left").astype(np.int64)


def _column(values: Iterable[int], n: int) -> Ints:
    return np.fromiter(values, dtype=np.int64, count=n)


def recencies(spends: Sequence[CustomerSpend], period: Period) -> Ints:
    """Days from each customer's last payment to the stated day, in local days: the number of
    local day starts from the payment to the end of the stated day, less one. Each day's start
    is worked out once (`start_of_local_day`, as every window's bounds are), then every payment
    is placed among them by bisection. Where clocks skip a midnight by jumping at 00:00 (Santiago)
    the day starts at the jump; a zone that jumps across midnight from another time (none does
    now) would have the day start at midnight of the offset before the jump, as its windows do.
    The payments are those up to the end of the stated day (a later one would count 0)."""
    last = _column((s.last_paid for s in spends), len(spends))
    if len(last) == 0:
        return last
    first = period.local_day(from_epoch(int(last.min())))
    days = (period.as_of - first).days
    # the start of each local day after the first, up to the stated day
    starts = np.fromiter(
        (
            to_epoch(start_of_local_day(first + timedelta(days=k), period.zone))
            for k in range(1, days + 1)
        ),
        dtype=np.int64,
        count=max(days, 0),
    )
    return days - np.searchsorted(starts, last, side="right").astype(np.int64)


@dataclass(frozen=True, eq=False)  # arrays: compared by their rows, not as a whole
class Scored:
    """Every paying customer's measures and scores, as parallel arrays in the order of the
    spends given; `codes[i]` indexes CLASS_OF_SCORES."""

    cuts: Cuts
    spends: Sequence[CustomerSpend]
    recency: Ints
    codes: Ints

    def row(self, i: int) -> RfmRow:
        code = int(self.codes[i])
        spend = self.spends[i]
        return RfmRow(
            spend.customer_id,
            int(self.recency[i]),
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
        for code, n in enumerate(np.bincount(self.codes, minlength=len(CLASS_OF_SCORES))):
            counts[CLASS_OF_SCORES[code]] += int(n)
        return counts

    def in_class(self, wanted: RfmClass) -> list[str]:
        """The customers of one class."""
        codes = np.asarray([found == wanted for found in CLASS_OF_SCORES])
        return [self.spends[int(i)].customer_id for i in np.flatnonzero(codes[self.codes])]

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
    """Every customer's scores as 0-4 (the score less one): frequency and monetary score
    1 + the number of cuts the value is above (more is better), recency 5 - that number (fewer
    days is better)."""
    recency = recencies(spends, period)
    frequency = _column((s.window_count for s in spends), len(spends))
    monetary = _column((s.window_yen for s in spends), len(spends))
    cuts = Cuts(quintile_cuts(recency), quintile_cuts(frequency), quintile_cuts(monetary))
    r_of = QUINTILES - 1 - cuts_above(recency, cuts.recency_days)
    f_of = cuts_above(frequency, cuts.frequency)
    m_of = cuts_above(monetary, cuts.monetary_yen)
    return Scored(cuts, spends, recency, r_of * 25 + f_of * 5 + m_of)


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
