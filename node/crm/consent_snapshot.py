"""The customers whose consent to a purpose stands now, kept in the report worker so that a
segment's count does not read every consent event again (a million customers: ~1 s of the
count, docs/performance.md).

**Why it is exact.** Consent events are append-only and numbered in the order they are written
(`seq`, given by the node's one writer inside its transaction), so a reader's transaction sees
every event up to some number and none after it. The kept set is the full reading up to the
highest number seen; bringing it up to a later reading applies the purpose's events after that
number, in order: a grant adds the customer, a withdrawal removes them, so each customer ends
with their latest event, as the full reading has it. tests/test_crm_consent_snapshot.py holds it
to the full reading.

**Memory.** One set per database and purpose asked for (the customers consenting to marketing
mail: ~40 MB for 400,000 customers); gone when the worker stops.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from node.crm import segment_queries
from node.reads import Reader


@dataclass(frozen=True)
class Consenting:
    through: int  # the highest event number read (0: none)
    event_id: str | None  # that event's id: a database at the same path with another history
    customers: frozenset[str]  # (a restored copy) has another event there, or none


_kept: dict[tuple[str, str], Consenting] = {}  # (database, purpose)


async def consenting(db: Reader, database: str, purpose: str) -> Set[str]:
    """The customers whose latest event for the purpose gave consent, as `db` sees them (the
    same set as segment_queries.consenting): not to be changed."""
    key = (database, purpose)
    kept = _kept.get(key)
    through, event_id = await segment_queries.last_consent_event(db)
    if kept is not None and not await _same_history(db, kept, through):
        kept = None
    if kept is None:
        customers = await segment_queries.consenting(db, purpose)
        kept = Consenting(through, event_id, frozenset(customers))
    elif kept.through < through:
        brought = set(kept.customers)
        for customer_id, granted in await segment_queries.consents_after(db, purpose, kept.through):
            if granted:
                brought.add(customer_id)
            else:
                brought.discard(customer_id)
        kept = Consenting(through, event_id, frozenset(brought))
    _kept[key] = kept
    return kept.customers


async def _same_history(db: Reader, kept: Consenting, through: int) -> bool:
    """Whether `db` holds the kept set's last event where it was read: the worker never
    outlives its node and a restore needs the node stopped, so this is a guard, not a path."""
    if kept.through > through:
        return False
    return kept.through == 0 or await segment_queries.consent_event_id(db, kept.through) == (
        kept.event_id
    )


def is_kept(database: str, purpose: str) -> bool:
    return (database, purpose) in _kept


def forget(database: str) -> None:
    for key in [k for k in _kept if k[0] == database]:
        del _kept[key]
