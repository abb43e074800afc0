"""What a store owes back from its payouts, carried forward on a real node: a void of a coupon
paid in an earlier run makes the store's net negative; the next runs net it against the store's
use (nothing negative transferred, the 全銀 file and the CSV showing the yen actually sent, the
journal debiting the store's revenue account only by that), the office sees every store that
owes and writes one off once, with its reason, even when asked twice at the same moment; the
books tie to the ledger at every step; and runs recorded before migration 0043 get their carries."""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
from pathlib import Path
from typing import Any

from node import db
from node.campaigns.zengin import read_zengin
from node.home import NodeHome
from node.migrations import MIGRATIONS
from tests.campaign_helpers import CampaignNode, campaign_node, create, terms
from tests.conftest import FakeClock
from tests.test_campaign_payouts import bank, books, configure, download, grant, postings, used

DAYS = ("2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28")


async def run(cn: CampaignNode, day: str) -> dict[str, Any]:
    status, answer = await cn.admin("POST", "payouts", {"from": day, "to": day})
    assert status == 200, answer
    return answer


async def reconciled(cn: CampaignNode) -> dict[str, dict[str, Any]]:
    """Every identity holds, the ledger's own check too; each store's books by id."""
    found = await books(cn)
    assert found["reconciled"] is True, found
    status, check = await cn.admin("GET", "ledger/check")
    assert status == 200 and check["ok"] is True, check
    return {s["store_id"]: s for s in found["stores"]}


async def owed(cn: CampaignNode) -> dict[str, int]:
    status, answer = await cn.admin("GET", "payout-carries")
    assert status == 200, answer
    assert answer["total_yen"] == sum(c["carry_yen"] for c in answer["carries"])
    return {c["store_id"]: c["carry_yen"] for c in answer["carries"]}


async def coupons(cn: CampaignNode, campaign: str, n: int) -> list[str]:
    found = []
    for k in range(n):
        found += await grant(cn, campaign, await cn.customer(f"住民{k}"))
    return found


async def test_a_negative_net_is_carried_and_netted_by_the_next_runs(
    home: NodeHome, clock: FakeClock
) -> None:
    configure(home)
    async with campaign_node(home, clock) as cn:
        campaign = (await create(cn, terms(clock, face_yen=5000, stock=10)))["campaign_id"]
        kagiya, yaoya = await cn.store("鍵屋"), await cn.store("八百屋")
        await bank(cn, kagiya, "ｶｷﾞﾔ")
        await bank(cn, yaoya, "ﾔｵﾔ", bank_code="0033")
        one, two, three, four = await coupons(cn, campaign, 4)

        # 24 Nov: ¥3,000 at 鍵屋, paid in full on the 25th.
        paid_then_voided = await used(cn, one, kagiya, 3000)
        clock.advance(days=1)
        first = await run(cn, DAYS[0])
        assert (first["total_yen"], first["by_store"][0]["transferred_yen"]) == (3000, 3000)

        # 25 Nov: the ¥3,000 is voided, ¥1,000 used: 鍵屋's net is -¥2,000; 八百屋 is paid.
        status, _ = await cn.admin("POST", f"redemptions/{paid_then_voided}/void")
        assert status == 200
        await used(cn, two, kagiya, 1000)
        await used(cn, three, yaoya, 800)
        clock.advance(days=1)
        second = await run(cn, DAYS[1])
        by_store = {s["store_id"]: s for s in second["by_store"]}
        assert by_store[kagiya] == {
            "store_id": kagiya,
            "store_name": "鍵屋",
            "net_yen": -2000,
            "carry_in_yen": 0,
            "transferred_yen": 0,
            "carry_out_yen": 2000,
        }
        assert (by_store[yaoya]["transferred_yen"], second["total_yen"]) == (800, 800)
        assert await postings(cn, second["txn_id"]) == {f"revenue:{yaoya}": 800, "cash:hq": -800}
        assert await owed(cn) == {kagiya: 2000}
        stores = await reconciled(cn)
        assert (stores[kagiya]["carry_yen"], stores[kagiya]["ledger_balance_yen"]) == (2000, -2000)

        # 26 Nov: ¥500 at 鍵屋 does not cover what it owes: nothing sent, ¥1,500 carried on.
        await used(cn, two, kagiya, 500)
        clock.advance(days=1)
        third = await run(cn, DAYS[2])
        assert (third["total_yen"], third["txn_id"], third["stores"]) == (0, None, 0)
        (only,) = third["by_store"]
        assert (only["carry_in_yen"], only["transferred_yen"], only["carry_out_yen"]) == (
            2000,
            0,
            1500,
        )
        assert await owed(cn) == {kagiya: 1500}
        await reconciled(cn)

        # 27 Nov: ¥4,000 at 鍵屋: ¥2,500 is sent, the file and the CSV say so, nothing is owed.
        await used(cn, four, kagiya, 4000)
        clock.advance(days=1)
        fourth = await run(cn, DAYS[3])
        assert (fourth["total_yen"], fourth["stores"]) == (2500, 1)
        assert await postings(cn, fourth["txn_id"]) == {f"revenue:{kagiya}": 2500, "cash:hq": -2500}
        transfer = read_zengin(await download(cn, f"payouts/{fourth['payout_id']}/transfer-file"))
        assert [(r["holder_name"], int(r["amount"])) for r in transfer.data] == [("ｶｷﾞﾔ", 2500)]
        assert (int(transfer.trailer["count"]), int(transfer.trailer["total"])) == (1, 2500)
        table = await download(cn, f"payouts/{fourth['payout_id']}/usage.csv")
        lines = list(csv.DictReader(io.StringIO(table.decode("utf-8-sig"))))
        assert [(r["line"], int(r["amount_yen"])) for r in lines] == [
            ("use", 4000),
            ("carried_in", -1500),
            ("transferred", 2500),
        ]
        assert await owed(cn) == {}
        stores = await reconciled(cn)
        # Over the four runs: sent ¥3,000 + ¥2,500 = net use ¥3,000 - ¥3,000 + ¥1,000 + ¥500 +
        # ¥4,000, and the store's revenue account is back to zero.
        assert (stores[kagiya]["transferred_yen"], stores[kagiya]["run_net_yen"]) == (5500, 5500)
        assert (stores[kagiya]["carry_yen"], stores[kagiya]["ledger_balance_yen"]) == (0, 0)
        assert stores[kagiya]["ledger_paid_yen"] == 5500  # the journal's debits by the runs


