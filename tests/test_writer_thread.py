"""The writer's thread takes batch after batch by itself; only the answers wait for the loop."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from node.migrations import MIGRATIONS
from node.writer import GroupCommitWriter


def _insert(name: str) -> Callable[[sqlite3.Connection], str]:
    def work(conn: sqlite3.Connection) -> str:
        conn.execute("INSERT INTO stores VALUES (?, ?, 0)", (name, name))
        return name

    return work


def _stores(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT store_id FROM stores")}
    finally:
        conn.close()


def _hold_the_loop_until_written(path: Path, names: set[str], limit_s: float) -> set[str]:
    """Called from a coroutine on purpose: the event loop takes no turn while this waits, as a
    loop saturated by a rush's requests takes none for a long while."""
    deadline = time.monotonic() + limit_s
    while (written := _stores(path)) != names and time.monotonic() < deadline:
        time.sleep(0.005)
    return written


async def test_batches_follow_each_other_while_the_event_loop_takes_no_turn(
    tmp_path: Path,
) -> None:
    path = tmp_path / "w.db"
    writer = GroupCommitWriter(path, MIGRATIONS, max_batch=1)  # a batch for each unit
    await writer.start()
    names = [f"st_{i}" for i in range(3)]
    answers = [writer.enqueue(_insert(name)) for name in names]
    written = _hold_the_loop_until_written(path, set(names), limit_s=10)
    assert written == set(names), "every batch must be taken and committed without the loop"
    assert not any(answer.done() for answer in answers)  # answers are the loop's to give
    assert await asyncio.gather(*answers) == names
    await writer.stop()
    assert writer.batches == 3


async def test_the_observer_answers_and_listeners_come_in_the_event_loop_in_that_order(
    tmp_path: Path,
) -> None:
    seen: list[tuple[str, int, bool]] = []
    answer: asyncio.Future[str] | None = None

    def observe(units: int, seconds: float) -> None:
        assert answer is not None and units == 1 and seconds >= 0
        seen.append(("observer", threading.get_ident(), answer.done()))

    writer = GroupCommitWriter(tmp_path / "w.db", MIGRATIONS, on_batch=observe)
    writer.listeners.append(
        lambda: seen.append(
            ("listener", threading.get_ident(), answer is not None and answer.done())
        )
    )
    await writer.start()
    answer = writer.enqueue(_insert("st_one"))
    assert await answer == "st_one"
    await writer.stop()
    loop_thread = threading.get_ident()
    assert seen == [("observer", loop_thread, False), ("listener", loop_thread, True)]


async def test_a_unit_raising_system_exit_fails_its_batch_and_the_writer_loudly(
    tmp_path: Path,
) -> None:
    """Not a refusal (SystemExit, a CancelledError raised in a unit): nothing of the batch is
    written, every caller in it is answered, the write lock is given back, and the writer's task
    fails instead of ending as if it had drained."""
    path = tmp_path / "w.sqlite"
    writer = GroupCommitWriter(path, MIGRATIONS)
    await writer.start()
    gate, entered = threading.Event(), threading.Event()

    def held(conn: sqlite3.Connection) -> None:
        entered.set()
        gate.wait(5)

    def leaves(conn: sqlite3.Connection) -> None:
        raise SystemExit(3)

    first = writer.enqueue(held)
    await asyncio.to_thread(entered.wait, 5)
    together = [writer.enqueue(_insert("before")), writer.enqueue(leaves)]
    gate.set()
    await first
    answers = await asyncio.wait_for(asyncio.gather(*together, return_exceptions=True), 5)
    assert all(isinstance(a, RuntimeError) and "SystemExit" in str(a) for a in answers), answers
    assert _stores(path) == set()  # the unit before it in the batch is not written either
    with pytest.raises(RuntimeError, match="SystemExit"):
        await writer.stop()
    assert not writer.is_running
    other = sqlite3.connect(path, timeout=0.1)  # the write lock was given back
    other.execute("BEGIN IMMEDIATE")
    other.rollback()
    other.close()


async def test_a_unit_raising_stop_iteration_does_not_strand_the_rest_of_its_batch(
    tmp_path: Path,
) -> None:
    writer = GroupCommitWriter(tmp_path / "w.sqlite", MIGRATIONS)
    await writer.start()
    told: list[int] = []
    writer.listeners.append(lambda: told.append(1))
    try:
        gate, entered = threading.Event(), threading.Event()

        def held(conn: sqlite3.Connection) -> None:
            entered.set()
            gate.wait(5)

        def empty(conn: sqlite3.Connection) -> None:
            next(iter(()))

        first = writer.enqueue(held)
        await asyncio.to_thread(entered.wait, 5)
        together = [writer.enqueue(empty), writer.enqueue(_insert("after"))]
        gate.set()
        await first
        refused, made = await asyncio.wait_for(asyncio.gather(*together, return_exceptions=True), 5)
        assert isinstance(refused, RuntimeError) and isinstance(refused.__cause__, StopIteration)
        assert made == "after" and told
    finally:
        await writer.stop()
