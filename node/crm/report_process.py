"""The analytics' heavy part in a process of their own: the per-customer sums read from the
database and the pure reports over a million customers run in one worker process (forkserver, so
it is not a fork of the node's threads), not in the node's.

Why: a report's Python work holds the interpreter lock for seconds; in the node's process that
lock is the one the counter's event loop needs, so redemptions waited behind it (p99 130-190 ms
during RFM and Pareto, docs/performance.md). The worker opens the database file read-only with
its own connection, computes, and sends back only what the caller asked for (a page of the RFM
table, not a million rows, unless the CSV wants them all).

The worker keeps the day snapshots (spend_snapshot.py, kpi_snapshot.py) between reports, and
runs at a lower CPU priority than the node. One worker per node (per database file), made on
first use (a report, or the node's warm-up: analytics_actions.warm) and shut by the composition
root when that node stops (`shutdown`). A job is a module-level coroutine function taking the
read-only connection first, so it can be sent to the worker by name.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

from node.errors import ReportUnavailable
from node.reads import Reader, open_read_only

T = TypeVar("T")
WORKER_NICENESS = 10
_pools: dict[Path, ProcessPoolExecutor] = {}
_died: set[Path] = set()
_lock = threading.Lock()


def _executor(database: Path) -> ProcessPoolExecutor:
    with _lock:
        pool = _pools.get(database)
        if pool is None:
            pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("forkserver"),
                initializer=_yield_to_the_node,
            )
            _pools[database] = pool
        return pool


def _yield_to_the_node() -> None:
    """The worker runs at a lower CPU priority than the node (nice +WORKER_NICENESS): on a
    machine with few cores a report's seconds of work give way to the counter's requests."""
    os.nice(WORKER_NICENESS)


def _forget(database: Path, pool: ProcessPoolExecutor) -> None:
    """Drop a broken pool (its worker died), if it is still the database's: the next report
    starts a new worker."""
    with _lock:
        if _pools.get(database) is pool:  # not one stopped on purpose (`shutdown`)
            del _pools[database]
            _died.add(database)
    pool.shutdown(wait=False, cancel_futures=True)


def died(database: Path) -> bool:
    """Whether a worker of this database died (killed, out of memory) since this process began:
    the node's warm-up then starts none of its own again (analytics_actions.warm)."""
    with _lock:
        return database in _died


def running(database: Path) -> bool:
    """Whether the node's worker has been started (and not stopped)."""
    with _lock:
        return database in _pools


def shutdown(database: Path) -> None:
    """Stop the node's worker now, ending the job under way (that node is stopping; another node
    in this process keeps its own); the next report starts a new one."""
    with _lock:
        pool = _pools.pop(database, None)
    if pool is not None:
        # The job under way is not waited for (a figure can take minutes): its process is ended.
        workers = list((pool._processes or {}).values())  # the executor lists them nowhere else
        pool.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            worker.terminate()


async def run(database: Path, job: Callable[..., Awaitable[T]], *args: Any) -> T:
    """`await job(reader, *args)` in the node's worker, over a read-only connection to
    `database`. A worker that died (killed, out of memory) is ReportUnavailable, and replaced
    at the next report."""
    pool = _executor(database)
    try:
        # Submitted from a thread: the first job starts the worker process (and the forkserver),
        # which takes a few hundred milliseconds the node's event loop must not wait for.
        submitted = await asyncio.to_thread(pool.submit, _in_worker, str(database), job, args)
        result: T = await asyncio.wrap_future(submitted)
    except BrokenProcessPool as exc:
        _forget(database, pool)
        raise ReportUnavailable() from exc
    return result


def _in_worker(database: str, job: Callable[..., Awaitable[T]], args: tuple[Any, ...]) -> T:
    return asyncio.run(_with_reader(Path(database), job, args))


async def _with_reader(
    database: Path, job: Callable[..., Awaitable[T]], args: tuple[Any, ...]
) -> T:
    conn = await open_read_only(database)
    try:
        # One read transaction for the whole job: its several statements (the snapshot's day
        # brought forward, a segment's filters) all see the database as it was at one moment.
        await conn.execute("BEGIN")
        reader: Reader = conn
        return await job(reader, *args)
    finally:
        await conn.close()  # ends the read transaction
