"""A hundred uses of the same points at once, through the node's real writer, never overspend:
each use reads the member's lots and takes from them inside one writer unit, so the ones that
find too few points are refused (points.insufficient) and the books hold after."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable

import pytest

from node.errors import InsufficientPoints
from node.home import NodeHome
from node.points import books, operations, queries
from node.points.model import Member
from tests.conftest import FakeClock
from tests.points_helpers import Running, members_with_lots, running_node


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
    balance = await writer.submit(lambda c: queries.balance(c, member.customer_id, now).points)
    assert balance == 1_000 - points * succeed
    assert all(
        r.details["balance"] == balance for r in refused if isinstance(r, InsufficientPoints)
    )
    assert await writer.submit(books.problems) == []
