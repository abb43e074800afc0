"""The single writer: every change goes through one SQLite connection and is group-committed.

Callers submit a unit of work (a function of the connection). The writer's thread takes whatever
is queued, runs the whole batch inside one BEGIN IMMEDIATE ... COMMIT, each unit in its own
SAVEPOINT so a refused unit rolls back alone, and answers every caller only after COMMIT returned
(synchronous=FULL: the batch is on disk). One fsync per batch, not per request.

The thread takes its next batch as soon as the previous one committed, by itself: the event loop
only queues units and, once a batch is durable, is handed its answers (futures are the loop's, so
they are resolved there). A saturated event loop therefore delays when a caller hears the answer,
not when the next batch starts: in a rush the loop's turns are long (hundreds of requests each),
and a writer whose every batch waited for one spent most of its time waiting.

Two lanes (node/writer_lanes.py): work a person waits for at a counter (`Lane.DEFAULT`) goes in
batches of its own, never beside bulk work a rush piles up (`Lane.BULK`), unless bulk has waited
`bulk_wait_s`; then one bulk unit shares the batch. Bulk alone: up to `max_bulk` units a batch.

The contract, for whoever writes a unit or stops the writer:

- A unit may run more than once. When COMMIT itself fails for a reason one unit can cause (a
  deferred foreign key or CHECK: sqlite3.IntegrityError), the batch is rolled back and every unit
  runs again alone, so that the faulty one fails by itself. A unit must therefore be a function
  of the connection: everything it changes is in the database (rolled back with the batch), and
  values it needs from outside (clock, ids, secrets) are taken before it is submitted or drawn
  afresh on each run. Only the run that committed gives the caller its value.
- A unit runs in the writer's thread, never in the event loop: it must not touch the loop's
  objects (futures, tasks, aiohttp state); it gets what it needs as arguments and returns a value.
- A failure that is the disk's or the file's, not a unit's (SQLITE_FULL, SQLITE_READONLY,
  SQLITE_IOERR, a damaged file), fails the whole batch once with the matching StorageError
  (storage.disk_full, storage.read_only, ...): nothing was written, no unit is run again.
- Cancelling a caller's await does not withdraw its unit: it runs and commits with its batch.
- Cancelling the writer's task while a batch is in the thread waits for that batch (a thread
  cannot be interrupted), gives each of its callers the batch's true outcome, and ends the task.
  However the task ends (cancelled idle or mid-batch, or before it ever ran), units still queued
  in either lane are failed with WriterClosed (they never ran: nothing of them was written), and
  from then on `enqueue` refuses new ones (a unit queued once the cancellation was asked for is
  failed at once). `stop()` is the orderly way: it commits everything queued in both lanes
  before it, and leaves no caller waiting.
- After each batch, in the event loop: the `on_batch` observer, then every caller's answer, then
  the `listeners`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from node import db
from node.writer_lanes import BULK_WAIT_S, Lane, Lanes, Pending, Work

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class _Result:
    value: Any = None
    error: BaseException | None = None


class WriterClosed(RuntimeError):
    pass


# Called after every batch, in the event loop: units in it, seconds from the thread taking it to
# the loop answering it (BEGIN ... COMMIT, then the wait for the loop's turn).
BatchObserver = Callable[[int, float], None]


class GroupCommitWriter:
    def __init__(
        self,
        path: Path,
        migrations: tuple[tuple[str, db.Migration], ...],
        max_batch: int = 256,
        on_batch: BatchObserver | None = None,
        max_bulk: int = 1,
        bulk_wait_s: float = BULK_WAIT_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """`migrations`: the schema `start` brings the database to (the composition root's
        node/migrations/ package), applied before any unit runs. `max_bulk`: the most bulk-lane
        units one batch carries (at least one, and never more than `max_batch`). `bulk_wait_s`:
        how long the bulk lane waits behind default units before a batch carries one of it
        beside them (0: every batch beside default units carries one, if one waits)."""
        self._path = path
        self._migrations = migrations
        self._on_batch = on_batch
        # The lanes and the two flags below are shared with the writer's thread: read and
        # changed only under this condition, which the thread waits on when it has nothing to take.
        self._lanes = Lanes(max_batch, max_bulk, bulk_wait_s, monotonic)
        self._changed = threading.Condition()
        self._draining = False  # stop(): take what is queued, then end
        self._closing = False  # the task was cancelled: end after the batch in hand
        self._batch_has_default = False  # the batch in hand carries default units (thread's)
        self._conn: sqlite3.Connection | None = None
        self._task: asyncio.Task[None] | None = None
        self.batches = 0
        self.units = 0
        # Told after every batch, in the event loop, once it is committed (or failed): the live
        # wallet (node/web/live.py) wakes its streams from here instead of polling the database.
        self.listeners: list[Callable[[], None]] = []

    async def start(self) -> None:
        if self._task is not None or self._conn is not None:
            raise RuntimeError("the writer is started already")  # two threads on one connection
        self._conn = await asyncio.to_thread(self._open)
        self._task = asyncio.create_task(self._run(), name="kippu-writer")
        # Whatever ends the task (a cancellation while it waits for work included), what is still
        # queued then never ran: answer it rather than leave its caller waiting forever.
        self._task.add_done_callback(lambda _: self._refuse_queued())
        await asyncio.sleep(0)  # the task's first step starts the thread: serving once we return

    def _open(self) -> sqlite3.Connection:
        conn = db.open_checked(self._path)
        try:
            db.migrate(conn, self._migrations)
        except sqlite3.Error as exc:
            conn.close()
            failure = db.storage_error(exc)
            if failure is None:
                raise
            raise failure from exc
        return conn

    async def submit(self, work: Callable[[sqlite3.Connection], T], lane: Lane = Lane.DEFAULT) -> T:
        """Run `work` in a coming batch; return its value once durable, or raise its exception."""
        return await self.enqueue(work, lane)

    def enqueue(
        self, work: Callable[[sqlite3.Connection], T], lane: Lane = Lane.DEFAULT
    ) -> asyncio.Future[T]:
        """Queue `work` now in `lane` (units of a lane run in the order they are queued); await
        the future for its value once durable."""
        task = self._task
        if task is None or task.done():
            raise WriterClosed("the writer is not running")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        if task.cancelling():  # ending: the thread must not take it before the task tells it so
            future.set_exception(WriterClosed("the writer stopped before this ran"))
            return future
        with self._changed:
            self._lanes.add(work, future, lane)
            self._changed.notify()
        return future

    def waiting(self, lane: Lane) -> int:
        """Units queued in `lane` that no batch has taken yet."""
        return self._lanes.waiting(lane)

    def counter_waits(self) -> bool:
        """A default unit is in the batch in hand or queued (bulk units ask, to stop early)."""
        return self._batch_has_default or bool(self._lanes.waiting(Lane.DEFAULT))

    @property
    def bulk_units(self) -> int:
        """Bulk units its batches have taken so far."""
        return self._lanes.bulk_units

    @property
    def is_running(self) -> bool:
        """Started, not stopped, and its task has not died."""
        return self._task is not None and not self._task.done()

    async def stop(self) -> None:
        """Finish everything already queued, then close the connection (also when the writer's
        thread had failed: its failure is raised after)."""
        try:
            if self._task is not None:
                task, self._task = self._task, None
                self._tell_thread(draining=True)
                try:
                    await task
                except asyncio.CancelledError:
                    if not task.cancelled():  # we were cancelled, not the writer: pass it on
                        raise
                self._refuse_queued()  # queued to a task that had already ended: never ran
        finally:
            if self._conn is not None:
                conn, self._conn = self._conn, None
                await asyncio.to_thread(conn.close)

    async def _run(self) -> None:
        """Runs the writer's thread and lives as long as it: cancelling this task ends the
        thread after the batch it holds, whose callers are answered first."""
        loop = asyncio.get_running_loop()
        ended: asyncio.Future[None] = loop.create_future()
        # A daemon thread: a loop closed without stop() must not keep the process from exiting.
        thread = threading.Thread(
            target=self._serve, args=(loop, ended), name="kippu-writer", daemon=True
        )
        thread.start()
        cancelled = False
        while not ended.done():
            try:
                # Shielded: cancelling this task must not abandon a batch that may commit.
                await asyncio.shield(ended)
            except asyncio.CancelledError:
                cancelled = True
                self._tell_thread(closing=True)
        if cancelled:
            raise asyncio.CancelledError()
        ended.result()  # the thread's own failure, if it had one, ends the task with it

    def _tell_thread(self, *, draining: bool = False, closing: bool = False) -> None:
        with self._changed:
            self._draining |= draining
            self._closing |= closing
            self._changed.notify()

    def _serve(self, loop: asyncio.AbstractEventLoop, ended: asyncio.Future[None]) -> None:
        """The writer's thread: batch after batch, each answered in the event loop."""
        failure: Exception | None = None
        try:
            while (batch := self._next_batch()) is not None:
                taken = time.perf_counter()
                try:
                    results = self._commit_or_fail(batch)
                except BaseException as exc:  # SystemExit, a CancelledError raised in a unit
                    # Not a unit's refusal: nothing of the batch is written, its callers are told,
                    # and the writer ends loudly (the task fails) instead of leaving them waiting.
                    self._roll_back()
                    fault = RuntimeError(f"a unit raised {type(exc).__name__}: batch not written")
                    results = [_Result(error=fault) for _ in batch]
                    loop.call_soon_threadsafe(self._answer_batch, batch, results, taken)
                    raise fault from exc
                loop.call_soon_threadsafe(self._answer_batch, batch, results, taken)
        except Exception as exc:  # a fault of the writer's own, or the loop closed under it
            log.exception("the writer's thread ended")
            failure = exc
        finally:
            _settle_from_thread(loop, ended, failure)

    def _next_batch(self) -> list[Pending] | None:
        """The next batch, once there is one; None when the writer is to end."""
        with self._changed:
            while not self._closing:
                batch = self._lanes.take()
                self._batch_has_default = any(p.lane is Lane.DEFAULT for p in batch)
                if batch:
                    return batch
                if self._draining:
                    return None
                self._changed.wait()
            return None

    def _roll_back(self) -> None:
        conn = self._conn
        if conn is not None and conn.in_transaction:
            conn.execute("ROLLBACK")

    def _commit_or_fail(self, batch: list[Pending]) -> list[_Result]:
        try:
            return self._commit_batch([pending.work for pending in batch])
        except Exception as exc:  # the batch itself failed: nobody's work is durable
            log.exception("writer batch failed")
            return [_Result(error=exc) for _ in batch]

    def _answer_batch(self, batch: list[Pending], results: list[_Result], taken: float) -> None:
        """In the event loop, once the batch is durable (or failed)."""
        self.batches += 1
        self.units += len(batch)
        if self._on_batch is not None:
            try:
                self._on_batch(len(batch), time.perf_counter() - taken)
            except Exception:  # an observer's fault must never stop the writer
                log.exception("writer batch observer failed")
        for pending, result in zip(batch, results, strict=True):
            _answer(pending, result)
        self._tell_listeners()

    def _tell_listeners(self) -> None:
        for listener in self.listeners:
            try:
                listener()
            except Exception:  # a listener's fault must never stop the writer
                log.exception("writer listener failed")

    def _refuse_queued(self) -> None:
        """Units that never ran when the writer's task ended: nothing of them was written."""
        with self._changed:
            stranded = self._lanes.clear()
        for pending in stranded:
            _answer(pending, _Result(error=WriterClosed("the writer stopped before this ran")))

    def _commit_batch(self, works: list[Work]) -> list[_Result]:
        conn = self._conn
        if conn is None:
            raise WriterClosed("the writer is closed")
        try:
            conn.execute("BEGIN IMMEDIATE")
            results = [self._run_unit(conn, work) for work in works]
            conn.execute("COMMIT")
            return results
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            failure = db.storage_error(exc)
            if failure is not None:  # the disk's or the file's fault: the same for every unit
                log.error("a batch of %d was not written: %s (%s)", len(works), failure.code, exc)
                return [_Result(error=failure) for _ in works]
            if len(works) == 1 or not isinstance(exc, sqlite3.IntegrityError):
                raise
            # Something only visible at COMMIT (a deferred foreign key): retry each unit alone so
            # one faulty unit cannot take the others down with it (units may run twice: above).
            log.warning("batch of %d failed at commit; retrying units one by one", len(works))
            return [self._commit_single(conn, work) for work in works]

    def _commit_single(self, conn: sqlite3.Connection, work: Work) -> _Result:
        try:
            return self._commit_batch([work])[0]
        except sqlite3.Error as exc:
            return _Result(error=exc)

    @staticmethod
    def _run_unit(conn: sqlite3.Connection, work: Work) -> _Result:
        conn.execute("SAVEPOINT unit")
        try:
            value = work(conn)
        except Exception as exc:
            if db.storage_error(exc) is not None:
                raise  # not this unit's refusal: the batch cannot be written at all
            conn.execute("ROLLBACK TO unit")
            conn.execute("RELEASE unit")
            return _Result(error=exc)
        conn.execute("RELEASE unit")
        return _Result(value=value)


def _settle_from_thread(
    loop: asyncio.AbstractEventLoop, ended: asyncio.Future[None], error: BaseException | None
) -> None:
    """Tell the task its thread ended, after the answers the thread posted before (the loop runs
    callbacks in the order they were posted). A loop already closed has nobody left to tell."""

    def settle() -> None:
        if ended.done():
            return
        if error is None:
            ended.set_result(None)
        else:
            ended.set_exception(error)

    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(settle)


def _answer(pending: Pending, result: _Result) -> None:
    if pending.future.done():  # its caller's await was cancelled: nobody to tell
        return
    if isinstance(result.error, StopIteration):
        # A future refuses StopIteration (TypeError), which would leave the rest of the batch
        # unanswered: the unit's error is given as what it is, a fault.
        fault = RuntimeError(f"the unit raised StopIteration: {result.error!r}")
        fault.__cause__ = result.error
        pending.future.set_exception(fault)
    elif result.error is not None:
        pending.future.set_exception(result.error)
    else:
        pending.future.set_result(result.value)
