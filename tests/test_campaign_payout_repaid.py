"""Review fixes of the carry-forward on a real node: the per-campaign figures tell the cash that
was sent (a carry-in run reconciled per campaign against cash:hq); a store's repayment of what
it owes is recorded once, at most what it owes, booked against cash:hq; and carries left by runs
before migration 0043 (settled by hand then) hold the runs back until the office reviews each."""

from __future__ import annotations

import asyncio
from pathlib import Path

from node import db
from node.home import NodeHome
from node.migrations import MIGRATIONS
from tests.campaign_helpers import CampaignNode, campaign_node, create, terms
from tests.conftest import FakeClock
from tests.test_campaign_payout_carries import (
    DAYS,
    coupons,
    forget_migration_0043,
    owed,
    owing_store,
    reconciled,
    run,
)
from tests.test_campaign_payouts import books, configure, postings, used


async def hq_credits_of_payouts(cn: CampaignNode) -> int:
    """What cash:hq sent by the payout runs, from the journal."""
    status, listing = await cn.admin("GET", "payouts")
    assert status == 200
    sent = 0
    for payout in listing["payouts"]:
        if payout["txn_id"] is not None:
            sent -= (await postings(cn, payout["txn_id"]))["cash:hq"]
    return sent


async def test_a_carry_in_run_is_reconciled_per_campaign_against_cash_hq(
    home: NodeHome, clock: FakeClock
) -> None:
    configure(home)
    async with campaign_node(home, clock) as cn:
        # 鍵屋 was paid ¥3,000 of campaign B, then the use was voided: it owes ¥3,000.
        kagiya, campaign_b = await owing_store(cn, clock)
        _, listing = await cn.admin("GET", "payouts")
        voided_run = listing["payouts"][1]["payout_id"]
        _, eaten = await cn.admin("GET", f"payouts/{voided_run}")
        assert [(li["amount_yen"], li["cash_yen"]) for li in eaten["lines"]] == [(-3000, 0)]

        # It then uses ¥10,000 of campaign A: the bank gets ¥7,000.
        body = {**terms(clock, face_yen=10000, stock=5), "name": "子育て応援券"}
        campaign_a = (await create(cn, body))["campaign_id"]
        (voucher,) = await coupons(cn, campaign_a, 1)
        await used(cn, voucher, kagiya, 10000)
        clock.advance(days=1)
        third = await run(cn, DAYS[2])
        assert third["total_yen"] == 7000
        assert [(li["campaign_id"], li["cash_yen"]) for li in third["lines"]] == [
            (campaign_a, 7000)
        ]

        found = await books(cn)
        by_id = {c["campaign_id"]: c for c in found["campaigns"]}
        a, b = by_id[campaign_a], by_id[campaign_b]
        assert (a["used_yen"], a["settled_yen"], a["paid_yen"], a["netted_yen"]) == (
            10000,
            10000,
            7000,
            3000,
        )
        assert (b["used_yen"], b["settled_yen"], b["paid_yen"], b["netted_yen"]) == (
            0,
            0,
            3000,
            -3000,
        )
        sent = await hq_credits_of_payouts(cn)
        assert sent == 10000 == found["cash_sent_yen"]
        assert sum(c["paid_yen"] for c in found["campaigns"]) == sent
        assert found["cash_holds"] is True
        await reconciled(cn)


async def test_a_repayment_is_recorded_once_and_the_runs_net_only_the_rest(
    home: NodeHome, clock: FakeClock
) -> None:
    configure(home)
    async with campaign_node(home, clock) as cn:
        kagiya, campaign = await owing_store(cn, clock)
        path = f"stores/{kagiya}/carry-repaid"
        refusals = {
            "payout.bad_reason": {"amount_yen": 1000, "reason": " "},
            "request.invalid_amount": {"amount_yen": 0, "reason": "現金"},
            "payout.repaid_too_much": {"amount_yen": 3001, "reason": "現金"},
        }
        for code, body in refusals.items():
            status, refused = await cn.admin("POST", path, body)
            assert refused["error"]["code"] == code, refused
        assert (status, refused["error"]["carry_yen"]) == (409, 3000)
        status, missing = await cn.admin(
            "POST", "stores/st_nosuch/carry-repaid", {"amount_yen": 1, "reason": "現金"}
        )
        assert (status, missing["error"]["code"]) == (404, "store.not_found")
        assert await owed(cn) == {kagiya: 3000}

        # Four clerks record the same ¥2,000 at once: one is booked, the rest find too little owed.
        body = {"amount_yen": 2000, "reason": "12/1 窓口で現金受領 No.118"}
        answers = await asyncio.gather(*(cn.admin("POST", path, body) for _ in range(4)))
        made = [a for s, a in answers if s == 201]
        assert len(made) == 1, answers
        assert {a["error"]["code"] for s, a in answers if s != 201} == {"payout.repaid_too_much"}
        (repaid,) = made
        assert (repaid["kind"], repaid["amount_yen"], repaid["reason"]) == (
            "repaid",
            2000,
            body["reason"],
        )
        assert await postings(cn, repaid["txn_id"]) == {
            "cash:hq": 2000,
            f"revenue:{kagiya}": -2000,
        }
        assert await owed(cn) == {kagiya: 1000}
        status, listing = await cn.admin("GET", "payout-carries")
        assert [r["write_off_id"] for r in listing["repayments"]] == [repaid["write_off_id"]]
        assert listing["write_offs"] == []
        stores = await reconciled(cn)
        assert (stores[kagiya]["repaid_yen"], stores[kagiya]["carry_yen"]) == (2000, 1000)

        # The next run deducts only the ¥1,000 still owed.
        (voucher,) = await coupons(cn, campaign, 1)
        await used(cn, voucher, kagiya, 4000)
        clock.advance(days=1)
        assert (await run(cn, DAYS[2]))["total_yen"] == 3000
        assert await owed(cn) == {}
        await reconciled(cn)


