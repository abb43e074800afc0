"""Store payouts on a real node: residents use campaign coupons at stores over several days, the
office pays each period once; every run is one balanced journal entry, its 全銀 file and CSV
read back field by field, no day is paid twice, and the books reconcile at each step (a void of
a paid redemption included)."""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
from dataclasses import replace
from typing import Any

import pytest

from node.campaigns import payout_actions, payout_tables
from node.campaigns.zengin import read_zengin
from node.home import NodeHome
from node.ledger import report_queries
from tests.campaign_helpers import CampaignNode, campaign_node, create, redeem, terms
from tests.conftest import FakeClock

OFFICE = {
    "requester_code": "0012345678",
    "requester_name_kana": "キタキュウシュウ　ジムキョク",
    "bank": "0001",
    "branch": "001",
    "account_type": "current",
    "account_number": "7654321",
}


def configure(home: NodeHome, office: dict[str, str] | None = OFFICE) -> None:
    """The office's account in [campaigns.payout], and voids allowed on later days."""
    text = home.config_path.read_text(encoding="utf-8")
    for key, value in (office or {}).items():
        text = text.replace(f'\n{key} = ""', f'\n{key} = "{value}"', 1)
    text = text.replace("void_same_day_only = true", "void_same_day_only = false")
    home.config_path.write_text(text, encoding="utf-8")


async def bank(cn: CampaignNode, store: str, holder: str, bank_code: str = "0005") -> None:
    body = {
        "bank_code": bank_code,
        "branch_code": "001",
        "account_type": "ordinary",
        "account_number": "1234",
        "holder_kana": holder,
    }
    status, answer = await cn.admin("PUT", f"stores/{store}/bank", body)
    assert status == 200, answer


async def grant(cn: CampaignNode, campaign_id: str, person: str) -> list[str]:
    status, granted = await cn.admin(
        "POST", f"campaigns/{campaign_id}/grants", {"customer_id": person}
    )
    assert status == 201, granted
    return list(granted["voucher_ids"])


async def used(cn: CampaignNode, voucher: str, store: str, amount: int) -> str:
    status, answer = await redeem(cn, voucher, store, amount)
    assert status == 201, answer
    return str(answer["redemption_id"])


async def postings(cn: CampaignNode, txn_id: str) -> dict[str, int]:
    rows = await cn.node.require_reader().execute_fetchall(
        "SELECT p.account, p.amount_yen, j.kind FROM postings p JOIN journal j USING (txn_id)"
        " WHERE p.txn_id = ?",
        (txn_id,),
    )
    listed = list(rows)
    assert {r["kind"] for r in listed} == {"settlement"}
    return {r["account"]: r["amount_yen"] for r in listed}


async def download(cn: CampaignNode, path: str) -> bytes:
    headers = {"Authorization": f"Bearer {cn.node.admin_token}"}
    async with cn.http.get(f"{cn.base_url}/api/v1/{path}", headers=headers) as answer:
        assert answer.status == 200, await answer.text()
        return await answer.read()


async def books(cn: CampaignNode) -> dict[str, Any]:
    status, answer = await cn.admin("GET", "payout-reconciliation")
    assert status == 200, answer
    return answer


