"""The group-commit writer: batches share one commit, a refused unit rolls back alone."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from node.errors import InsufficientBalance
from node.writer import GroupCommitWriter


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
    writer = GroupCommitWriter(path, max_batch=64)
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
    writer = GroupCommitWriter(path)
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
    writer = GroupCommitWriter(path)
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
    writer = GroupCommitWriter(tmp_path / "w.db")
    await writer.start()
    await writer.stop()
    with pytest.raises(RuntimeError):
        await writer.submit(_insert("st_late"))  # type: ignore[arg-type]