async def owing_store(cn: CampaignNode, clock: FakeClock) -> tuple[str, str]:
    """鍵屋 paid ¥3,000 on the 24th, then the redemption voided: it owes ¥3,000 after the 25th's
    run. The campaign's id too."""
    campaign = (await create(cn, terms(clock, face_yen=5000, stock=10)))["campaign_id"]
    kagiya = await cn.store("鍵屋")
    await bank(cn, kagiya, "ｶｷﾞﾔ")
    (voucher,) = await coupons(cn, campaign, 1)
    redemption = await used(cn, voucher, kagiya, 3000)
    clock.advance(days=1)
    await run(cn, DAYS[0])
    status, _ = await cn.admin("POST", f"redemptions/{redemption}/void")
    assert status == 200
    clock.advance(days=1)
    await run(cn, DAYS[1])
    assert await owed(cn) == {kagiya: 3000}
    return kagiya, campaign


async def test_a_carry_is_written_off_once_with_its_reason(
    home: NodeHome, clock: FakeClock
) -> None:
    configure(home)
    async with campaign_node(home, clock) as cn:
        kagiya, campaign = await owing_store(cn, clock)
        path = f"stores/{kagiya}/carry-write-off"
        refusals = {
            "payout.bad_reason": {"amount_yen": 3000, "reason": "  "},
            "payout.carry_changed": {"amount_yen": 2000, "reason": "退店"},
        }
        for code, body in refusals.items():
            status, refused = await cn.admin("POST", path, body)
            assert refused["error"]["code"] == code, refused
        assert refused["error"]["carry_yen"] == 3000 and status == 409
        status, missing = await cn.admin(
            "POST", "stores/st_nosuch/carry-write-off", {"amount_yen": 1, "reason": "退店"}
        )
        assert (status, missing["error"]["code"]) == (404, "store.not_found")
        assert await owed(cn) == {kagiya: 3000}

        body = {"amount_yen": 3000, "reason": "2026年11月末で退店、回収不能"}
        answers = await asyncio.gather(*(cn.admin("POST", path, body) for _ in range(4)))
        made = [a for s, a in answers if s == 201]
        assert len(made) == 1, answers
        assert {a["error"]["code"] for s, a in answers if s != 201} == {"payout.nothing_owed"}
        (write_off,) = made
        assert (write_off["amount_yen"], write_off["reason"]) == (3000, body["reason"])
        assert (write_off["store_name"], write_off["actor"]) == ("鍵屋", "admin")
        entry = await cn.node.require_reader().execute_fetchall(
            "SELECT p.account, p.amount_yen FROM postings p WHERE p.txn_id = ?",
            (write_off["txn_id"],),
        )
        assert {r["account"]: r["amount_yen"] for r in entry} == {
            f"revenue:{kagiya}": -3000,
            "payout_write_off_expense": 3000,
        }
        status, listing = await cn.admin("GET", "payout-carries")
        assert listing["carries"] == [] and listing["total_yen"] == 0
        assert [w["write_off_id"] for w in listing["write_offs"]] == [write_off["write_off_id"]]
        stores = await reconciled(cn)
        assert (stores[kagiya]["written_off_yen"], stores[kagiya]["ledger_balance_yen"]) == (
            3000,
            0,
        )

        # The store's next use is paid in full: nothing is deducted any more.
        (voucher,) = await grant(cn, campaign, await cn.customer("次の人"))
        await used(cn, voucher, kagiya, 700)
        clock.advance(days=1)
        assert (await run(cn, DAYS[2]))["total_yen"] == 700
        await reconciled(cn)


