"""Bulk batching: many requests of one kind decided together in one writer unit on the bulk lane.

In a rush, each first-come request is small (check the stock and the person's limit, write one
grant) while a writer unit costs a savepoint, a Python call and its place in a batch. So requests
for one key (a campaign) are collected and decided in order by ONE unit, each in its own
SAVEPOINT (`decide_each`): a refused request rolls back alone and the others stand, exactly as
units do inside a batch. A unit may also stop after a time budget and hand back the requests it
did not reach (`Deferred`); they go out again first.

Collection clocks itself: a key's requests go to the writer at once while fewer than
`max_units_in_flight` of its units are there; beyond that they gather until one comes back, and
then leave together (at most `max_size` per unit). A quiet campaign adds no delay; a busy one
makes big units, and the writer's lanes keep those from slowing the counter.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from node import db
from node.writer import GroupCommitWriter
from node.writer_lanes import Lane

log = logging.getLogger(__name__)
R = TypeVar("R")
D = TypeVar("D")

# One writer unit deciding `requests` of the key in order: one outcome per request, the value
# or the refusal (returned, not raised: the unit's other decisions stand).
UnitFor = Callable[[str, Sequence[R]], Callable[[sqlite3.Connection], list[D | Exception]]]
# A refusal known without the writer (the stock is gone), or None to go ahead.
RefuseEarly = Callable[[str], Exception | None]


class Deferred(Exception):
    """Not decided in this unit (its time was up): the batcher sends the request again, first."""


@dataclass(frozen=True)
class Budget:
    """How long one unit may decide before it hands the rest back: `seconds`, or only
    `beside_counter_s` while `counter_waits()` says a unit a person waits for (a counter's
    redemption) is in the writer's batch or queued for the next one, so that the rush's
    decisions, not the counter, are what waits."""

    seconds: float
    beside_counter_s: float | None = None
    counter_waits: Callable[[], bool] | None = None

    def is_spent(self, elapsed_s: float) -> bool:
        if elapsed_s >= self.seconds:
            return True
        if self.beside_counter_s is None or self.counter_waits is None:
            return False
        return elapsed_s >= self.beside_counter_s and self.counter_waits()


def decide_each(
    conn: sqlite3.Connection,
    requests: Sequence[R],
    decide_one: Callable[[sqlite3.Connection, R], D],
    budget: Budget | float | None = None,
) -> list[D | Exception]:
    """Run `decide_one` for each request in order, each in its own SAVEPOINT: a refusal is rolled
    back alone and returned in its place. A storage failure is not a refusal: it is raised, and
    the writer fails the whole batch. Once the budget is spent (seconds, or a `Budget`; at least
    one request is always decided), the rest are returned `Deferred`: a unit never holds the
    writer's batch, and the counter's redemptions in it, much longer than that, however slow the
    machine."""
    if isinstance(budget, float | int):
        budget = Budget(float(budget))
    outcomes: list[D | Exception] = []
    started = time.perf_counter()
    for request in requests:
        if outcomes and budget is not None and budget.is_spent(time.perf_counter() - started):
            outcomes.append(Deferred())
            continue
        conn.execute("SAVEPOINT request")
        try:
            outcome: D | Exception = decide_one(conn, request)
        except Exception as exc:
            if db.storage_error(exc) is not None:
                raise
            conn.execute("ROLLBACK TO request")
            outcome = exc
        conn.execute("RELEASE request")
        outcomes.append(outcome)
    return outcomes


@dataclass(eq=False)
class _Gathering(Generic[R, D]):
    waiting: list[tuple[R, asyncio.Future[D]]] = field(default_factory=list)
    units_in_flight: int = 0
    is_scheduled: bool = False


class BulkBatcher(Generic[R, D]):
    """Per key, requests gathered and decided many to a writer unit, on the writer's bulk lane."""

    def __init__(
        self,
        writer: GroupCommitWriter,
        unit_for: UnitFor[R, D],
        *,
        max_size: int = 64,
        max_units_in_flight: int = 2,
        refuse_early: RefuseEarly | None = None,
    ) -> None:
        if max_size < 1 or max_units_in_flight < 1:
            raise ValueError("max_size and max_units_in_flight must be at least 1")
        self._writer = writer
        self._unit_for = unit_for
        self._max_size = max_size
        self._max_units_in_flight = max_units_in_flight
        self._refuse_early = refuse_early
        self._keys: dict[str, _Gathering[R, D]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.units = 0
        self.decided = 0

    async def decide(self, key: str, request: R) -> D:
        """The request's outcome once durable, or its refusal raised. Cancelling the wait does
        not withdraw the request (it may already be in the writer)."""
        return await self.decide_soon(key, request)

    def decide_soon(self, key: str, request: R) -> asyncio.Future[D]:
        """`decide` without a coroutine: the future of the request's outcome (or refusal).
        Cancelling it does not withdraw the request either: its outcome is then told nobody."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[D] = loop.create_future()
        gathering = self._keys.setdefault(key, _Gathering())
        gathering.waiting.append((request, future))
        if not gathering.is_scheduled:  # requests arriving in this same turn of the loop join in
            gathering.is_scheduled = True
            loop.call_soon(self._send, key)
        return future

    def waiting(self, key: str) -> int:
        gathering = self._keys.get(key)
        return 0 if gathering is None else len(gathering.waiting)

    async def close(self) -> None:
        """Stop: units under way are abandoned by their callers (the writer still commits them);
        requests still gathering are cancelled."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for gathering in self._keys.values():
            for _, future in gathering.waiting:
                future.cancel()
            gathering.waiting.clear()

    def _send(self, key: str) -> None:
        gathering = self._keys[key]
        gathering.is_scheduled = False
        while gathering.waiting and gathering.units_in_flight < self._max_units_in_flight:
            batch = gathering.waiting[: self._max_size]
            del gathering.waiting[: self._max_size]
            gathering.units_in_flight += 1
            task = asyncio.get_running_loop().create_task(self._decide_batch(key, batch))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _decide_batch(self, key: str, batch: list[tuple[R, asyncio.Future[D]]]) -> None:
        gathering = self._keys[key]
        try:
            await self._decide_batch_now(key, batch)
        except asyncio.CancelledError:
            for _, future in batch:
                future.cancel()
            raise
        finally:
            gathering.units_in_flight -= 1
            if gathering.waiting and not gathering.is_scheduled:
                gathering.is_scheduled = True
                asyncio.get_running_loop().call_soon(self._send, key)

    async def _decide_batch_now(self, key: str, batch: list[tuple[R, asyncio.Future[D]]]) -> None:
        if self._refuse_early is not None and self._refuse_early(key) is not None:
            for _, future in batch:  # each caller its own exception (tracebacks are per raise)
                _settle(future, self._refuse_early(key) or RuntimeError("refused"))
            return
        try:
            unit = self._unit_for(key, [request for request, _ in batch])
            outcomes = await self._writer.submit(unit, Lane.BULK)
            if len(outcomes) != len(batch):
                raise RuntimeError(f"{len(outcomes)} outcomes for {len(batch)} requests")
        except Exception as exc:  # nothing of this unit was written: everyone is told
            for _, future in batch:
                _settle(future, exc)
            return
        self.units += 1
        deferred = []
        for (request, future), outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, Deferred):
                deferred.append((request, future))
            else:
                self.decided += 1
                _settle(future, outcome)
        if deferred:  # back to the front of the line, in their order
            self._keys[key].waiting[:0] = deferred


def _settle(future: asyncio.Future[D], outcome: D | Exception) -> None:
    if future.done():  # its caller stopped waiting
        return
    if isinstance(outcome, Exception):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)
