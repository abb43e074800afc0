"""Every paying customer's spend (facts.py) as of a day, quickly: the report worker keeps the
figures of a closed day in memory and brings them up to a later day with what changed since,
instead of summing ten million payments again for each report.

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

**Memory.** One snapshot per window length a report asked for (a segment's own window is read
in full and not kept: `keep`), the last MAX_WINDOWS of them: a worker measured ~700 MB resident
with one snapshot of a million customers (docs/performance.md); gone when it stops.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from node.crm import facts_queries
from node.crm.facts import CustomerSpend, Period, combined
from node.reads import Reader

CLOSE_GRACE = timedelta(minutes=5)
MAX_GAP_DAYS = 31
MAX_WINDOWS = 2


@dataclass(frozen=True)
class Snapshot:
    period: Period
    spends: dict[str, CustomerSpend]
    # the payments that left the window by the later day last asked for: they never change (read
    # as of the snapshot's closed day), so today's are read once, not at every report
    left: dict[date, list[CustomerSpend]] = field(default_factory=dict)


_kept: dict[tuple[str, int], Snapshot] = {}  # (database, window days): the newest closed day


def closed_through(now: datetime, period: Period) -> date:
    """The last local day that ended at least CLOSE_GRACE before `now`."""
    return (now - CLOSE_GRACE).astimezone(period.zone).date() - timedelta(days=1)


def kept(database: str, period: Period) -> Snapshot | None:
    """The snapshot kept for the period's window length, if any."""
    return _kept.get((database, period.window_days))


def forget(database: str) -> None:
    for key in [k for k in _kept if k[0] == database]:
        del _kept[key]


async def spends(
    db: Reader, database: str, period: Period, closed: date, keep: bool = True
) -> list[CustomerSpend]:
    """Every paying customer's spend as of `period`'s day (the same figures as
    facts_queries.spends), from the snapshot kept for the window's length when one can be brought
    up to it. The snapshot kept follows the last closed day, `closed`; one is made of that day
    when there is none to use, unless `keep` is false (a window asked for once, such as a
    segment's own: read in full, so that it does not push a report's snapshot out)."""
    key = (database, period.window_days)
    snapshot = _kept.get(key)
    if snapshot is not None and snapshot.period.as_of > closed:
        del _kept[key]  # the node's clock went back: that day is not closed any more
        snapshot = None
    if snapshot is not None and snapshot.period.as_of < closed <= period.as_of:
        day = Period(closed, period.window_days, period.zone)
        if _usable(snapshot.period, day):
            snapshot = Snapshot(day, await _brought_forward(db, snapshot, day))
            _keep(key, snapshot)
    if snapshot is None or not _usable(snapshot.period, period):
        base = Period(min(period.as_of, closed), period.window_days, period.zone)
        older = snapshot is not None and snapshot.period.as_of > base.as_of
        if not keep or older or not _usable(base, period):
            # asked once, an older day than the one kept (which stays), or too far from a
            # closed day
            return await facts_queries.spends(db, period)
        snapshot = Snapshot(base, {s.customer_id: s for s in await facts_queries.spends(db, base)})
        _keep(key, snapshot)
    if snapshot.period.as_of == period.as_of:
        return list(snapshot.spends.values())
    return list((await _brought_forward(db, snapshot, period)).values())


def _usable(base: Period, wanted: Period) -> bool:
    gap = (wanted.as_of - base.as_of).days
    return base.zone == wanted.zone and 0 <= gap <= min(MAX_GAP_DAYS, wanted.window_days)


def _keep(key: tuple[str, int], snapshot: Snapshot) -> None:
    _kept.pop(key, None)
    _kept[key] = snapshot  # newest last
    while len(_kept) > MAX_WINDOWS:
        del _kept[next(iter(_kept))]


async def _brought_forward(db: Reader, kept: Snapshot, period: Period) -> dict[str, CustomerSpend]:
    base = kept.period
    changed = await facts_queries.changed_between(db, base.end, period.end)
    made = await facts_queries.made_between(
        db, base.end, period.end, period.end, period.window_start
    )
    left = kept.left.get(period.as_of)
    if left is None:
        left = await facts_queries.made_between(
            db, base.window_start, period.window_start, base.end, base.window_start
        )
        kept.left.clear()  # only the day last asked for is kept
        kept.left[period.as_of] = left
    spends = dict(kept.spends)
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
