"""100 parallel uses of the same points, half as a POS would (actions.use, what the points API
runs) and half as the counter's form posts (/staff/points/use, each with its own fresh card
code and transaction id), never overspend: a member with 1,000 pt is asked for 50 x 10 pt by
the POS and 50 x 20 pt at the counter (1,500 pt in all). What was taken plus what is left is
1,000; what is left is less than any refused request asked (the balance only goes down, and was
short when it was refused); the counter got at least the 500 pt the POS could not take; the
balance equals the lots' remainders and the journal's member account, and the journal balances.
Refusals are 'not enough points', on the page in Japanese with the code points.insufficient.

The counter's attempts (tests/points_counter_helpers.py) also join the POS API's own mix in
tests/test_points_api_concurrency.py.
"""

from __future__ import annotations

import asyncio

import aiohttp

from node.errors import InsufficientPoints
from node.home import NodeHome
from node.points import actions, books, tables
from node.points.actions import ADMIN, Caller
from node.points.model import Member, member_account
from tests.conftest import FakeClock
from tests.points_counter_helpers import (
    USED,
    Attempt,
    Outcome,
    attempts_at_the_counter,
    signed_in_staff,
)
from tests.points_helpers import PointsNode, points_node

POS = Caller("key:ak_pos")
BY_POS, AT_COUNTER = 10, 20


def attempts_like_the_api(
    p: PointsNode, member: Member, store_id: str, points: int, count: int, tag: str
) -> list[Attempt]:
    """`count` uses as the points API makes them (actions.use), each with its own fresh code."""
    payloads = [str(actions.card_code(p.node, member)["payload"]) for _ in range(count)]

    def attempt(payload: str, txn: str) -> Attempt:
        async def use() -> Outcome:
            try:
                await actions.use(p.node, payload, points, txn, POS, store_id)
            except InsufficientPoints as exc:
                return exc.code
            return USED

        return use

    return [attempt(payload, f"{tag}-{i}") for i, payload in enumerate(payloads)]


async def test_a_hundred_parallel_uses_through_the_api_and_the_counter_never_overspend(
    home: NodeHome, clock: FakeClock
) -> None:
    async with (
        points_node(home, clock) as p,
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http,
    ):
        store_id = await p.store()
        member = await p.member()
        await actions.adjust(p.node, member.member_no, 1_000, "開店記念", ADMIN)
        staff = await signed_in_staff(p, http, store_id)
        counter = attempts_at_the_counter(p, staff, member, AT_COUNTER, 50, "counter")
        pos = attempts_like_the_api(p, member, store_id, BY_POS, 50, "pos")
        mixed = [a for pair in zip(counter, pos, strict=True) for a in pair]
        asked = [AT_COUNTER, BY_POS] * 50

        outcomes = await asyncio.gather(*(attempt() for attempt in mixed))

        assert set(outcomes) <= {USED, "points.insufficient"}
        taken = sum(n for n, done in zip(asked, outcomes, strict=True) if done == USED)
        left = (await actions.balance_answer(p.node, member))["balance"]
        assert taken + left == 1_000 and left >= 0
        assert left < min(n for n, done in zip(asked, outcomes, strict=True) if done != USED)
        at_counter = outcomes[0::2].count(USED) * AT_COUNTER
        assert at_counter >= 1_000 - 50 * BY_POS - left  # the POS alone could take only 500

        def journal_and_lots(conn: object) -> tuple[dict[str, int], dict[str, int]]:
            return tables.account_sums(conn), tables.lot_remainders(conn)  # type: ignore[arg-type]

        sums, remainders = await p.node.require_writer().submit(journal_and_lots)
        assert sum(sums.values()) == 0
        assert -sums[member_account(member.customer_id)] == remainders[member.customer_id] == left
        assert await books.problems(p.node.require_reader()) == []  # the points core's check
