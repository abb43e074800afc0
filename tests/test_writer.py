"""The group-commit writer: batches share one commit, a refused unit rolls back alone."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections import Counter
from pathlib import Path

import pytest

from node.errors import DatabaseReadOnly, DiskFull, InsufficientBalance
from node.migrations import MIGRATIONS
from node.writer import GroupCommitWriter, WriterClosed


def _insert(name: str) -> object:
    def work(conn: sqlite3.Connection) -> str:
        conn.execute("INSERT INTO stores VALUES (?, ?, 0)", (name, name))
        return name

    return work


def _refuse(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO stores VALUES ('st_refused', 'x', 0)")
    raise InsufficientBalance()


def _stores(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT store_id FROM stores")}
    finally:
        conn.close()


async def test_concurrent_units_are_group_committed(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    writer = GroupCommitWriter(path, MIGRATIONS, max_batch=64)
    await writer.start()
    names = [f"st_{i}" for i in range(200)]
    results = await asyncio.gather(*(writer.submit(_insert(n)) for n in names))  # type: ignore[arg-type]
    await writer.stop()
    assert results == names
    assert _stores(path) == set(names)
    assert writer.units == 200
    assert writer.batches < 200  # fewer commits than units: that is the point


async def test_a_refused_unit_rolls_back_alone(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    writer = GroupCommitWriter(path, MIGRATIONS)
    await writer.start()
    outcomes = await asyncio.gather(
        writer.submit(_insert("st_before")),  # type: ignore[arg-type]
        writer.submit(_refuse),
        writer.submit(_insert("st_after")),  # type: ignore[arg-type]
        return_exceptions=True,
    )
    await writer.stop()
    assert outcomes[0] == "st_before" and outcomes[2] == "st_after"
    assert isinstance(outcomes[1], InsufficientBalance)
    assert _stores(path) == {"st_before", "st_after"}


async def test_a_unit_failing_at_commit_does_not_take_the_batch_down(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    writer = GroupCommitWriter(path, MIGRATIONS)
    await writer.start()

    def orphan_posting(conn: sqlite3.Connection) -> None:  # deferred FK: fails only at COMMIT
        conn.execute("INSERT INTO postings VALUES ('tx_orphan', 0, 'cash:hq', 5)")

    outcomes = await asyncio.gather(
        writer.submit(_insert("st_a")),  # type: ignore[arg-type]
        writer.submit(orphan_posting),
        writer.submit(_insert("st_b")),  # type: ignore[arg-type]
        return_exceptions=True,
    )
    await writer.stop()
    assert outcomes[0] == "st_a" and outcomes[2] == "st_b"
    assert isinstance(outcomes[1], sqlite3.IntegrityError)
    assert _stores(path) == {"st_a", "st_b"}


async def test_submit_after_stop_is_refused(tmp_path: Path) -> None:
    writer = GroupCommitWriter(tmp_path / "w.db", MIGRATIONS)
    await writer.start()
    await writer.stop()
    with pytest.raises(RuntimeError):
        await writer.submit(_insert("st_late"))  # type: ignore[arg-type]


async def test_cancelling_the_writer_mid_batch_answers_its_callers_truly_and_ends(
    tmp_path: Path,
) -> None:
    """A batch already in the thread commits; its callers get its values, not CancelledError;
    what was still queued is refused without running; the writer's task ends."""
    path = tmp_path / "w.db"
    writer = GroupCommitWriter(path, MIGRATIONS)
    await writer.start()
    in_thread, release = threading.Event(), threading.Event()

    def slow_insert(conn: sqlite3.Connection) -> str:
        conn.execute("INSERT INTO stores VALUES ('st_slow', 'slow', 0)")
        in_thread.set()
        release.wait(timeout=30)
        return "st_slow"

    committed = writer.enqueue(slow_insert)
    await asyncio.get_running_loop().run_in_executor(None, in_thread.wait, 30)
    queued = writer.enqueue(_insert("st_queued"))  # type: ignore[arg-type]
    task = writer._task
    assert task is not None
    task.cancel()
    await asyncio.sleep(0)  # the cancellation reaches the writer while its batch is in the thread
    release.set()
    assert await committed == "st_slow"
    with pytest.raises(WriterClosed):
        await queued
    with pytest.raises(asyncio.CancelledError):
        await task
    assert task.cancelled()
    with pytest.raises(WriterClosed):
        writer.enqueue(_insert("st_late"))  # type: ignore[arg-type]
    await writer.stop()
    assert _stores(path) == {"st_slow"}


