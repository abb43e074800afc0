"""Campaign grants on a real node: the office creates campaigns over the admin API and grants by
the same rules as a resident's; every grant is vouchers in the ledger, the budget account pays the
premium, 専用券 are refused outside the local shops, and the status reconciles with the ledger."""

from __future__ import annotations

import asyncio

from node.campaigns.model import campaign_account
from node.home import NodeHome
from tests.campaign_helpers import campaign_node, create, moment, redeem, terms
from tests.conftest import FakeClock


async def _account_sum(cn: object, account: str) -> int:
    node = cn.node  # type: ignore[attr-defined]
    rows = await node.require_reader().execute_fetchall(
        "SELECT coalesce(sum(amount_yen), 0) AS s FROM postings WHERE account = ?", (account,)
    )
    return int(next(iter(rows))["s"])


async def test_first_come_grants_until_the_stock_is_gone(home: NodeHome, clock: FakeClock) -> None:
    async with campaign_node(home, clock) as cn:
        made = await create(cn, terms(clock, stock=3))
        cid = made["campaign_id"]
        people = [await cn.customer(f"住民{i}") for i in range(4)]
        for person in people[:3]:
            status, granted = await cn.admin(
                "POST", f"campaigns/{cid}/grants", {"customer_id": person}
            )
            assert status == 201, granted
            assert granted["face_yen"] == 1000 and len(granted["voucher_ids"]) == 1
            if person == people[0]:  # while there is stock, the person's limit is the answer
                status, again = await cn.admin(
                    "POST", f"campaigns/{cid}/grants", {"customer_id": person}
                )
                assert (status, again["error"]["code"]) == (409, "campaign.limit_reached")
        # Once the stock is gone, everyone is told so first (the waiting room answers at once).
        for person in (people[3], people[0]):
            status, refused = await cn.admin(
                "POST", f"campaigns/{cid}/grants", {"customer_id": person}
            )
            assert (status, refused["error"]["code"]) == (409, "campaign.sold_out")
        status, shown = await cn.admin("GET", f"campaigns/{cid}")
        assert status == 200
        assert shown["granted_sets"] == 3 and shown["granted_yen"] == 3000
        assert shown["outstanding_yen"] == 3000 and shown["reconciled"] is True
        assert await _account_sum(cn, campaign_account(cid)) == 3000


async def test_concurrent_grants_never_oversell(home: NodeHome, clock: FakeClock) -> None:
    async with campaign_node(home, clock) as cn:
        cid = (await create(cn, terms(clock, stock=20)))["campaign_id"]
        people = [await cn.customer(f"住民{i}") for i in range(60)]
        answers = await asyncio.gather(
            *(cn.admin("POST", f"campaigns/{cid}/grants", {"customer_id": p}) for p in people)
        )
        granted = [a for s, a in answers if s == 201]
        refused = {a["error"]["code"] for s, a in answers if s != 201}
        assert len(granted) == 20 and refused == {"campaign.sold_out"}
        assert len({g["customer_id"] for g in granted}) == 20
        _, shown = await cn.admin("GET", f"campaigns/{cid}")
        assert shown["granted_sets"] == 20 and shown["reconciled"] is True


async def test_premium_set_pays_cash_and_budget_and_local_part_is_refused_elsewhere(
    home: NodeHome, clock: FakeClock
) -> None:
    async with campaign_node(home, clock) as cn:
        body = terms(clock, "premium", face_yen=13000, price_yen=10000, local_yen=4000, stock=10)
        cid = (await create(cn, body))["campaign_id"]
        big, small = await cn.store("大型店"), await cn.store("商店街の八百屋")
        status, _ = await cn.admin("PUT", f"campaign-stores/{small}", {"local": True})
        assert status == 200
        person = await cn.customer()
        status, granted = await cn.admin("POST", f"campaigns/{cid}/grants", {"customer_id": person})
        assert status == 201, granted
        common, local = granted["voucher_ids"]
        status, refused = await redeem(cn, local, big, 100)
        assert (status, refused["error"]["code"]) == (403, "voucher.not_for_this_store")
        assert (await redeem(cn, local, small, 4000))[0] == 201
        assert (await redeem(cn, common, big, 2500))[0] == 201
        status, shown = await cn.admin("GET", f"campaigns/{cid}")
        assert shown["used_yen"] == 6500 and shown["outstanding_yen"] == 6500
        assert shown["paid_by_residents_yen"] == 10000 and shown["funded_by_budget_yen"] == 3000
        assert shown["reconciled"] is True
        assert await _account_sum(cn, campaign_account(cid)) == 3000
        assert await _account_sum(cn, "cash:hq") >= 10000


