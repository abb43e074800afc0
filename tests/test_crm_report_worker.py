"""The analytics' worker process (node/crm/report_process.py) against a real node: a report is
computed in it; a worker that dies is answered as `analytics.unavailable` (503, nothing changed),
not a 500, and the next report starts a new worker; the worker ends with the node. The node's
warm-up (analytics_actions.warm) makes every figure the reports use, or with
`keep_reports_ready = false` brings forward only those reports have asked for."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import signal
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path

import aiohttp
import pytest

from node.crm import analytics_actions, report_process
from node.errors import ReportUnavailable
from node.home import NodeHome
from node.reads import Reader
from node.runtime import Node
from node.server import load_node, start
from tests.conftest import AsyncNode, FakeClock, SeededRandomness, loop_watchdog


def worker_pids(home: NodeHome) -> list[int]:
    """The node's worker processes (the executor's own table: no public listing exists)."""
    pool = report_process._pools.get(home.database_path)
    return [] if pool is None else list(pool._processes)


async def test_a_dead_report_worker_is_a_503_then_replaced(
    anode: AsyncNode, home: NodeHome
) -> None:
    await anode.call("POST", "customers", {"name": "山田太郎"})
    status, first = await anode.call("GET", "analytics/pareto")
    assert status == 200, first
    [pid] = worker_pids(home)

    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    status, answer = await anode.call("GET", "analytics/pareto")
    while status == 200 and time.monotonic() < deadline:  # until the executor sees it died
        status, answer = await anode.call("GET", "analytics/pareto")
    assert (status, answer["error"]["code"]) == (503, "analytics.unavailable")

    status, again = await anode.call("GET", "analytics/pareto")
    assert status == 200 and again == first
    assert worker_pids(home) and worker_pids(home) != [pid]


@asynccontextmanager
async def serving(home: NodeHome, clock: FakeClock) -> AsyncIterator[tuple[Node, AsyncNode]]:
    """A real node whose Node the test holds (to run its warm-up by hand), and its API."""
    with loop_watchdog():
        node = load_node(home, clock, SeededRandomness())
        runner, port = await start(node, "127.0.0.1", 0)
        try:
            async with aiohttp.ClientSession() as session:
                yield node, AsyncNode(f"http://127.0.0.1:{port}", node.admin_token, clock, session)
        finally:
            await runner.cleanup()


async def paying(api: AsyncNode, name: str, yen: int | None) -> None:
    status, made = await api.call("POST", "customers", {"name": name})
    assert status == 201, made
    if yen is not None:  # a voucher bought at its face: spend the day the clock shows
        body = {"amount": yen, "price": yen, "customer_id": made["customer_id"]}
        status, sold = await api.call("POST", "vouchers", body)
        assert status == 201, sold


async def warmed(node: Node) -> tuple[date, int, tuple[str, ...]]:
    """What the node's warm-up kept: as of which day, over how many paying customers, and
    which figures (each "made" or "brought" forward)."""
    done = await analytics_actions.warm(node)
    assert done is not None
    how = tuple(f"{f.name} {'made' if f.made else 'brought'}" for f in done.figures)
    return done.closed, done.customers, how


@pytest.mark.node
async def test_the_warm_up_makes_every_figure_or_only_those_asked_for(
    home: NodeHome, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    async with serving(home, clock) as (node, api):
        for name, yen in (("山田太郎", 3_000), ("佐藤花子", 5_000), ("鈴木一郎", None)):
            await paying(api, name, yen)
        clock.advance(days=3)
        today = clock.now().astimezone(node.config.zone).date()
        yesterday = today - timedelta(days=1)
        assert node.config.crm.keep_reports_ready and not report_process.running(home.database_path)

        with caplog.at_level(logging.INFO, logger=analytics_actions.__name__):
            await analytics_actions.keep_ready(node)  # what the node runs a minute after its start
        [noted] = [r for r in caplog.records if r.name == analytics_actions.__name__]
        assert noted.levelno == logging.INFO
        assert f"kept as of {yesterday} for 2 paying customers" in noted.getMessage()
        for name in ("spends", "stores", "months", "liability", "consent"):
            assert f"{name} made in" in noted.getMessage()
        assert "spends to today brought forward in" in noted.getMessage()
        assert report_process.running(home.database_path)

        brought = ("spends brought", "stores brought", "months brought", "liability brought")
        # the day's departures from the window are read once a day; the consent is kept
        assert await warmed(node) == (yesterday, 2, (*brought, "consent brought"))
        clock.advance(days=1)  # a new closed day: every figure is brought to it
        to_today = "spends to today brought"
        assert await warmed(node) == (today, 2, (*brought, to_today, "consent brought"))

        report_process.shutdown(home.database_path)
        crm_before = node.config.crm
        crm = dataclasses.replace(crm_before, keep_reports_ready=False)
        node.config = dataclasses.replace(node.config, crm=crm)
        assert await analytics_actions.warm(node) is None  # no report has started a worker
        assert not report_process.running(home.database_path)
        status, pareto = await api.call("GET", "analytics/pareto")
        assert status == 200, pareto
        assert await warmed(node) == (today, 2, ("spends brought",))
        status, kpis = await api.call("GET", "analytics/kpi")
        assert status == 200, kpis
        asked_for = ("spends brought", "stores brought", "liability brought")  # not the months
        assert await warmed(node) == (today, 2, asked_for)

        # A worker that dies (the OOM killer) is not started again by the warm-up, only by a
        # report: the warm-up would make the same figures and be killed again every ten minutes.
        node.config = dataclasses.replace(node.config, crm=crm_before)
        [pid] = worker_pids(home)
        os.kill(pid, signal.SIGKILL)
        status = 200
        for _ in range(200):
            status, _answer = await api.call("GET", "analytics/pareto")
            if status == 503:
                break
        assert status == 503 and report_process.died(home.database_path)
        assert await analytics_actions.warm(node) is None
        assert not report_process.running(home.database_path)


async def sleeping(db: Reader, seconds: float) -> None:
    """A job that takes as long as a figure can (sent to the worker by name)."""
    await asyncio.sleep(seconds)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


async def within(seconds: float, done: Callable[[], bool]) -> bool:
    """Whether `done()` holds within `seconds` (looked at every 50 ms)."""
    for _ in range(int(seconds / 0.05)):
        if done():
            return True
        await asyncio.sleep(0.05)
    return done()


@pytest.mark.node
async def test_a_stopping_node_ends_the_job_under_way(home: NodeHome) -> None:
    job = asyncio.ensure_future(report_process.run(home.database_path, sleeping, 600.0))
    assert await within(30, lambda: bool(worker_pids(home)))
    [pid] = worker_pids(home)
    await asyncio.sleep(0.5)  # the job is under way in the worker

    report_process.shutdown(home.database_path)
    assert await within(30, lambda: not alive(pid))
    with pytest.raises(ReportUnavailable):
        await job
    assert not report_process.running(home.database_path)
    assert not report_process.died(home.database_path)  # stopped on purpose: not a death
