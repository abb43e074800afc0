"""Every paying customer's spend (facts.py) as of a day, quickly: the report worker keeps the
figures of a closed day in memory and brings them up to a later day with what changed since,
instead of summing ten million payments again for each report. The keeping (`figure`) serves
the KPIs' and cohorts' figures too (kpi_snapshot.py): each is a `Figure`, read in full as of a
day and brought forward from a kept day by the same rules.

**Why it is exact.** A closed day's figures never change (every read is bounded by the day's end,
and rows are dated when they are written: facts.py). Between the end of the snapshot's day S and
the end of a later day D (D - S at most the window's length and MAX_GAP_DAYS), a customer's
figures change only through
- payments made in [end of S, end of D): added (first, last, total, window);
- payments that leave the window, made in [window start of S, window start of D): their count
  and yen come out of the window's figures (they still count in the total);
- an earlier payment undone or handed over in [end of S, end of D) (facts_queries.changed_between):
  that customer's figures are read again in full, through the customer's own index.
tests/test_crm_spend_snapshot.py holds the result to the full reading for random histories.

**Which day is closed.** One that ended at least CLOSE_GRACE before the node's now, so that a
write dated just before midnight and committed just after it is in the snapshot. The node says
which (`closed_through`, from its clock); the worker has no clock of its own.

**Memory.** One snapshot of each figure per window length a report asked for (a segment's own
window is read in full and not kept: `keep`), the last MAX_WINDOWS of them: a worker measured
~700 MB resident with one snapshot of a million customers' spends (docs/performance.md); gone
when it stops.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar

from node.crm import facts_queries
from node.crm.facts import CustomerSpend, Period, combined
from node.reads import Reader

CLOSE_GRACE = timedelta(minutes=5)
MAX_GAP_DAYS = 31
MAX_WINDOWS = 2

T = TypeVar("T")


@dataclass(frozen=True)
class Kept(Generic[T]):
    """A figure as of a closed day. `value` is never changed in place: bringing it forward makes
    a new one."""

    period: Period
    value: T
    # what a figure reads once per later day and keeps for the day last asked for (the spends:
    # the payments that left the window by then, which never change)
    memo: dict[date, Any] = field(default_factory=dict)


class Figure(Protocol[T]):
    """What the worker keeps by day: its full reading as of a day, and how a kept day's value is
    brought up to a later day (at most the window's length and MAX_GAP_DAYS later) given the
    customers whose earlier dealings changed in between (facts_queries.changed_between)."""

    @property
    def name(self) -> str: ...

    async def read(self, db: Reader, period: Period) -> T: ...

    async def forward(self, db: Reader, kept: Kept[T], period: Period, changed: set[str]) -> T: ...


_kept: dict[tuple[str, int, str], Kept[Any]] = {}  # (database, window days, figure): newest day


def closed_through(now: datetime, period: Period) -> date:
    """The last local day that ended at least CLOSE_GRACE before `now`."""
    return (now - CLOSE_GRACE).astimezone(period.zone).date() - timedelta(days=1)


def kept(database: str, period: Period, name: str = "spends") -> Kept[Any] | None:
    """The figure kept for the period's window length, if any."""
    return _kept.get((database, period.window_days, name))


def departures_read(database: str, period: Period) -> bool:
    """Whether the kept spends need nothing read once a day to come to `period`'s day: they are
    of that day, or the payments that left the window by it have been read (`Spends.forward`)."""
    snapshot = kept(database, period)
    return snapshot is not None and (
        snapshot.period.as_of == period.as_of or period.as_of in snapshot.memo
    )


def forget(database: str) -> None:
    for key in [k for k in _kept if k[0] == database]:
        del _kept[key]


async def figure(
    db: Reader, wanted: Figure[T], database: str, period: Period, closed: date, keep: bool = True
) -> T:
    """`wanted` as of `period`'s day (the same value as its full reading), from the one kept for
    the window's length when it can be brought up to it. The one kept follows the last closed
    day, `closed`; one is made of that day when there is none to use, unless `keep` is false (a
    window asked for once, such as a segment's own: read in full, so that it does not push a
    report's out)."""
    key = (database, period.window_days, wanted.name)
    snapshot: Kept[T] | None = _kept.get(key)
    if snapshot is not None and snapshot.period.as_of > closed:
        del _kept[key]  # the node's clock went back: that day is not closed any more
        snapshot = None
    if snapshot is not None and snapshot.period.as_of < closed <= period.as_of:
        day = Period(closed, period.window_days, period.zone)
        if _usable(snapshot.period, day):
            snapshot = Kept(day, await _brought_forward(db, wanted, snapshot, day))
            _keep(key, snapshot)
    if snapshot is None or not _usable(snapshot.period, period):
        base = Period(min(period.as_of, closed), period.window_days, period.zone)
        older = snapshot is not None and snapshot.period.as_of > base.as_of
        if not keep or older or not _usable(base, period):
            # asked once, an older day than the one kept (which stays), or too far from a
            # closed day
            return await wanted.read(db, period)
        snapshot = Kept(base, await wanted.read(db, base))
        _keep(key, snapshot)
    if snapshot.period.as_of == period.as_of:
        return snapshot.value
    return await _brought_forward(db, wanted, snapshot, period)


def _usable(base: Period, wanted: Period) -> bool:
    gap = (wanted.as_of - base.as_of).days
    return base.zone == wanted.zone and 0 <= gap <= min(MAX_GAP_DAYS, wanted.window_days)


def _keep(key: tuple[str, int, str], snapshot: Kept[Any]) -> None:
    _kept.pop(key, None)
    _kept[key] = snapshot  # newest last
    same = [k for k in _kept if k[0] == key[0] and k[2] == key[2]]
    for oldest in same[: max(0, len(same) - MAX_WINDOWS)]:
        del _kept[oldest]


async def _brought_forward(db: Reader, wanted: Figure[T], kept: Kept[T], period: Period) -> T:
    changed = await facts_queries.changed_between(db, kept.period.end, period.end)
    return await wanted.forward(db, kept, period, changed)


class Spends:
    """Every paying customer's `CustomerSpend`, by customer."""

    name = "spends"

    async def read(self, db: Reader, period: Period) -> dict[str, CustomerSpend]:
        return {s.customer_id: s for s in await facts_queries.spends(db, period)}

    async def forward(
        self, db: Reader, kept: Kept[dict[str, CustomerSpend]], period: Period, changed: set[str]
    ) -> dict[str, CustomerSpend]:
        base = kept.period
        made = await facts_queries.made_between(
            db, base.end, period.end, period.end, period.window_start
        )
        left = kept.memo.get(period.as_of)
        if left is None:
            left = await facts_queries.made_between(
                db, base.window_start, period.window_start, base.end, base.window_start
            )
            kept.memo.clear()  # only the day last asked for is kept
            kept.memo[period.as_of] = left
        spends = dict(kept.value)
        for customer_id in changed:
            spends.pop(customer_id, None)
        for gone in left:
            seen = spends.get(gone.customer_id)
            if seen is not None and gone.customer_id not in changed:
                spends[gone.customer_id] = seen._replace(
                    window_count=seen.window_count - gone.window_count,
                    window_yen=seen.window_yen - gone.window_yen,
                )
        for new in made:
            if new.customer_id not in changed:
                seen = spends.get(new.customer_id)
                spends[new.customer_id] = new if seen is None else combined(seen, new)
        if changed:
            for again in await facts_queries.spends_of(db, period, changed):
                spends[again.customer_id] = again
        return spends


SPENDS = Spends()


async def spends_by_customer(
    db: Reader, database: str, period: Period, closed: date, keep: bool = True
) -> Mapping[str, CustomerSpend]:
    """Every paying customer's spend as of `period`'s day (the same figures as
    facts_queries.spends), by customer: not to be changed."""
    return await figure(db, SPENDS, database, period, closed, keep)


async def spends(
    db: Reader, database: str, period: Period, closed: date, keep: bool = True
) -> list[CustomerSpend]:
    return list((await spends_by_customer(db, database, period, closed, keep)).values())
