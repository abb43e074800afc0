"""The writer's two lanes: counter work first, bulk work never starved, both answered on stop."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from node.migrations import MIGRATIONS
from node.writer import GroupCommitWriter, WriterClosed
from node.writer_lanes import Lane


class _Recorder:
    """Names of units in the order the writer's thread ran them, split into batches afterwards
    by the sizes the writer's `on_batch` observer reported."""

    def __init__(self) -> None:
        self.ran: list[str] = []
        self.sizes: list[int] = []

    def observe(self, units: int, _seconds: float) -> None:
        self.sizes.append(units)

    def unit(self, name: str) -> Callable[[sqlite3.Connection], str]:
        def work(conn: sqlite3.Connection) -> str:
            conn.execute("INSERT INTO stores VALUES (?, ?, 0)", (name, name))
            self.ran.append(name)
            return name

        return work

    def batches(self) -> list[list[str]]:
        out, start = [], 0
        for size in self.sizes:
            out.append(self.ran[start : start + size])
            start += size
        return out


class _Gate:
    """A unit that holds the writer's thread until released, so that what is queued meanwhile
    is waiting when the next batch is taken."""

    def __init__(self, recorder: _Recorder) -> None:
        self.recorder = recorder
        self.entered, self.release = threading.Event(), threading.Event()

    def work(self, conn: sqlite3.Connection) -> str:
        self.recorder.ran.append("gate")
        self.entered.set()
        self.release.wait(timeout=30)
        return "gate"

    async def held(self) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self.entered.wait, 30)


