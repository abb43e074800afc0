"""The counter's side of the points tests: a staff member signed in at a store, and the counter's
uses as coroutine factories answering "used" or the refusal's code, the shape of the POS API's
attempts in tests/test_points_api_concurrency.py, so both run in one mix."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import aiohttp

from node.points import actions
from node.points.model import Member
from tests.points_helpers import PointsNode
from tests.web_helpers import PASSWORD, Person

USED = "used"
Outcome = str  # USED, or the error code of the refusal
Attempt = Callable[[], Awaitable[Outcome]]


async def signed_in_staff(p: PointsNode, http: aiohttp.ClientSession, store_id: str) -> Person:
    status, made = await p.admin(
        "POST", "staff", {"name": "yamada", "stores": [store_id], "password": PASSWORD}
    )
    assert status == 201, made
    person = Person(p.base_url, http)
    assert (await person.sign_in("/staff/login", "yamada", PASSWORD)).status == 303
    return person


def attempts_at_the_counter(
    p: PointsNode, staff: Person, member: Member, points: int, count: int, tag: str
) -> list[Attempt]:
    """`count` uses of `points` posted to the counter's use form by a signed-in `staff`, each
    with its own fresh card code (as the wallet shows it) and transaction id (as the confirm
    page carries it)."""
    payloads = [str(actions.card_code(p.node, member)["payload"]) for _ in range(count)]

    def attempt(payload: str, txn: str) -> Attempt:
        async def use() -> Outcome:
            form = {"member": payload, "points": str(points), "txn": txn}
            page = await staff.signed_post("/staff/points/use", form)
            if page.status == 200:
                assert 'data-kind="use"' in page.text, page.text
                return USED
            assert 'role="alert"' in page.text and "ポイントが足りません" in page.text, page.code
            return page.code

        return use

    return [attempt(payload, f"{tag}-{i}") for i, payload in enumerate(payloads)]
