"""The points expiry sweep (node/points/sweep.py) on a running node with a fake clock: it moves
every lapsed lot to breakage in batches until none is due, changes no balance, runs by itself on
the node's sweep interval, and on demand from POST /api/v1/points/expire (admin only)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest

from node.home import NodeHome
from node.ledger import operations as ledger_operations
from node.points import books, operations, queries, sweep
from node.points.model import Member
from node.runtime import Node
from node.server import load_node, start
from tests.conftest import FakeClock, SeededRandomness, loop_watchdog

CUSTOMERS = ("cu_hanako", "cu_taro", "cu_jiro")


@dataclass
class Running:
    node: Node
    clock: FakeClock
    base_url: str
    session: aiohttp.ClientSession


@pytest.fixture
async def running(home: NodeHome, clock: FakeClock) -> AsyncIterator[Running]:
    """A node serving on 127.0.0.1 whose sweep runs every second (the least the config takes)."""
    config = home.config_path.read_text(encoding="utf-8")
    assert "expiry_sweep_seconds = 300" in config
    home.config_path.write_text(
        config.replace("expiry_sweep_seconds = 300", "expiry_sweep_seconds = 1"), encoding="utf-8"
    )
    with loop_watchdog():
        node = load_node(home, clock, SeededRandomness())
        runner, port = await start(node, "127.0.0.1", 0)
        try:
            async with aiohttp.ClientSession() as session:
                yield Running(node, clock, f"http://127.0.0.1:{port}", session)
        finally:
            await runner.cleanup()


async def members_with_lots(node: Node, purchases: int) -> list[Member]:
    """Three members, each with `purchases` lots of 10 points earned now (valid a year)."""
    writer, now = node.require_writer(), node.clock.now()
    members = []
    for customer_id in CUSTOMERS:
        await writer.submit(ledger_operations.add_customer(customer_id, customer_id, None, now))
        members.append(
            await writer.submit(
                lambda c, who=customer_id: operations.ensure_member(c, who, now, node.rng)
            )
        )
    earns = [
        writer.submit(
            lambda c, m=member, n=n: operations.earn(
                c,
                m,
                1_000,
                None,
                f"pos-{m.customer_id}-{n}",
                (),
                "pos:till",
                now,
                node.settings.zone,
                node.rng,
            )
        )
        for member in members
        for n in range(purchases)
    ]
    await asyncio.gather(*earns)
    return members


async def balances(node: Node, members: list[Member]) -> list[int]:
    now = node.clock.now()
    return [
        await node.require_writer().submit(
            lambda c, m=m: queries.balance(c, m.customer_id, now).points
        )
        for m in members
    ]


async def test_the_sweep_runs_in_batches_until_nothing_is_due(
    running: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    node = running.node
    monkeypatch.setattr(operations, "EXPIRY_BATCH", 4)
    members = await members_with_lots(node, 7)  # 21 lots: six batches of at most 4
    assert await sweep.expire_points(node) == 0, "nothing is due while every lot is live"
    running.clock.advance(days=366)
    assert await balances(node, members) == [0, 0, 0], "a lapsed lot counts for nothing at once"
    assert await sweep.expire_points(node) == 210
    assert await sweep.expire_points(node) == 0
    # The points reads are functions of a sqlite3 connection: the writer's runs them here.
    writer = node.require_writer()
    assert await writer.submit(books.problems) == []
    sums = await writer.submit(queries.account_sums)
    assert sums["points_breakage"] == -210
    assert all(sums[f"points:{m.customer_id}"] == 0 for m in members)
    remainders = await writer.submit(queries.lot_remainders)
    assert remainders == {m.customer_id: 0 for m in members}


async def test_the_node_sweeps_by_itself_on_its_interval(running: Running) -> None:
    node = running.node
    members = await members_with_lots(node, 2)
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
    # The points reads are functions of a sqlite3 connection: the writer's runs them here.
    writer = node.require_writer()
    assert await writer.submit(queries.lot_remainders) == {m.customer_id: 0 for m in members}
    assert await writer.submit(books.problems) == []


async def test_the_admin_expires_points_on_demand(running: Running) -> None:
    node = running.node
    members = await members_with_lots(node, 3)
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
    assert await node.require_writer().submit(books.problems) == []