async def test_cancelling_an_idle_writer_refuses_what_is_queued_after_and_stop_drains(
    tmp_path: Path,
) -> None:
    """Cancelled while waiting for work: a unit queued before the task saw the cancellation is
    answered WriterClosed (it never ran), not left waiting forever; stop() leaves no caller
    waiting either."""
    path = tmp_path / "w.db"
    writer = GroupCommitWriter(path, MIGRATIONS)
    await writer.start()
    assert await writer.submit(_insert("st_first")) == "st_first"  # type: ignore[arg-type]
    task = writer._task
    assert task is not None
    task.cancel()  # the writer is idle: waiting for its queue
    stranded = writer.enqueue(_insert("st_after_cancel"))  # type: ignore[arg-type]
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0)
    assert stranded.done(), "a unit queued to a cancelled writer must not wait forever"
    with pytest.raises(WriterClosed):
        await stranded
    await writer.stop()
    assert _stores(path) == {"st_first"}


async def test_stop_answers_units_queued_to_a_writer_cancelled_before_it_ran(
    tmp_path: Path,
) -> None:
    path = tmp_path / "w.db"
    writer = GroupCommitWriter(path, MIGRATIONS)
    await writer.start()
    task = writer._task
    assert task is not None
    task.cancel()  # before the writer's task took its first step
    stranded = writer.enqueue(_insert("st_never"))  # type: ignore[arg-type]
    await writer.stop()
    assert stranded.done()
    with pytest.raises(WriterClosed):
        await stranded
    assert _stores(path) == set()


def _fill_page(conn: sqlite3.Connection) -> None:
    """Let the database grow by no page from now on (PRAGMA max_page_count: a real SQLITE_FULL)."""
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")


async def test_a_full_disk_fails_the_batch_once_and_runs_no_unit_again(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    writer = GroupCommitWriter(path, MIGRATIONS)
    await writer.start()
    await writer.submit(_fill_page)
    runs: Counter[str] = Counter()

    def big_store(name: str) -> object:
        def work(conn: sqlite3.Connection) -> str:
            runs[name] += 1
            conn.execute("INSERT INTO stores VALUES (?, ?, 0)", (name, "x" * 20_000))
            return name

        return work

    outcomes = await asyncio.gather(
        *(writer.submit(big_store(f"st_{i}")) for i in range(3)),  # type: ignore[arg-type]
        return_exceptions=True,
    )
    # SQLite rolled the whole transaction back: running the units again one by one could only
    # repeat the failure (and whatever a unit does besides writing).
    assert all(count <= 1 for count in runs.values()), runs
    assert [type(o) for o in outcomes] == [DiskFull] * 3, outcomes
    assert all(isinstance(o, DiskFull) and o.code == "storage.disk_full" for o in outcomes)
    assert _stores(path) == set()  # nothing was written
    await writer.submit(lambda conn: conn.execute("PRAGMA max_page_count = 1073741823"))
    assert await writer.submit(big_store("st_room")) == "st_room"  # type: ignore[arg-type]
    await writer.stop()
    assert _stores(path) == {"st_room"}


async def test_a_read_only_database_refuses_writes_as_storage_read_only(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    writer = GroupCommitWriter(path, MIGRATIONS)
    await writer.start()
    await writer.submit(lambda conn: conn.execute("PRAGMA query_only = ON"))
    with pytest.raises(DatabaseReadOnly) as refused:
        await writer.submit(_insert("st_ro"))  # type: ignore[arg-type]
    assert refused.value.code == "storage.read_only" and refused.value.http_status == 503
    await writer.stop()
    assert _stores(path) == set()


async def test_a_database_locked_by_another_program_is_storage_busy(tmp_path: Path) -> None:
    """Someone's sqlite3 shell holding a write lock: every unit refused once, none run, no retry."""
    path = tmp_path / "w.db"
    writer = GroupCommitWriter(path, MIGRATIONS)
    await writer.start()
    await writer.submit(lambda conn: conn.execute("PRAGMA busy_timeout = 50"))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    runs: Counter[str] = Counter()

    def counted(name: str) -> object:
        def work(conn: sqlite3.Connection) -> None:
            runs[name] += 1
            conn.execute("INSERT INTO stores VALUES (?, ?, 0)", (name, name))

        return work

    outcomes = await asyncio.gather(
        *(writer.submit(counted(f"st_{i}")) for i in range(3)),  # type: ignore[arg-type]
        return_exceptions=True,
    )
    other.execute("ROLLBACK")
    other.close()
    assert [getattr(o, "code", o) for o in outcomes] == ["storage.busy"] * 3
    assert not runs
    assert await writer.submit(_insert("st_after")) == "st_after"  # type: ignore[arg-type]
    await writer.stop()
    assert _stores(path) == {"st_after"}
