"""The bulk batcher: requests of one key decided many to a unit, each refusal alone, bulk lane."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import pytest

from node.admission.batching import Budget, BulkBatcher, Deferred, decide_each
from node.errors import DiskFull
from node.migrations import MIGRATIONS
from node.writer import GroupCommitWriter
from node.writer_lanes import Lane


class Refused(Exception):
    pass


def _add_store(conn: sqlite3.Connection, name: str) -> str:
    """One request: a store row; a request named `refused` writes, then is refused."""
    conn.execute("INSERT INTO stores VALUES (?, ?, 0)", (name, name))
    if name.endswith(":refused"):
        raise Refused(name)
    return name


class _Units:
    """The batcher's unit factory, recording the size of each unit it made."""

    def __init__(self, budget_s: float | None = None) -> None:
        self.sizes: list[int] = []
        self.gate: threading.Event | None = None
        self.budget_s = budget_s

    def __call__(
        self, key: str, names: Sequence[str]
    ) -> Callable[[sqlite3.Connection], list[str | Exception]]:
        self.sizes.append(len(names))
        gate = self.gate

        def unit(conn: sqlite3.Connection) -> list[str | Exception]:
            if gate is not None:
                gate.wait(timeout=30)
            return decide_each(conn, [f"{key}:{n}" for n in names], _add_store, self.budget_s)

        return unit


