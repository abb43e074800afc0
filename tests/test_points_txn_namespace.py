"""Transaction ids are one namespace (point_requests.txn_id), so no one may take an id another
needs: an API caller's id never starts with the node's own prefixes (return:, redeem:, wallet:,
staff:), and the ids our own pages post back are never used as typed (the wallet's become
`wallet:<hash over the member and the posted id>`, the counter's `staff:<hash over the login and
it>`). A member or a staff member posting a POS's next id, or the `return:` id of a POS's sale,
blocks nothing; the same form sent twice still acts once."""

from __future__ import annotations

import logging
from datetime import timedelta

import aiohttp
import pytest

from node.clock import iso
from node.home import NodeHome
from node.points import actions
from node.points.actions import ADMIN
from tests.conftest import FakeClock
from tests.points_api_helpers import call, new_key, new_member
from tests.points_counter_helpers import signed_in_staff
from tests.points_helpers import points_node
from tests.web_helpers import Person, customer_signs_in


async def test_api_callers_may_not_use_the_nodes_own_prefixes(
    home: NodeHome, clock: FakeClock
) -> None:
    async with points_node(home, clock) as p:
        pos, _ = await new_key(p, "レジ1", "write")
        no = (await new_member(p))["member_no"]
        for txn in ("return:R-1", "redeem:rd_1", "wallet:abc", "staff:abc", "Return:R-1"):
            body = {"member": no, "purchase_yen": 1_000, "txn": txn}
            for token in (pos, p.node.admin_token):
                status, refused = await call(p, "POST", "points/earn", token, body)
                assert status == 422, refused
                assert refused["error"]["code"] == "points.invalid"
                assert refused["error"]["field"] == "txn"
            order = {"member_no": no, "item_id": "it_x", "txn": txn}
            status, refused = await p.admin("POST", "points/exchange/orders", order)
            assert (status, refused["error"]["field"]) == (422, "txn")  # type: ignore[index]
        # Orders and entries are the member's (wallet) or head office's: no key may make one.
        order = {"member_no": no, "item_id": "it_x", "txn": "o-1"}
        status, refused = await call(p, "POST", "points/exchange/orders", pos, order)
        assert (status, refused["error"]["code"]) == (403, "auth.key_not_allowed")
        status, refused = await call(p, "POST", "points/lotteries/lo_x/entries", pos, order)
        assert (status, refused["error"]["code"]) == (403, "auth.key_not_allowed")
        status, fine = await call(p, "POST", "points/earn", pos, {**body, "txn": "R-1"})
        assert status == 201 and fine["points"] == 10, fine


async def test_a_member_posting_a_pos_id_in_the_wallet_blocks_nothing(
    home: NodeHome, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="node.web.mail")
    async with (
        points_node(home, clock) as p,
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http,
    ):
        pos, _ = await new_key(p, "レジ1", "write")
        customer_id = await p.customer("山田花子", "hanako@example.com")
        member = await actions.member_of(p.node, customer_id)
        await actions.adjust(p.node, member.member_no, 1_000, "付与", ADMIN)
        now = clock.now()
        status, lottery = await p.admin(
            "POST",
            "points/lotteries",
            {
                "name": "春の抽選",
                "entry_points": 100,
                "max_entries": 5,
                "opens_at": iso(now + timedelta(hours=1)),
                "closes_at": iso(now + timedelta(days=7)),
                "related_sales_yen": 1_000_000,
                "prizes": [{"name": "お米券", "value_yen": 2_000, "count": 1}],
            },
        )
        assert status == 201, lottery
        clock.advance(hours=2)
        earn = {"member": member.member_no, "purchase_yen": 1_000, "txn": "R-1001"}
        status, _ = await call(p, "POST", "points/earn", pos, earn)
        assert status == 201

        person = await customer_signs_in(Person(p.base_url, http), "hanako@example.com", caplog)
        entries = f"/wallet/points/lotteries/{lottery['lottery_id']}/enter"
        for posted in ("return:R-1001", "R-1002", "R-1002"):  # the last: a double submit
            answer = await person.signed_post(entries, {"txn": posted})
            assert answer.status == 303, answer.text
        status, shown = await p.admin("GET", f"members/{member.member_no}/points")
        assert shown["balance"] == 1_010 - 2 * 100  # two entries: the repeated form acted once

        status, returned = await call(p, "POST", "points/returns", pos, {"txn": "R-1001"})
        assert status == 201 and returned["points_taken_back"] == 10, returned
        status, earned = await call(p, "POST", "points/earn", pos, {**earn, "txn": "R-1002"})
        assert status == 201 and earned["replayed"] is False, earned


async def test_a_staff_member_posting_a_pos_id_at_the_counter_blocks_nothing(
    home: NodeHome, clock: FakeClock
) -> None:
    async with (
        points_node(home, clock) as p,
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http,
    ):
        store_id = await p.store()
        staff = await signed_in_staff(p, http, store_id)
        pos, _ = await new_key(p, "レジ1", "write")
        no = (await new_member(p))["member_no"]
        form = {"member": no, "amount": "3000", "txn": "R-2001"}
        for _ in range(2):  # the same form twice: one earn
            earned = await staff.signed_post("/staff/points/earn", form)
            assert earned.status == 200 and 'id="done-balance">30 pt' in earned.text
        body = {"member": no, "purchase_yen": 1_000, "txn": "R-2001"}
        status, answer = await call(p, "POST", "points/earn", pos, body)
        assert status == 201 and answer["replayed"] is False and answer["balance"] == 40, answer