async def test_periods_are_paid_once_booked_and_reconciled(
    home: NodeHome, clock: FakeClock
) -> None:
    configure(home)
    async with campaign_node(home, clock) as cn:
        coupon = (await create(cn, terms(clock, stock=10, budget_yen=10_000)))["campaign_id"]
        premium_terms = terms(clock, "premium", face_yen=13000, price_yen=10000, local_yen=4000)
        premium = (await create(cn, premium_terms))["campaign_id"]
        kagiya, yaoya = await cn.store("鍵屋"), await cn.store("八百屋")
        status, _ = await cn.admin("PUT", f"campaign-stores/{yaoya}", {"local": True})
        assert status == 200
        await bank(cn, kagiya, "株式会社カギヤ")
        await bank(cn, yaoya, "やおや　はなこ", bank_code="0033")
        hanako, taro = await cn.customer("花子"), await cn.customer("太郎")
        (first,) = await grant(cn, coupon, hanako)
        (second,) = await grant(cn, coupon, taro)
        common, local = await grant(cn, premium, hanako)

        # Day 1 (24 Nov): a void on the same day cancels its redemption in the period.
        await used(cn, first, kagiya, 600)
        paid_then_voided = await used(cn, common, kagiya, 2500)
        await used(cn, local, yaoya, 4000)
        mistake = await used(cn, second, kagiya, 100)
        status, _ = await cn.admin("POST", f"redemptions/{mistake}/void")
        assert status == 200
        # Day 2 (25 Nov).
        clock.advance(days=1)
        await used(cn, second, yaoya, 300)

        status, refused = await cn.admin(
            "POST", "payouts", {"from": "2026-11-24", "to": "2026-11-25"}
        )
        assert (status, refused["error"]["code"]) == (409, "payout.period_not_over")
        status, run = await cn.admin(
            "POST",
            "payouts",
            {"from": "2026-11-24", "to": "2026-11-24", "transfer_date": "2026-11-27"},
        )
        assert status == 200, run
        assert (run["stores"], run["total_yen"]) == (2, 7100)
        lines = {
            (line["store_id"], line["campaign_id"], line["store_class"]): line
            for line in run["lines"]
        }
        assert lines[(kagiya, coupon, "common")]["amount_yen"] == 600
        assert lines[(kagiya, coupon, "common")]["uses"] == 1
        assert lines[(kagiya, premium, "common")]["amount_yen"] == 2500
        assert lines[(yaoya, premium, "local")]["amount_yen"] == 4000
        assert len(lines) == 3 and all(line["transferred"] for line in run["lines"])
        assert await postings(cn, run["txn_id"]) == {
            f"revenue:{kagiya}": 3100,
            f"revenue:{yaoya}": 4000,
            "cash:hq": -7100,
        }

        dashboard = await report_queries.by_store(cn.node.require_reader())
        assert {f.store_id: f.redeemed_yen for f in dashboard} == {kagiya: 3100, yaoya: 4300}
        transfer = read_zengin(await download(cn, f"payouts/{run['payout_id']}/transfer-file"))
        assert transfer.header["requester_code"] == "0012345678"
        assert transfer.header["requester_name"] == "ｷﾀｷﾕｳｼﾕｳ ｼﾞﾑｷﾖｸ"
        assert transfer.header["transfer_date"] == "1127"
        assert transfer.header["account_type"] == "2"
        paid = sorted([(kagiya, "0005", "ｶ)ｶｷﾞﾔ", 3100), (yaoya, "0033", "ﾔｵﾔ ﾊﾅｺ", 4000)])
        assert [
            (r["bank_code"], r["holder_name"], int(r["amount"]), r["customer_code_1"])
            for r in transfer.data
        ] == [(b, h, a, f"{n:010d}") for n, (_, b, h, a) in enumerate(paid, start=1)]
        assert (int(transfer.trailer["count"]), int(transfer.trailer["total"])) == (2, 7100)
        again = await download(cn, f"payouts/{run['payout_id']}/transfer-file")
        assert read_zengin(again) == transfer

        table = (await download(cn, f"payouts/{run['payout_id']}/usage.csv")).decode("utf-8-sig")
        listed = list(csv.DictReader(io.StringIO(table)))
        assert [
            (r["store_id"], r["campaign_id"], r["store_class"], r["amount_yen"])
            for r in listed
            if r["line"] == "use"
        ] == sorted(
            [
                (kagiya, coupon, "common", "600"),
                (kagiya, premium, "common", "2500"),
                (yaoya, premium, "local", "4000"),
            ]
        )
        assert {r["store_id"]: r["store_name"] for r in listed} == {kagiya: "鍵屋", yaoya: "八百屋"}
        sent = {r["store_id"]: int(r["amount_yen"]) for r in listed if r["line"] == "transferred"}
        assert sent == {kagiya: 3100, yaoya: 4000}

        # The same period again shows the same run; an overlapping one is refused.
        status, same = await cn.admin("POST", "payouts", {"from": "2026-11-24", "to": "2026-11-24"})
        assert (status, same["payout_id"], same["txn_id"]) == (200, run["payout_id"], run["txn_id"])
        clock.advance(days=1)  # 26 Nov
        status, refused = await cn.admin(
            "POST", "payouts", {"from": "2026-11-23", "to": "2026-11-25"}
        )
        assert status == 409
        assert refused["error"]["code"] == "payout.period_overlaps"
        assert (refused["error"]["paid_from"], refused["error"]["paid_to"]) == ("2026-11-24",) * 2

        # Paid + unpaid = used: the 300 of day 2 is used and not paid yet.
        now = {c["campaign_id"]: c for c in (await books(cn))["campaigns"]}
        assert (now[coupon]["used_yen"], now[coupon]["paid_yen"], now[coupon]["unpaid_yen"]) == (
            900,
            600,
            300,
        )
        assert now[coupon]["remaining_yen"] == 8000 and now[coupon]["budget_holds"]
        assert (now[premium]["used_yen"], now[premium]["paid_yen"]) == (6500, 6500)

        # 26 Nov: a redemption paid on the 24th is voided; the next period nets it at 鍵屋.
        status, _ = await cn.admin("POST", f"redemptions/{paid_then_voided}/void")
        assert status == 200
        clock.advance(days=1)  # 27 Nov
        status, run2 = await cn.admin("POST", "payouts", {"from": "2026-11-25", "to": "2026-11-26"})
        assert status == 200, run2
        assert (run2["stores"], run2["total_yen"]) == (1, 300)
        kept = [line for line in run2["lines"] if not line["transferred"]]
        assert [(k["store_id"], k["amount_yen"], k["uses"]) for k in kept] == [(kagiya, -2500, -1)]
        assert await postings(cn, run2["txn_id"]) == {f"revenue:{yaoya}": 300, "cash:hq": -300}
        transfer2 = read_zengin(await download(cn, f"payouts/{run2['payout_id']}/transfer-file"))
        assert [r["holder_name"] for r in transfer2.data] == ["ﾔｵﾔ ﾊﾅｺ"]

        final = await books(cn)
        assert final["reconciled"] is True
        by_id = {c["campaign_id"]: c for c in final["campaigns"]}
        assert (by_id[premium]["used_yen"], by_id[premium]["paid_yen"]) == (4000, 6500)
        # Settled 6,500 - 2,500 in the paid periods, 6,500 sent: -2,500 netted (carried).
        assert (by_id[premium]["settled_yen"], by_id[premium]["netted_yen"]) == (4000, -2500)
        assert by_id[coupon]["unpaid_yen"] == 0
        status, check = await cn.admin("GET", "ledger/check")
        assert status == 200 and check["ok"] is True, check
        status, listing = await cn.admin("GET", "payouts")
        assert [p["payout_id"] for p in listing["payouts"]] == [run["payout_id"], run2["payout_id"]]


