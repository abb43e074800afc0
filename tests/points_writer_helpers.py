"""For points tests that call the writer units directly: a running node whose sweep interval
they choose, members with points, and the async reads run on a plain sqlite3 connection."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Coroutine, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import aiohttp

from node.home import NodeHome
from node.ledger import operations as ledger_operations
from node.points import operations
from node.points.model import Member
from node.runtime import Node
from node.server import load_node, start
from tests.conftest import FakeClock, SeededRandomness, loop_watchdog

T = TypeVar("T")


class ConnectionReader:
    """The read side's `Reader` over the sqlite3 connection a writer unit or a state machine
    holds: the node's async reads (queries, the books check) run on it as they are, in the
    same transaction as the writes they check."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    async def execute_fetchall(
        self, sql: str, parameters: Iterable[Any] | None = None
    ) -> Iterable[sqlite3.Row]:
        return self._conn.execute(sql, tuple(parameters or ())).fetchall()


def read_now(read: Coroutine[Any, Any, T]) -> T:
    """Run a read on a ConnectionReader to its end: it never waits on anything, so it finishes
    in its first step, without an event loop."""
    try:
        read.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    read.close()
    raise RuntimeError("a read on a ConnectionReader waited for something")


@dataclass
class Running:
    node: Node
    clock: FakeClock
    base_url: str
    session: aiohttp.ClientSession


@asynccontextmanager
async def running_node(
    home: NodeHome, clock: FakeClock, *, sweep_seconds: int | None = None
) -> AsyncIterator[Running]:
    """A node serving on 127.0.0.1 in this event loop, under the loop watchdog; its expiry
    sweeps every `sweep_seconds` when given (1 is the least the config takes)."""
    if sweep_seconds is not None:
        config = home.config_path.read_text(encoding="utf-8")
        assert "expiry_sweep_seconds = 300" in config
        home.config_path.write_text(
            config.replace("expiry_sweep_seconds = 300", f"expiry_sweep_seconds = {sweep_seconds}"),
            encoding="utf-8",
        )
    with loop_watchdog():
        node = load_node(home, clock, SeededRandomness())
        runner, port = await start(node, "127.0.0.1", 0)
        try:
            async with aiohttp.ClientSession() as session:
                yield Running(node, clock, f"http://127.0.0.1:{port}", session)
        finally:
            await runner.cleanup()


async def members_with_lots(
    node: Node, customers: tuple[str, ...], purchases: int, purchase_yen: int = 1_000
) -> list[Member]:
    """The customers as members, each with `purchases` lots earned now at head office (under the
    default program: 1 point per ¥100, valid through the local day a year on)."""
    writer, now = node.require_writer(), node.clock.now()
    members = []
    for customer_id in customers:
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
                purchase_yen,
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