async def test_a_run_and_a_write_off_at_the_same_moment_spend_the_carry_once(
    home: NodeHome, clock: FakeClock
) -> None:
    configure(home)
    async with campaign_node(home, clock) as cn:
        kagiya, campaign = await owing_store(cn, clock)
        (voucher,) = await grant(cn, campaign, await cn.customer("次の人"))
        await used(cn, voucher, kagiya, 4000)
        clock.advance(days=1)
        (status_run, the_run), (status_off, _) = await asyncio.gather(
            cn.admin("POST", "payouts", {"from": DAYS[2], "to": DAYS[2]}),
            cn.admin(
                "POST", f"stores/{kagiya}/carry-write-off", {"amount_yen": 3000, "reason": "退店"}
            ),
        )
        assert status_run == 200, the_run
        # Written off first: the run sends all ¥4,000; run first: it nets ¥3,000 and sends ¥1,000,
        # and the write-off finds nothing owed. Never both.
        assert (status_off, the_run["total_yen"]) in {(201, 4000), (409, 1000)}
        assert await owed(cn) == {}
        stores = await reconciled(cn)
        sent = stores[kagiya]["transferred_yen"] - stores[kagiya]["written_off_yen"]
        assert sent == stores[kagiya]["run_net_yen"] == 4000


def forget_migration_0043(path: Path) -> None:
    """The database as a node before migration 0043 left it: no stores' rows, no write-offs."""
    conn = sqlite3.connect(path)
    try:
        conn.executescript(
            "DROP TABLE campaign_payout_stores; DROP TABLE campaign_carry_write_offs;"
            " DROP TABLE campaign_carry_reviews;"
            " DELETE FROM schema_migrations WHERE name = '0043_campaign_payout_carries';"
        )
    finally:
        conn.close()


async def test_runs_recorded_before_the_migration_get_their_stores_and_carries(
    home: NodeHome, clock: FakeClock
) -> None:
    configure(home)
    async with campaign_node(home, clock) as cn:
        kagiya, _ = await owing_store(cn, clock)
        status, before = await cn.admin("GET", "payouts")
        assert status == 200
    await asyncio.to_thread(forget_migration_0043, home.database_path)
    conn = await asyncio.to_thread(db.connect, home.database_path)
    try:
        applied = await asyncio.to_thread(db.migrate, conn, MIGRATIONS)
    finally:
        conn.close()
    assert applied == ["0043_campaign_payout_carries"]
    async with campaign_node(home, clock) as cn:
        first, second = before["payouts"]
        status, paid = await cn.admin("GET", f"payouts/{first['payout_id']}")
        assert status == 200 and paid["by_store"][0]["transferred_yen"] == 3000
        status, kept = await cn.admin("GET", f"payouts/{second['payout_id']}")
        (owing,) = kept["by_store"]
        assert (owing["net_yen"], owing["transferred_yen"], owing["carry_out_yen"]) == (
            -3000,
            0,
            3000,
        )
        assert await owed(cn) == {kagiya: 3000}
        await reconciled(cn)
