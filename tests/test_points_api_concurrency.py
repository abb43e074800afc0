"""Points spent at once from many places never overspend: 100 uses of the same member's points in
parallel, each with its own fresh card code and transaction id, through the POS API. Exactly as
many succeed as the balance holds; the rest are refused points.insufficient; the books balance and
the lots hold exactly the balance.

Each surface contributes a list of attempts (coroutine factories answering an `Outcome`), run
together: another surface that spends points (the counter) adds its own factory list beside
`attempts_through_the_api` and the same assertions hold for the whole.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable

import aiohttp

from node.home import NodeHome
from node.points import actions, tables
from tests.conftest import FakeClock
from tests.points_api_helpers import (
    admin_ok,
    balance,
    books,
    call,
    card_payload,
    new_key,
    new_member,
)
from tests.points_counter_helpers import attempts_at_the_counter, signed_in_staff
from tests.points_helpers import PointsNode, points_node

USED = "used"
Outcome = str  # USED, or the error code of the refusal
Attempt = Callable[[], Awaitable[Outcome]]

STARTING_POINTS = 1_000
POINTS_EACH = 30
ATTEMPTS = 100


async def attempts_through_the_api(
    p: PointsNode, key: str, member: dict[str, object], points: int, count: int, tag: str
) -> list[Attempt]:
    """`count` POS uses of `points`, each with its own fresh card code and transaction id (the
    codes are fetched first, as a wallet shows them, so the uses themselves run together)."""
    customer_id = str(member["customer_id"])
    payloads = [await card_payload(p, customer_id) for _ in range(count)]

    def attempt(payload: str, txn: str) -> Attempt:
        async def use() -> Outcome:
            body = {"member": payload, "points": points, "txn": txn}
            status, answer = await call(p, "POST", "points/use", key, body)
            return USED if status == 201 else str(answer["error"]["code"])

        return use

    return [attempt(payload, f"{tag}-{i}") for i, payload in enumerate(payloads)]


async def run_together(attempts: list[Attempt]) -> Counter[Outcome]:
    return Counter(await asyncio.gather(*(attempt() for attempt in attempts)))


async def test_a_hundred_parallel_uses_never_overspend(home: NodeHome, clock: FakeClock) -> None:
    async with points_node(home, clock) as p:
        member = await new_member(p)
        no = str(member["member_no"])
        await admin_ok(
            p, "POST", f"members/{no}/adjust", {"points": STARTING_POINTS, "reason": "開始"}
        )
        pos, _ = await new_key(p, "POS 並行", "write")
        attempts = await attempts_through_the_api(p, pos, member, POINTS_EACH, ATTEMPTS, "api")

        outcomes = await run_together(attempts)

        fits = STARTING_POINTS // POINTS_EACH
        assert outcomes == Counter({USED: fits, "points.insufficient": ATTEMPTS - fits})
        left = STARTING_POINTS - fits * POINTS_EACH
        assert await balance(p, no) == left
        assert sum((await books(p)).values()) == 0
        lots = await p.node.require_writer().submit(tables.lot_remainders)
        assert lots == {member["customer_id"]: left}


async def test_one_card_code_spends_once_however_many_use_it(
    home: NodeHome, clock: FakeClock
) -> None:
    async with points_node(home, clock) as p:
        member = await new_member(p)
        no = str(member["member_no"])
        await admin_ok(
            p, "POST", f"members/{no}/adjust", {"points": STARTING_POINTS, "reason": "開始"}
        )
        pos, _ = await new_key(p, "POS 同一コード", "write")
        payload = await card_payload(p, str(member["customer_id"]))

        async def use(txn: str) -> Outcome:
            body = {"member": payload, "points": 1, "txn": txn}
            status, answer = await call(p, "POST", "points/use", pos, body)
            return USED if status == 201 else str(answer["error"]["code"])

        outcomes = Counter(await asyncio.gather(*(use(f"same-{i}") for i in range(ATTEMPTS))))
        assert outcomes == Counter({USED: 1, "member.code_used": ATTEMPTS - 1})
        assert await balance(p, no) == STARTING_POINTS - 1


async def test_a_hundred_parallel_uses_through_the_api_and_the_counter_never_overspend(
    home: NodeHome, clock: FakeClock
) -> None:
    """The same hundred uses, half through the POS API and half posted to the counter's use form
    (tests/points_counter_helpers.py), interleaved: the same exact count and books."""
    async with (
        points_node(home, clock) as p,
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http,
    ):
        member = await new_member(p)
        no = str(member["member_no"])
        await admin_ok(
            p, "POST", f"members/{no}/adjust", {"points": STARTING_POINTS, "reason": "開始"}
        )
        pos, _ = await new_key(p, "POS 並行", "write")
        staff = await signed_in_staff(p, http, await p.store())
        half = ATTEMPTS // 2
        api = await attempts_through_the_api(p, pos, member, POINTS_EACH, half, "api")
        at_counter = attempts_at_the_counter(
            p, staff, await actions.member_by_number(p.node, no), POINTS_EACH, half, "counter"
        )

        outcomes = await run_together(
            [a for pair in zip(api, at_counter, strict=True) for a in pair]
        )

        fits = STARTING_POINTS // POINTS_EACH
        assert outcomes == Counter({USED: fits, "points.insufficient": ATTEMPTS - fits})
        left = STARTING_POINTS - fits * POINTS_EACH
        assert await balance(p, no) == left
        assert sum((await books(p)).values()) == 0
        lots = await p.node.require_writer().submit(tables.lot_remainders)
        assert lots == {member["customer_id"]: left}