async def test_a_store_without_an_account_stops_the_run_and_nothing_is_written(
    home: NodeHome, clock: FakeClock
) -> None:
    configure(home)
    async with campaign_node(home, clock) as cn:
        coupon = (await create(cn, terms(clock, stock=10)))["campaign_id"]
        paid, unpaid = await cn.store("口座あり"), await cn.store("口座なし")
        await bank(cn, paid, "ｺｳｻﾞｱﾘ")
        (one,) = await grant(cn, coupon, await cn.customer("一"))
        (two,) = await grant(cn, coupon, await cn.customer("二"))
        await used(cn, one, paid, 500)
        await used(cn, two, unpaid, 700)
        clock.advance(days=1)
        status, refused = await cn.admin(
            "POST", "payouts", {"from": "2026-11-24", "to": "2026-11-24"}
        )
        assert (status, refused["error"]["code"]) == (409, "payout.no_bank_account")
        assert refused["error"]["store_id"] == unpaid
        status, listing = await cn.admin("GET", "payouts")
        assert listing["payouts"] == []
        settled = await cn.node.require_reader().execute_fetchall(
            "SELECT count(*) AS n FROM journal WHERE kind = 'settlement'"
        )
        assert next(iter(settled))["n"] == 0
        await bank(cn, unpaid, "ｺｳｻﾞﾅｼ")
        status, run = await cn.admin("POST", "payouts", {"from": "2026-11-24", "to": "2026-11-24"})
        assert (status, run["total_yen"]) == (200, 1200)


async def test_without_the_office_account_no_payout_is_made(
    home: NodeHome, clock: FakeClock
) -> None:
    configure(home, office=None)
    async with campaign_node(home, clock) as cn:
        clock.advance(days=1)
        status, refused = await cn.admin(
            "POST", "payouts", {"from": "2026-11-24", "to": "2026-11-24"}
        )
        assert (status, refused["error"]["code"]) == (409, "payout.requester_not_set")
        status, bad = await cn.admin("POST", "payouts", {"from": "2026-11-25", "to": "2026-11-24"})
        assert (status, bad["error"]["code"]) == (422, "payout.bad_period")
        status, missing = await cn.admin("GET", "payouts/po_nosuch")
        assert (status, missing["error"]["code"]) == (404, "payout.not_found")


async def test_concurrent_runs_pay_a_period_once_and_the_schema_refuses_an_overlap(
    home: NodeHome, clock: FakeClock
) -> None:
    configure(home)
    async with campaign_node(home, clock) as cn:
        coupon = (await create(cn, terms(clock, stock=10)))["campaign_id"]
        store = await cn.store("鍵屋")
        await bank(cn, store, "ｶｷﾞﾔ")
        (voucher,) = await grant(cn, coupon, await cn.customer("一"))
        await used(cn, voucher, store, 500)
        clock.advance(days=3)
        same = {"from": "2026-11-24", "to": "2026-11-24"}
        wider = {"from": "2026-11-23", "to": "2026-11-25"}
        answers = await asyncio.gather(
            *(cn.admin("POST", "payouts", body) for body in (same, same, wider, same, wider))
        )
        made = {a["payout_id"] for s, a in answers if s == 200}
        refused = {a["error"]["code"] for s, a in answers if s != 200}
        assert len(made) == 1 and refused == {"payout.period_overlaps"}
        settled = await cn.node.require_reader().execute_fetchall(
            "SELECT count(*) AS n FROM journal WHERE kind = 'settlement'"
        )
        assert next(iter(settled))["n"] == 1

        # Past the code's own check, the database refuses an overlapping period all the same.
        (run,) = (await cn.admin("GET", "payouts"))[1]["payouts"]
        recorded, _ = await payout_actions.require_payout(cn.node, run["payout_id"])
        twin = replace(recorded, payout_id="po_twin", txn_id=None, total_yen=0, stores=0)
        with pytest.raises(sqlite3.IntegrityError, match="overlaps"):
            await cn.node.require_writer().submit(
                lambda conn: payout_tables.insert_payout(conn, twin, [])
            )
        assert len((await cn.admin("GET", "payouts"))[1]["payouts"]) == 1