async def test_campaign_coupons_cannot_be_gifted(home: NodeHome, clock: FakeClock) -> None:
    async with campaign_node(home, clock) as cn:
        cid = (await create(cn, terms(clock)))["campaign_id"]
        person, friend = await cn.customer(), await cn.customer("友人", "friend@example.jp")
        _, granted = await cn.admin("POST", f"campaigns/{cid}/grants", {"customer_id": person})
        status, refused = await cn.admin(
            "POST", f"vouchers/{granted['voucher_id']}/gift", {"to": friend, "amount": 500}
        )
        assert status == 409 and refused["error"]["code"] == "voucher.gift_not_allowed"


async def test_rounds_release_stock_over_time(home: NodeHome, clock: FakeClock) -> None:
    async with campaign_node(home, clock) as cn:
        rounds = [
            {"opens_at": moment(clock, minutes=-30), "stock": 1},
            {"opens_at": moment(clock, days=1), "stock": 1},
        ]
        cid = (await create(cn, terms(clock, stock=2, rounds=rounds)))["campaign_id"]
        a, b = await cn.customer("一"), await cn.customer("二")
        assert (await cn.admin("POST", f"campaigns/{cid}/grants", {"customer_id": a}))[0] == 201
        status, wait = await cn.admin("POST", f"campaigns/{cid}/grants", {"customer_id": b})
        assert (status, wait["error"]["code"]) == (409, "campaign.not_open")
        clock.advance(days=1)
        assert (await cn.admin("POST", f"campaigns/{cid}/grants", {"customer_id": b}))[0] == 201


async def test_ticket_book_and_bad_terms(home: NodeHome, clock: FakeClock) -> None:
    async with campaign_node(home, clock) as cn:
        cid = (await create(cn, terms(clock, "ticket-book", face_yen=500, book_count=5)))[
            "campaign_id"
        ]
        person = await cn.customer()
        _, granted = await cn.admin("POST", f"campaigns/{cid}/grants", {"customer_id": person})
        assert len(granted["voucher_ids"]) == 5 and granted["face_yen"] == 2500
        for wrong, field in (
            (terms(clock, "premium"), "price_yen"),
            (terms(clock, price_yen=100), "price_yen"),
            (terms(clock, stock=None), "stock"),
            (terms(clock, ends_at=moment(clock, days=-2)), "ends_at"),
            (terms(clock, eligibility=["residence"]), "postcodes"),
            (terms(clock, kind="lottery", book_count=3), "book_count"),
        ):
            status, refused = await cn.admin("POST", "campaigns", wrong)
            assert status == 422 and refused["error"]["field"] == field, (wrong, refused)
        status, listed = await cn.admin("GET", "campaigns")
        assert len(listed["campaigns"]) == 1


async def test_lottery_and_survey_coupons_are_not_granted_directly(
    home: NodeHome, clock: FakeClock
) -> None:
    async with campaign_node(home, clock) as cn:
        person = await cn.customer()
        for kind in ("lottery", "survey"):
            cid = (await create(cn, terms(clock, kind)))["campaign_id"]
            status, refused = await cn.admin(
                "POST", f"campaigns/{cid}/grants", {"customer_id": person}
            )
            assert (status, refused["error"]["code"]) == (409, "campaign.kind_refused")


async def test_eligibility_is_required(home: NodeHome, clock: FakeClock) -> None:
    async with campaign_node(home, clock) as cn:
        cid = (await create(cn, terms(clock, eligibility=["serial", "sms"])))["campaign_id"]
        person = await cn.customer()
        status, refused = await cn.admin("POST", f"campaigns/{cid}/grants", {"customer_id": person})
        assert (status, refused["error"]["code"]) == (403, "campaign.not_eligible")
        assert "serial" in refused["error"]["message"] or refused["error"].get("missing")
