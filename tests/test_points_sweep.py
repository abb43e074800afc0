"""The points expiry sweep (node/points/sweep.py) on a running node with a fake clock: it moves
every lapsed lot to breakage in batches until none is due, changes no balance, runs by itself on
the node's sweep interval, and on demand from POST /api/v1/points/expire (admin only)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest

from node.home import NodeHome
from node.points import books, books_queries, operations, queries, sweep
from node.points.model import Member
from node.runtime import Node
from tests.conftest import FakeClock
from tests.points_writer_helpers import Running, members_with_lots, running_node

CUSTOMERS = ("cu_hanako", "cu_taro", "cu_jiro")


@pytest.fixture
async def running(home: NodeHome, clock: FakeClock) -> AsyncIterator[Running]:
    """A node whose expiry sweep runs every second."""
    async with running_node(home, clock, sweep_seconds=1) as serving:
        yield serving


async def balances(node: Node, members: list[Member]) -> list[int]:
    now = node.clock.now()
    reader = node.require_reader()
    return [(await queries.balance(reader, m.customer_id, now)).points for m in members]


async def test_the_sweep_runs_in_batches_until_nothing_is_due(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    node = running.node
    monkeypatch.setattr(operations, "EXPIRY_BATCH", 4)
    members = await members_with_lots(node, CUSTOMERS, 7)  # 21 lots: six batches of at most 4
    assert await sweep.expire_points(node) == 0, "nothing is due while every lot is live"
    running.clock.advance(days=366)
    assert await balances(node, members) == [0, 0, 0], "a lapsed lot counts for nothing at once"
    assert await sweep.expire_points(node) == 210
    assert await sweep.expire_points(node) == 0
    reader = node.require_reader()
    assert await books.problems(reader) == []
    sums = await books_queries.account_sums(reader)
    assert sums["points_breakage"] == -210
    assert all(sums[f"points:{m.customer_id}"] == 0 for m in members)
    remainders = await books_queries.lot_remainders(reader)
    assert remainders == {m.customer_id: 0 for m in members}


async def test_the_node_sweeps_by_itself_on_its_interval(running: Running) -> None:
    node = running.node
    members = await members_with_lots(node, CUSTOMERS, 2)
    swept = asyncio.Event()

    class Heard(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.getMessage() == "expired 60 points to breakage":
                swept.set()

    heard = Heard()
    logger = logging.getLogger(sweep.__name__)
    logger.addHandler(heard)
    logger.setLevel(logging.INFO)
    try:
        running.clock.advance(days=366)
        await asyncio.wait_for(swept.wait(), 10)
    finally:
        logger.removeHandler(heard)
        logger.setLevel(logging.NOTSET)
    reader = node.require_reader()
    assert await books_queries.lot_remainders(reader) == {m.customer_id: 0 for m in members}
    assert await books.problems(reader) == []


async def test_the_admin_expires_points_on_demand(running: Running) -> None:
    node = running.node
    members = await members_with_lots(node, CUSTOMERS, 3)
    url = f"{running.base_url}/api/v1/points/expire"
    admin = {"Authorization": f"Bearer {node.admin_token}"}
    async with running.session.post(url) as refused:
        assert refused.status == 401
    async with running.session.post(url, headers=admin) as early:
        assert (early.status, await early.json()) == (200, {"expired_points": 0})
    running.clock.advance(days=200)
    before = await balances(node, members)
    running.clock.advance(days=166)
    async with running.session.post(url, headers=admin) as answer:
        assert (answer.status, await answer.json()) == (200, {"expired_points": 90})
    assert before == [30, 30, 30]
    async with running.session.post(url, headers=admin, json={"extra": 1}) as bad:
        assert bad.status == 400
    async with running.session.post(url, headers=admin) as again:
        assert await again.json() == {"expired_points": 0}
    assert await books.problems(node.require_reader()) == []