class _Clock:
    """The writer's monotonic clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def _held_writer(
    path: Path,
    recorder: _Recorder,
    gate: _Gate,
    clock: _Clock | None = None,
    bulk_wait_s: float = 0.0,
    **limits: int,
) -> tuple[GroupCommitWriter, asyncio.Future[str]]:
    """A writer whose thread is held in `gate`'s unit. `bulk_wait_s` 0 (unless given): bulk is
    due beside default units whenever it waits."""
    writer = GroupCommitWriter(
        path,
        MIGRATIONS,
        on_batch=recorder.observe,
        bulk_wait_s=bulk_wait_s,
        monotonic=clock or _Clock(),
        **limits,
    )
    await writer.start()
    gated = writer.enqueue(gate.work)
    await gate.held()
    return writer, gated


def _stores(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT store_id FROM stores")}
    finally:
        conn.close()


async def test_default_units_queued_after_bulk_ones_run_first(tmp_path: Path) -> None:
    recorder = _Recorder()
    gate = _Gate(recorder)
    writer, gated = await _held_writer(tmp_path / "w.db", recorder, gate, max_bulk=2)
    bulk = [writer.enqueue(recorder.unit(f"bulk_{i}"), Lane.BULK) for i in range(5)]
    default = [writer.enqueue(recorder.unit(f"redeem_{i}")) for i in range(3)]
    assert writer.waiting(Lane.BULK) == 5 and writer.waiting(Lane.DEFAULT) == 3
    gate.release.set()
    assert await gated == "gate"
    assert await asyncio.gather(*default) == ["redeem_0", "redeem_1", "redeem_2"]
    assert await asyncio.gather(*bulk) == [f"bulk_{i}" for i in range(5)]
    await writer.stop()
    batches = recorder.batches()[1:]  # the first is the gate's alone
    # Beside counter work, one bulk unit; bulk alone, up to max_bulk a batch.
    assert batches[0] == ["redeem_0", "redeem_1", "redeem_2", "bulk_0"]
    assert batches[1:] == [["bulk_1", "bulk_2"], ["bulk_3", "bulk_4"]]
    assert writer.bulk_units == 5


async def test_bulk_gets_whole_batches_when_the_default_lane_is_empty(tmp_path: Path) -> None:
    recorder = _Recorder()
    gate = _Gate(recorder)
    writer, gated = await _held_writer(tmp_path / "w.db", recorder, gate, max_bulk=3)
    bulk = [writer.enqueue(recorder.unit(f"bulk_{i}"), Lane.BULK) for i in range(7)]
    gate.release.set()
    await gated
    await asyncio.gather(*bulk)
    await writer.stop()
    assert [len(b) for b in recorder.batches()[1:]] == [3, 3, 1]


async def test_bulk_keeps_a_share_of_every_batch_however_long_the_default_lane(
    tmp_path: Path,
) -> None:
    recorder = _Recorder()
    gate = _Gate(recorder)
    writer, gated = await _held_writer(tmp_path / "w.db", recorder, gate, max_batch=4, max_bulk=2)
    bulk = [writer.enqueue(recorder.unit(f"bulk_{i}"), Lane.BULK) for i in range(3)]
    default = [writer.enqueue(recorder.unit(f"redeem_{i:02}")) for i in range(12)]
    gate.release.set()
    await gated
    await asyncio.gather(*default, *bulk)
    await writer.stop()
    batches = recorder.batches()[1:]
    # Three default units and one bulk unit while both lanes wait; the default lane, once
    # emptied, leaves the rest of the room to bulk.
    assert [[n.split("_")[0] for n in b] for b in batches[:3]] == [["redeem"] * 3 + ["bulk"]] * 3
    assert [n for b in batches for n in b if n.startswith("bulk")] == ["bulk_0", "bulk_1", "bulk_2"]
    assert [n for b in batches for n in b if n.startswith("redeem")] == [
        f"redeem_{i:02}" for i in range(12)
    ]


async def test_with_batches_of_one_the_default_lane_goes_first(tmp_path: Path) -> None:
    recorder = _Recorder()
    gate = _Gate(recorder)
    writer, gated = await _held_writer(tmp_path / "w.db", recorder, gate, max_batch=1)
    bulk = writer.enqueue(recorder.unit("bulk_0"), Lane.BULK)
    default = [writer.enqueue(recorder.unit(f"redeem_{i}")) for i in range(2)]
    gate.release.set()
    await asyncio.gather(gated, bulk, *default)
    await writer.stop()
    assert recorder.ran[1:] == ["redeem_0", "redeem_1", "bulk_0"]


async def test_a_refused_bulk_unit_rolls_back_alone_beside_default_units(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    recorder = _Recorder()
    gate = _Gate(recorder)
    writer, gated = await _held_writer(path, recorder, gate)

    def refused(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO stores VALUES ('st_bulk_refused', 'x', 0)")
        raise ValueError("refused")

    outcomes = [
        writer.enqueue(recorder.unit("st_redeem")),
        writer.enqueue(refused, Lane.BULK),
        writer.enqueue(recorder.unit("st_bulk"), Lane.BULK),
    ]
    gate.release.set()
    await gated
    answers = await asyncio.gather(*outcomes, return_exceptions=True)
    await writer.stop()
    assert answers[0] == "st_redeem" and answers[2] == "st_bulk"
    assert isinstance(answers[1], ValueError)
    assert _stores(path) == {"st_redeem", "st_bulk"}


async def test_stop_commits_what_waits_in_both_lanes(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    recorder = _Recorder()
    gate = _Gate(recorder)
    writer, gated = await _held_writer(path, recorder, gate, max_bulk=1)
    queued = [writer.enqueue(recorder.unit(f"bulk_{i}"), Lane.BULK) for i in range(3)]
    queued += [writer.enqueue(recorder.unit(f"redeem_{i}")) for i in range(2)]
    stopping = asyncio.create_task(writer.stop())
    await asyncio.sleep(0)
    with pytest.raises(WriterClosed):
        writer.enqueue(recorder.unit("late"), Lane.BULK)
    gate.release.set()
    await stopping
    assert all(f.done() for f in [gated, *queued])
    assert _stores(path) == {"bulk_0", "bulk_1", "bulk_2", "redeem_0", "redeem_1"}


async def test_cancelling_the_writer_refuses_what_waits_in_both_lanes(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    recorder = _Recorder()
    gate = _Gate(recorder)
    writer, gated = await _held_writer(path, recorder, gate)
    bulk = writer.enqueue(recorder.unit("bulk_never"), Lane.BULK)
    default = writer.enqueue(recorder.unit("redeem_never"))
    task = writer._task
    assert task is not None
    task.cancel()
    await asyncio.sleep(0)
    gate.release.set()
    assert await gated == "gate"
    for stranded in (bulk, default):
        with pytest.raises(WriterClosed):
            await stranded
    with pytest.raises(asyncio.CancelledError):
        await task
    await writer.stop()
    assert _stores(path) == set()


async def test_batch_limits_below_one_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        GroupCommitWriter(tmp_path / "w.db", MIGRATIONS, max_bulk=0)
    for wait in (-0.1, float("nan")):
        with pytest.raises(ValueError, match="bulk_wait_s"):
            GroupCommitWriter(tmp_path / "w.db", MIGRATIONS, bulk_wait_s=wait)


async def _batches_once_waited(
    path: Path, bulk: int, default: int, waited_s: float, **limits: int
) -> list[list[str]]:
    """The batches after the gate's: `bulk` bulk units then `default` default ones queued while
    the writer is held, `waited_s` of its clock gone by, then released (bulk_wait_s 50 ms)."""
    recorder, clock = _Recorder(), _Clock()
    gate = _Gate(recorder)
    writer, gated = await _held_writer(path, recorder, gate, clock, bulk_wait_s=0.05, **limits)
    queued = [writer.enqueue(recorder.unit(f"bulk_{i}"), Lane.BULK) for i in range(bulk)]
    queued += [writer.enqueue(recorder.unit(f"redeem_{i}")) for i in range(default)]
    clock.now += waited_s
    gate.release.set()
    await asyncio.gather(gated, *queued)
    await writer.stop()
    return recorder.batches()[1:]


async def test_counter_work_goes_alone_until_bulk_has_waited_its_time(tmp_path: Path) -> None:
    """While the bulk lane has waited less than `bulk_wait_s`, a batch with default units
    carries none of it (a redemption waits for no grant beside it); bulk alone still takes up
    to `max_bulk`."""
    batches = await _batches_once_waited(tmp_path / "w.db", 3, 2, 0.04, max_bulk=2)
    assert batches == [["redeem_0", "redeem_1"], ["bulk_0", "bulk_1"], ["bulk_2"]]


async def test_bulk_waiting_its_time_gets_one_unit_beside_counter_work(tmp_path: Path) -> None:
    """Once the bulk lane has waited `bulk_wait_s` (since its oldest unit was queued, or since
    a batch last took one of it), the next batch keeps room for one bulk unit; the one after,
    the lane just served, goes without again."""
    batches = await _batches_once_waited(tmp_path / "w.db", 2, 4, 0.06, max_batch=3)
    assert batches == [
        ["redeem_0", "redeem_1", "bulk_0"],  # due: room kept for one
        ["redeem_2", "redeem_3"],  # bulk was served at this same moment: not due
        ["bulk_1"],
    ]


async def test_a_bulk_unit_sees_counter_work_waiting_for_it(tmp_path: Path) -> None:
    """`counter_waits`, asked by a bulk unit as it runs: whether a default unit is in its batch
    or queued behind it (node/admission/batching.py Budget hands the rest back then)."""
    recorder = _Recorder()
    gate = _Gate(recorder)
    writer, gated = await _held_writer(tmp_path / "w.db", recorder, gate, max_bulk=2)
    seen: list[bool] = []  # bulk_wait_s 0: "beside" shares the batch of "redeem_2"

    def bulk(name: str, wait_for_counter: threading.Event | None = None) -> Callable[..., str]:
        def work(conn: sqlite3.Connection) -> str:
            if wait_for_counter is not None:  # a redemption is queued while this one runs
                wait_for_counter.wait(timeout=30)
            seen.append(writer.counter_waits())
            return name

        return work

    queued = threading.Event()
    alone = writer.enqueue(bulk("alone"), Lane.BULK)
    gate.release.set()
    await gated
    assert await alone == "alone"
    running = writer.enqueue(bulk("running", queued), Lane.BULK)
    await asyncio.sleep(0.05)  # the writer's thread has taken it and waits inside it
    redemption = writer.enqueue(recorder.unit("redeem"))
    queued.set()
    assert await running == "running" and await redemption == "redeem"
    beside = [writer.enqueue(recorder.unit("redeem_2")), writer.enqueue(bulk("beside"), Lane.BULK)]
    await asyncio.gather(*beside)
    await writer.stop()
    # Alone: nobody waits. Running when a redemption was queued: it waits. In the batch with a
    # redemption: that redemption waits for the batch.
    assert seen == [False, True, True]
