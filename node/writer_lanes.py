"""The writer's two queues, and which units its next batch takes (node/writer.py's contract).

Work a person waits for at a counter (a redemption, a sale: `Lane.DEFAULT`) must not queue behind
bulk work that a rush can pile up by the thousand (a campaign's first-come grants: `Lane.BULK`).
A batch takes every waiting default unit first (up to `max_batch`), and a batch carrying default
units carries no bulk unit at all, so that a redemption waits for its own few units and one
COMMIT, not for a bulk unit beside it; a batch of bulk alone (the default lane empty) takes up to
`max_bulk` (a bulk unit may itself decide many requests: to the writer it is one unit). Bulk is
never starved: once the bulk lane has waited `bulk_wait_s` since a batch last took one of it (or
since its oldest unit was queued, if later), the next batch keeps room for one bulk unit however
long the default lane (unless `max_batch` is 1: then strict order, default first), and carries
that one and no more beside default units. Within a lane, units run in the order they were queued.

Not thread-safe by itself: the writer calls it under its own condition.
"""

from __future__ import annotations

import asyncio
import enum
import sqlite3
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Work = Callable[[sqlite3.Connection], Any]

# How long the bulk lane may wait behind counter work before a batch carries one bulk unit beside
# it: about two of a rush's bulk batches (node/campaigns/rush.py UNIT_BUDGET_S), so that grants
# keep most of their pace while counters redeem without pause.
BULK_WAIT_S = 0.05


class Lane(enum.Enum):
    """Which queue a unit waits in: DEFAULT is served first, BULK when none waits or it is due."""

    DEFAULT = "default"
    BULK = "bulk"


@dataclass
class Pending:
    """A queued unit and the future its caller awaits (the event loop's)."""

    work: Work
    future: asyncio.Future[Any]
    lane: Lane
    queued_at: float  # the lanes' monotonic clock


class Lanes:
    def __init__(
        self,
        max_batch: int,
        max_bulk: int,
        bulk_wait_s: float,
        monotonic: Callable[[], float],
    ) -> None:
        if max_batch < 1 or max_bulk < 1:
            raise ValueError("max_batch and max_bulk must be at least 1")
        if not bulk_wait_s >= 0:  # NaN too: bulk would never be due beside steady counter work
            raise ValueError("bulk_wait_s must be a number of seconds, not negative")
        self._queues: dict[Lane, deque[Pending]] = {lane: deque() for lane in Lane}
        self._max_batch = max_batch
        self._max_bulk = min(max_bulk, max_batch)
        self._bulk_wait_s = bulk_wait_s
        self._monotonic = monotonic
        self._bulk_served_at = monotonic()  # when a batch last took a bulk unit
        self.bulk_units = 0  # bulk units taken so far

    def add(self, work: Work, future: asyncio.Future[Any], lane: Lane) -> None:
        self._queues[lane].append(Pending(work, future, lane, self._monotonic()))

    def waiting(self, lane: Lane) -> int:
        """Units queued in `lane` that no batch has taken yet."""
        return len(self._queues[lane])

    def take(self) -> list[Pending]:
        """The next batch (empty when nothing waits): see the module's docstring."""
        default, bulk = self._queues[Lane.DEFAULT], self._queues[Lane.BULK]
        now = self._monotonic()
        bulk_is_due = bool(bulk) and (
            now - max(self._bulk_served_at, bulk[0].queued_at) >= self._bulk_wait_s
        )
        kept_for_bulk = 1 if bulk_is_due and self._max_batch > 1 else 0
        batch = [
            default.popleft() for _ in range(min(len(default), self._max_batch - kept_for_bulk))
        ]
        room = min(kept_for_bulk, self._max_batch - len(batch)) if batch else self._max_bulk
        bulk_taken = min(len(bulk), room)
        batch.extend(bulk.popleft() for _ in range(bulk_taken))
        if bulk_taken:
            self._bulk_served_at = now
            self.bulk_units += bulk_taken
        return batch

    def clear(self) -> list[Pending]:
        """Every unit still queued, in both lanes, taken out (they will never run)."""
        stranded = [pending for queue in self._queues.values() for pending in queue]
        for queue in self._queues.values():
            queue.clear()
        return stranded