def _stores(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT store_id FROM stores")}
    finally:
        conn.close()


@pytest.fixture
async def writer(tmp_path: Path) -> AsyncIterator[GroupCommitWriter]:
    writer = GroupCommitWriter(tmp_path / "w.db", MIGRATIONS)
    await writer.start()
    yield writer
    await writer.stop()


async def test_a_burst_is_decided_in_few_units_on_the_bulk_lane(
    writer: GroupCommitWriter, tmp_path: Path
) -> None:
    units = _Units()
    batcher: BulkBatcher[str, str] = BulkBatcher(writer, units, max_size=50)
    names = [f"n{i:03}" for i in range(300)]
    outcomes = await asyncio.gather(*(batcher.decide("cp_a", n) for n in names))
    assert outcomes == [f"cp_a:{n}" for n in names]
    assert sum(units.sizes) == 300 and max(units.sizes) <= 50
    assert len(units.sizes) < 300 / 10  # many to a unit
    assert writer.bulk_units == len(units.sizes) == batcher.units
    assert _stores(tmp_path / "w.db") == set(outcomes)


async def test_a_refused_request_rolls_back_alone_in_its_unit(
    writer: GroupCommitWriter, tmp_path: Path
) -> None:
    units = _Units()
    batcher: BulkBatcher[str, str] = BulkBatcher(writer, units)
    outcomes = await asyncio.gather(
        *(batcher.decide("cp_a", n) for n in ("one", "refused", "two")), return_exceptions=True
    )
    assert units.sizes == [3]  # one unit decided all three
    assert outcomes[0] == "cp_a:one" and outcomes[2] == "cp_a:two"
    assert isinstance(outcomes[1], Refused)
    assert _stores(tmp_path / "w.db") == {"cp_a:one", "cp_a:two"}


async def test_requests_gather_while_the_keys_units_are_in_the_writer(
    writer: GroupCommitWriter,
) -> None:
    units = _Units()
    units.gate = threading.Event()
    batcher: BulkBatcher[str, str] = BulkBatcher(writer, units, max_units_in_flight=1)
    first = asyncio.ensure_future(batcher.decide("cp_a", "first"))
    try:
        for _ in range(3):  # the batcher sends in the loop's next turn, through a task
            await asyncio.sleep(0)
        later = [asyncio.ensure_future(batcher.decide("cp_a", f"later{i}")) for i in range(20)]
        other = asyncio.ensure_future(batcher.decide("cp_b", "other"))  # another key: not held
        for _ in range(3):
            await asyncio.sleep(0)
        assert batcher.waiting("cp_a") == 20 and batcher.waiting("cp_b") == 0
    finally:
        units.gate.set()
    assert await first == "cp_a:first" and await other == "cp_b:other"
    assert await asyncio.gather(*later) == [f"cp_a:later{i}" for i in range(20)]
    assert sorted(units.sizes) == [1, 1, 20]


async def test_an_early_refusal_never_reaches_the_writer(writer: GroupCommitWriter) -> None:
    units = _Units()
    sold_out = {"cp_gone"}
    batcher: BulkBatcher[str, str] = BulkBatcher(
        writer, units, refuse_early=lambda key: Refused(key) if key in sold_out else None
    )
    outcomes = await asyncio.gather(
        *(batcher.decide("cp_gone", f"n{i}") for i in range(5)), return_exceptions=True
    )
    assert all(isinstance(o, Refused) for o in outcomes)
    assert len({id(o) for o in outcomes}) == 5  # each caller its own exception
    assert units.sizes == [] and writer.units == 0


async def test_a_storage_failure_reaches_every_request_of_the_unit(
    writer: GroupCommitWriter, tmp_path: Path
) -> None:
    def fill(conn: sqlite3.Connection) -> None:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")

    await writer.submit(fill)

    def big_units(
        key: str, names: Sequence[str]
    ) -> Callable[[sqlite3.Connection], list[str | Exception]]:
        def unit(conn: sqlite3.Connection) -> list[str | Exception]:
            def add(c: sqlite3.Connection, name: str) -> str:
                c.execute("INSERT INTO stores VALUES (?, ?, 0)", (name, "x" * 20_000))
                return name

            return decide_each(conn, names, add)

        return unit

    batcher: BulkBatcher[str, str] = BulkBatcher(writer, big_units)
    outcomes = await asyncio.gather(
        *(batcher.decide("cp_a", f"n{i}") for i in range(3)), return_exceptions=True
    )
    assert all(isinstance(o, DiskFull) for o in outcomes), outcomes
    assert _stores(tmp_path / "w.db") == set()


async def test_a_caller_who_stops_waiting_does_not_withdraw_its_request(
    writer: GroupCommitWriter, tmp_path: Path
) -> None:
    units = _Units()
    batcher: BulkBatcher[str, str] = BulkBatcher(writer, units)
    impatient = asyncio.ensure_future(batcher.decide("cp_a", "impatient"))
    patient = asyncio.ensure_future(batcher.decide("cp_a", "patient"))
    await asyncio.sleep(0)
    impatient.cancel()
    assert await patient == "cp_a:patient"
    assert _stores(tmp_path / "w.db") == {"cp_a:impatient", "cp_a:patient"}
    assert writer.waiting(Lane.BULK) == 0


def test_limits_below_one_are_refused(tmp_path: Path) -> None:
    writer = GroupCommitWriter(tmp_path / "w.db", MIGRATIONS)
    with pytest.raises(ValueError, match="at least 1"):
        BulkBatcher(writer, _Units(), max_size=0)


async def test_requests_a_unit_had_no_time_for_go_out_again_first(
    writer: GroupCommitWriter, tmp_path: Path
) -> None:
    units = _Units(budget_s=0.0)  # no time at all: one decision per unit, the least
    batcher: BulkBatcher[str, str] = BulkBatcher(writer, units, max_units_in_flight=1)
    names = [f"n{i}" for i in range(6)]
    outcomes = await asyncio.gather(*(batcher.decide("cp_a", n) for n in names))
    assert outcomes == [f"cp_a:{n}" for n in names]
    assert units.sizes == [6, 5, 4, 3, 2, 1]  # each unit: what was left, in order
    assert batcher.units == 6 and batcher.decided == 6
    assert _stores(tmp_path / "w.db") == set(outcomes)


def test_a_budget_is_shorter_while_a_counter_waits() -> None:
    waiting = [False]
    budget = Budget(0.020, 0.002, lambda: waiting[0])
    assert not budget.is_spent(0.005)
    waiting[0] = True
    assert budget.is_spent(0.005) and not budget.is_spent(0.001)
    assert Budget(0.020).is_spent(0.020) and not Budget(0.020).is_spent(0.019)


def test_decide_each_hands_back_the_rest_once_a_counter_waits() -> None:
    """Units decide until the counter's redemption is queued, then defer the rest (at least one
    request is always decided)."""
    conn = sqlite3.connect(":memory:")
    decided: list[int] = []
    waiting = [False]

    def one(_: sqlite3.Connection, n: int) -> int:
        decided.append(n)
        waiting[0] = n >= 2  # a redemption arrives while the third request is decided
        return n

    outcomes = decide_each(conn, list(range(6)), one, Budget(60.0, 0.0, lambda: waiting[0]))
    assert outcomes[:3] == [0, 1, 2] and all(isinstance(o, Deferred) for o in outcomes[3:])
    waiting[0] = True
    assert decide_each(conn, [7, 8], one, Budget(60.0, 0.0, lambda: True))[0] == 7