async def remigrated(home: NodeHome) -> None:
    await asyncio.to_thread(forget_migration_0043, home.database_path)
    conn = await asyncio.to_thread(db.connect, home.database_path)
    try:
        assert await asyncio.to_thread(db.migrate, conn, MIGRATIONS) == [
            "0043_campaign_payout_carries"
        ]
    finally:
        conn.close()


async def test_a_legacy_carry_holds_the_runs_back_until_the_office_reviews_it(
    home: NodeHome, clock: FakeClock, tmp_path: Path
) -> None:
    configure(home)
    async with campaign_node(home, clock) as cn:
        kagiya, campaign = await owing_store(cn, clock)
        (voucher,) = await coupons(cn, campaign, 1)
        await used(cn, voucher, kagiya, 4000)
    await remigrated(home)
    clock.advance(days=1)
    async with campaign_node(home, clock) as cn:
        status, listing = await cn.admin("GET", "payout-carries")
        assert listing["carries"] == [
            {"store_id": kagiya, "store_name": "鍵屋", "carry_yen": 3000, "is_legacy": True}
        ]
        assert listing["legacy_open"] == [kagiya]
        status, preview = await cn.admin("GET", f"payout-preview?from={DAYS[2]}&to={DAYS[2]}")
        assert status == 200
        assert [r["code"] for r in preview["refusals"]] == ["payout.legacy_carry_open"], preview
        status, refused = await cn.admin("POST", "payouts", {"from": DAYS[2], "to": DAYS[2]})
        assert (status, refused["error"]["code"]) == (409, "payout.legacy_carry_open")
        assert refused["error"]["store_ids"] == kagiya
        status, listing = await cn.admin("GET", "payouts")
        assert len(listing["payouts"]) == 2  # nothing recorded

        keep = f"stores/{kagiya}/carry-keep"
        status, stale = await cn.admin("POST", keep, {"amount_yen": 2000, "reason": "確認済"})
        assert (status, stale["error"]["code"]) == (409, "payout.carry_changed")
        status, kept = await cn.admin(
            "POST", keep, {"amount_yen": 3000, "reason": "店舗に未返金を確認(12/1 電話)"}
        )
        assert status == 201 and kept["carry_yen"] == 3000, kept
        status, again = await cn.admin("POST", keep, {"amount_yen": 3000, "reason": "確認済"})
        assert (status, again["error"]["code"]) == (409, "payout.not_legacy")
        assert (await owed(cn)) == {kagiya: 3000}

        assert (await run(cn, DAYS[2]))["total_yen"] == 1000  # ¥4,000 less the kept ¥3,000
        assert await owed(cn) == {}
        await reconciled(cn)


async def test_a_legacy_carry_repaid_by_hand_is_recorded_and_not_netted(
    home: NodeHome, clock: FakeClock
) -> None:
    configure(home)
    async with campaign_node(home, clock) as cn:
        kagiya, campaign = await owing_store(cn, clock)
        (voucher,) = await coupons(cn, campaign, 1)
        redemption = await used(cn, voucher, kagiya, 4000)
    await remigrated(home)
    clock.advance(days=1)
    async with campaign_node(home, clock) as cn:
        body = {"amount_yen": 3000, "reason": "11月に現金で返金済み(手作業の精算)"}
        status, repaid = await cn.admin("POST", f"stores/{kagiya}/carry-repaid", body)
        assert status == 201, repaid
        status, listing = await cn.admin("GET", "payout-carries")
        assert listing["carries"] == [] and listing["legacy_open"] == []
        assert (await run(cn, DAYS[2]))["total_yen"] == 4000  # paid in full: not taken twice
        found = await books(cn)
        assert found["cash_sent_yen"] == await hq_credits_of_payouts(cn) == 7000
        await reconciled(cn)

        # A carry arising later is an ordinary one: netted, never held back as legacy.
        status, _ = await cn.admin("POST", f"redemptions/{redemption}/void")
        assert status == 200
        clock.advance(days=1)
        assert (await run(cn, DAYS[3]))["by_store"][0]["carry_out_yen"] == 4000
        status, listing = await cn.admin("GET", "payout-carries")
        assert [c["is_legacy"] for c in listing["carries"]] == [False]
        assert listing["legacy_open"] == []
        await reconciled(cn)
