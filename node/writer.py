"""The single writer: every change goes through one SQLite connection and is group-committed.

Callers submit a unit of work (a function of the connection). The writer takes whatever is queued,
runs the whole batch in its thread inside one BEGIN IMMEDIATE ... COMMIT, each unit in its own
SAVEPOINT so a refused unit rolls back alone, and answers every caller only after COMMIT returned
(synchronous=FULL: the batch is on disk). One thread hop and one fsync per batch, not per request.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from node import db
from node.migrations import MIGRATIONS

log = logging.getLogger(__name__)
T = TypeVar("T")
Work = Callable[[sqlite3.Connection], Any]


@dataclass
class _Pending:
    work: Work
    future: asyncio.Future[Any]


@dataclass(frozen=True)
class _Result:
    value: Any = None
    error: BaseException | None = None


class WriterClosed(RuntimeError):
    pass


# Called after every batch: units in it, seconds in the writer (thread hop, BEGIN ... COMMIT).
BatchObserver = Callable[[int, float], None]


class GroupCommitWriter:
    def __init__(
        self, path: Path, max_batch: int = 256, on_batch: BatchObserver | None = None
    ) -> None:
        self._path = path
        self._max_batch = max_batch
        self._on_batch = on_batch
        self._queue: asyncio.Queue[_Pending | None] = asyncio.Queue()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kippu-writer")
        self._conn: sqlite3.Connection | None = None
        self._task: asyncio.Task[None] | None = None
        self.batches = 0
        self.units = 0

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._conn = await loop.run_in_executor(self._executor, self._open)
        self._task = asyncio.create_task(self._run(), name="kippu-writer")

    def _open(self) -> sqlite3.Connection:
        conn = db.connect(self._path)
        db.migrate(conn, MIGRATIONS)
        return conn

    async def submit(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work` in the next batch; return its value once durable, or raise its exception."""
        return await self.enqueue(work)

    def enqueue(self, work: Callable[[sqlite3.Connection], T]) -> asyncio.Future[T]:
        """Queue `work` now (units run in the order they are queued); await the future for its
        value once durable."""
        if self._task is None or self._task.done():
            raise WriterClosed("the writer is not running")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait(_Pending(work, future))
        return future

    @property
    def is_running(self) -> bool:
        """Started, not stopped, and its task has not died."""
        return self._task is not None and not self._task.done()

    async def stop(self) -> None:
        """Finish everything already queued, then close the connection."""
        if self._task is not None:
            self._queue.put_nowait(None)
            await self._task
            self._task = None
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await asyncio.get_running_loop().run_in_executor(self._executor, conn.close)
        self._executor.shutdown(wait=True)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        stopping = False
        while not stopping:
            first = await self._queue.get()
            if first is None:
                break
            batch = [first]
            while len(batch) < self._max_batch and not self._queue.empty():
                item = self._queue.get_nowait()
                if item is None:
                    stopping = True
                    break
                batch.append(item)
            started = time.perf_counter()
            try:
                results = await loop.run_in_executor(
                    self._executor, self._commit_batch, [p.work for p in batch]
                )
            except BaseException as exc:  # the thread itself failed: nobody's work is durable
                log.exception("writer batch failed")
                results = [_Result(error=exc) for _ in batch]
            self.batches += 1
            self.units += len(batch)
            if self._on_batch is not None:
                try:
                    self._on_batch(len(batch), time.perf_counter() - started)
                except Exception:  # an observer's fault must never stop the writer
                    log.exception("writer batch observer failed")
            for pending, result in zip(batch, results, strict=True):
                if pending.future.done():
                    continue
                if result.error is not None:
                    pending.future.set_exception(result.error)
                else:
                    pending.future.set_result(result.value)

    def _commit_batch(self, works: list[Work]) -> list[_Result]:
        conn = self._conn
        if conn is None:
            raise WriterClosed("the writer is closed")
        try:
            conn.execute("BEGIN IMMEDIATE")
            results = [self._run_unit(conn, work) for work in works]
            conn.execute("COMMIT")
            return results
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if len(works) == 1:
                raise
            # Something only visible at COMMIT (a deferred foreign key): retry each unit alone so
            # one faulty unit cannot take the others down with it.
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
            conn.execute("ROLLBACK TO unit")
            conn.execute("RELEASE unit")
            return _Result(error=exc)
        conn.execute("RELEASE unit")
        return _Result(value=value)
