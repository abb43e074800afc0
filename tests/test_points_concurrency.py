"""A hundred uses of the same points at once, through the node's real writer, never overspend:
each use reads the member's lots and takes from them inside one writer unit, so the ones that
find too few points are refused (points.insufficient) and the books hold after."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import pytest

from node.errors import InsufficientPoints
from node.home import NodeHome
from node.points import books, books_queries, operations, queries, sweep, tables
from node.points.model import ExpiryKind, Member, Program, Rounding
from tests.conftest import FakeClock
from tests.points_writer_helpers import Running, members_with_lots, running_node


@pytest.fixture
async def running(home: NodeHome, clock: FakeClock) -> AsyncIterator[Running]:
    async with running_node(home, clock) as serving:
        yield serving


def use_of(running: Running, member: Member, points: int) -> Callable[[sqlite3.Connection], object]:
    node = running.node
    now = node.clock.now()
    return lambda c: operations.use(c, member, points, None, "staff:a", now, node.rng)


@pytest.mark.parametrize(("points", "succeed"), [(30, 33), (1, 100), (1_001, 0)])
async def test_a_hundred_uses_at_once_spend_no_more_than_the_balance(
    running: Running, points: int, succeed: int
) -> None:
    node = running.node
    writer = node.require_writer()
    # 1,000 points in four lots of different sizes: ¥40,000, ¥30,000, ¥20,000, ¥10,000.
    [member] = await members_with_lots(node, ("cu_hanako",), 1, 40_000)
    now = node.clock.now()
    for n, yen in enumerate((30_000, 20_000, 10_000)):
        await writer.submit(
            lambda c, n=n, yen=yen: operations.earn(
                c,
                member,
                yen,
                None,
                f"pos-more-{n}",
                (),
                "pos:till",
                now,
                node.settings.zone,
                node.rng,
            )
        )
    running.clock.advance(seconds=1)
    now = node.clock.now()
    results = await asyncio.gather(
        *(writer.submit(use_of(running, member, points)) for _ in range(100)),
        return_exceptions=True,
    )
    used = [r for r in results if isinstance(r, operations.Used)]
    refused = [r for r in results if not isinstance(r, operations.Used)]
    assert len(used) == succeed == min(100, 1_000 // points)
    assert all(isinstance(r, InsufficientPoints) for r in refused), refused[:1]
    assert len({u.entry_id for u in used}) == len(used)
    balance = (await queries.balance(node.require_reader(), member.customer_id, now)).points
    assert balance == 1_000 - points * succeed
    assert all(
        r.details["balance"] == balance for r in refused if isinstance(r, InsufficientPoints)
    )
    assert await books.problems(node.require_reader()) == []


async def test_uses_racing_the_sweep_at_an_expiry_never_spend_the_lapsed_lot(
    running: Running,
) -> None:
    """500 points lapse at the very moment 100 uses of 10 and five sweeps arrive together: the
    500 that do not lapse are spent exactly, the lapsed 500 go to breakage, never to a use."""
    node, writer = running.node, running.node.require_writer()
    [member] = await members_with_lots(node, ("cu_hanako",), 1, 50_000)  # 500 valid a year
    never = Program(
        "pv_never",
        node.clock.now() + timedelta(seconds=1),
        1,
        100,
        Rounding.FLOOR,
        ExpiryKind.NONE,
        None,
        1,
        1,
        node.clock.now(),
        "hq",
    )
    await writer.submit(lambda c: tables.insert_program(c, never))
    running.clock.advance(seconds=1)
    later = node.clock.now()
    await writer.submit(
        lambda c: operations.earn(
            c,
            member,
            50_000,
            None,
            "pos-forever",
            (),
            "pos:till",
            later,
            node.settings.zone,
            node.rng,
        )
    )
    lapsing = (await queries.balance(node.require_reader(), member.customer_id, later)).lots
    [expiry] = {lot.expires_at for lot in lapsing if lot.expires_at is not None}
    running.clock.set(expiry)
    work = [writer.submit(use_of(running, member, 10)) for _ in range(100)]
    sweeps = [sweep.expire_points(node) for _ in range(5)]
    results = await asyncio.gather(*work, *sweeps, return_exceptions=True)
    used = [r for r in results[:100] if isinstance(r, operations.Used)]
    assert len(used) == 50
    assert all(isinstance(r, InsufficientPoints) for r in results[:100] if r not in used)
    assert sum(r for r in results[100:] if isinstance(r, int)) == 500
    sums = await books_queries.account_sums(node.require_reader())
    assert (sums["points_breakage"], sums["points_used:hq"]) == (-500, -500)
    assert await books.problems(node.require_reader()) == []
