"""The rush on a real node: a thousand people at once over real HTTP for a stock of a hundred.

Exactly the stock is granted, nobody twice, the ledger balances, the stores' redemptions go on
during the rush, the line answers with tickets and places instead of errors, and once the stock
is gone everyone is told so without the writer.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from node.admission.rooms import Pacing
from node.campaigns import rush as rush_module
from node.campaigns import tables as campaign_tables
from node.campaigns.model import Method, campaign_account
from node.campaigns.rush import RUSH, GrantRush
from node.home import NodeHome
from node.runtime import Node
from node.server import load_node, start
from tests.campaign_helpers import terms
from tests.conftest import FakeClock, SeededRandomness, loop_watchdog

PEOPLE = 1_000


@dataclass
class RushNode:
    node: Node
    rush: GrantRush
    base_url: str
    http: aiohttp.ClientSession

    async def admin(self, method: str, path: str, body: object = None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.node.admin_token}"}
        url = f"{self.base_url}/api/v1/{path}"
        async with self.http.request(method, url, json=body, headers=headers) as answer:
            return answer.status, await answer.json()

    async def customers(self, count: int) -> list[str]:
        async def one(i: int) -> str:
            status, made = await self.admin("POST", "customers", {"name": f"住民{i}"})
            assert status == 201, made
            return str(made["customer_id"])

        return list(await asyncio.gather(*(one(i) for i in range(count))))

    async def ask_until_decided(self, campaign_id: str, customer_id: str) -> tuple[int, Any]:
        """What a resident's app does: ask, then poll the ticket while it says 202."""
        path = f"campaigns/{campaign_id}/grants"
        answered = await self.admin("POST", path, {"customer_id": customer_id})
        return await self.poll_until_decided(campaign_id, *answered)

    async def poll_until_decided(
        self, campaign_id: str, status: int, answer: Any
    ) -> tuple[int, Any]:
        path = f"campaigns/{campaign_id}/grants"
        while status == 202:
            assert set(answer) == {"campaign_id", "ticket", "position", "retry_after_ms"}
            await asyncio.sleep(0.01)  # a real client waits retry_after_ms; faster here
            status, answer = await self.admin("GET", f"{path}/tickets/{answer['ticket']}")
        return status, answer


@asynccontextmanager
async def rush_node(home: NodeHome, clock: FakeClock, **pacing: int) -> AsyncIterator[RushNode]:
    """A node whose one client address may hold a thousand connections (the test's clients)."""
    text = home.config_path.read_text(encoding="utf-8")
    home.config_path.write_text(
        text.replace("max_connections_per_address = 128", "max_connections_per_address = 4000"),
        encoding="utf-8",
    )
    with loop_watchdog():
        node = load_node(home, clock, SeededRandomness())
        runner, port = await start(node, "127.0.0.1", 0)
        try:
            rush = runner.app[RUSH].require()
            rush.rooms.pacing = Pacing(**pacing)
            connector = aiohttp.TCPConnector(limit=PEOPLE + 100)
            async with aiohttp.ClientSession(connector=connector) as http:
                yield RushNode(node, rush, f"http://127.0.0.1:{port}", http)
        finally:
            await runner.cleanup()


async def _sum(rn: RushNode, sql: str, *args: object) -> int:
    rows = await rn.node.require_reader().execute_fetchall(sql, args)
    return int(next(iter(rows))[0])


async def _redeem_all(rn: RushNode, store_id: str, payloads: list[str]) -> list[int]:
    async def one(payload: str) -> int:
        body = {"payload": payload, "amount": 100, "store_id": store_id}
        return (await rn.admin("POST", "redemptions", body))[0]

    return list(await asyncio.gather(*(one(p) for p in payloads)))


async def test_a_thousand_at_once_for_a_hundred_get_exactly_the_stock(
    home: NodeHome, clock: FakeClock
) -> None:
    async with rush_node(home, clock, max_in_flight=64) as rn:
        status, made = await rn.admin("POST", "campaigns", terms(clock, stock=100))
        assert status == 201, made
        cid = made["campaign_id"]
        people = await rn.customers(800)
        asking = people + people[:200]  # 200 people ask twice at the same moment
        # A store's counter, with codes of ordinary vouchers fetched before the rush.
        _, store = await rn.admin("POST", "stores", {"name": "商店街の八百屋"})
        vouchers = [
            (await rn.admin("POST", "vouchers", {"amount": 5000, "store_id": store["store_id"]}))[
                1
            ]["voucher_id"]
            for _ in range(20)
        ]
        payloads = [(await rn.admin("GET", f"vouchers/{v}/code"))[1]["payload"] for v in vouchers]
        writer = rn.node.require_writer()
        bulk_before = writer.bulk_units

        answers, redeemed = await asyncio.gather(
            asyncio.gather(*(rn.ask_until_decided(cid, p) for p in asking)),
            _redeem_all(rn, store["store_id"], payloads),
        )

        assert redeemed == [201] * 20  # the counter was served during the rush
        grants = {a["grant_id"]: a for s, a in answers if s in (200, 201)}
        assert len(grants) == 100
        assert len({g["customer_id"] for g in grants.values()}) == 100  # nobody twice
        refusals = {a["error"]["code"] for s, a in answers if s not in (200, 201)}
        assert refusals <= {"campaign.sold_out", "campaign.limit_reached"}, refusals
        assert len(answers) == PEOPLE  # everyone was answered, nobody left waiting
        assert writer.bulk_units - bulk_before < 100  # many grants to a writer unit

        _, status_after = await rn.admin("GET", f"campaigns/{cid}")
        assert status_after["granted_sets"] == 100 and status_after["granted_yen"] == 100_000
        assert status_after["sold_out"] is True and status_after["reconciled"] is True
        assert (
            await _sum(rn, "SELECT count(*) FROM campaign_grants WHERE campaign_id = ?", cid) == 100
        )
        assert await _sum(rn, "SELECT coalesce(sum(amount_yen), 0) FROM postings") == 0
        liability = "SELECT coalesce(sum(amount_yen), 0) FROM postings WHERE account = ?"
        assert await _sum(rn, liability, campaign_account(cid)) == 100_000
        _, check = await rn.admin("GET", "ledger/check")
        assert check["ok"] is True, check

        # Sold out is known now: newcomers are answered without the writer.
        units = writer.units
        late = await rn.customers(30)
        units_for_customers = writer.units - units
        answers = await asyncio.gather(*(rn.ask_until_decided(cid, p) for p in late))
        assert {(s, a["error"]["code"]) for s, a in answers} == {(409, "campaign.sold_out")}
        assert writer.units - units == units_for_customers


async def test_the_line_answers_tickets_and_places_then_the_decision(
    home: NodeHome, clock: FakeClock
) -> None:
    async with rush_node(home, clock, max_in_flight=1, retry_ms=250) as rn:
        cid = (await rn.admin("POST", "campaigns", terms(clock, stock=50)))[1]["campaign_id"]
        people = await rn.customers(40)
        first = await asyncio.gather(
            *(rn.admin("POST", f"campaigns/{cid}/grants", {"customer_id": p}) for p in people)
        )
        queued = [a for s, a in first if s == 202]
        assert queued, "one decided at a time: the others must be given tickets"
        assert all(a["position"] >= 0 and a["retry_after_ms"] >= 250 for a in queued)
        assert len({a["ticket"] for a in queued}) == len(queued)
        async with rn.http.post(
            f"{rn.base_url}/api/v1/campaigns/{cid}/grants",
            json={"customer_id": people[-1]},
            headers={"Authorization": f"Bearer {rn.node.admin_token}"},
        ) as again:
            if again.status == 202:  # still waiting: the same ticket, a Retry-After header
                assert int(again.headers["Retry-After"]) >= 1
                assert (await again.json())["ticket"] in {a["ticket"] for a in queued}
        decided = await asyncio.gather(*(rn.poll_until_decided(cid, s, a) for s, a in first))
        assert {s for s, _ in decided} <= {200, 201}, decided
        status, shown = await rn.admin("GET", f"campaigns/{cid}")
        assert shown["granted_sets"] == 40

        status, unknown = await rn.admin("GET", f"campaigns/{cid}/grants/tickets/tk_nosuch")
        assert (status, unknown["error"]["code"]) == (404, "campaign.ticket_unknown")
        status, missing = await rn.admin("POST", "campaigns/cp_nosuch/grants", {"customer_id": "x"})
        assert (status, missing["error"]["code"]) == (404, "campaign.not_found")


async def test_a_full_line_is_told_to_come_back(home: NodeHome, clock: FakeClock) -> None:
    async with rush_node(home, clock, max_in_flight=1, max_waiting=2) as rn:
        cid = (await rn.admin("POST", "campaigns", terms(clock, stock=50)))[1]["campaign_id"]
        people = await rn.customers(30)
        answers = await asyncio.gather(
            *(rn.admin("POST", f"campaigns/{cid}/grants", {"customer_id": p}) for p in people)
        )
        busy = [a for s, a in answers if s == 503]
        assert busy and all(a["error"]["code"] == "campaign.busy" for a in busy)
        assert all(a["error"]["retry_after_ms"] > 0 for a in busy)
        decided = await asyncio.gather(
            *(rn.poll_until_decided(cid, s, a) for s, a in answers if s == 202)
        )
        assert all(s in (200, 201) for s, _ in decided), decided


async def test_each_device_proves_one_person_and_the_rush_holds_to_it(
    home: NodeHome, clock: FakeClock
) -> None:
    """A campaign asking for a device-bound passkey: a device proves one person only (the
    verification's subject is unique), so only as many grants as devices, even all at once."""
    async with rush_node(home, clock) as rn:
        body = terms(clock, stock=100, eligibility=["passkey"])
        cid = (await rn.admin("POST", "campaigns", body))[1]["campaign_id"]
        people = await rn.customers(30)
        now = clock.now()

        def verify(customer_id: str, device: str) -> Any:
            return lambda conn: campaign_tables.record_verification(
                conn, cid, customer_id, Method.PASSKEY, device, now
            )

        writer = rn.node.require_writer()
        recorded = [
            await writer.submit(verify(p, f"device-{i % 10}")) for i, p in enumerate(people)
        ]
        assert recorded == [True] * 10 + [False] * 20  # a device already proved someone
        answers = await asyncio.gather(*(rn.ask_until_decided(cid, p) for p in people))
        granted = [a["customer_id"] for s, a in answers if s in (200, 201)]
        assert sorted(granted) == sorted(people[:10])
        assert {a["error"]["code"] for s, a in answers if s not in (200, 201)} == {
            "campaign.not_eligible"
        }


async def test_an_admitted_ask_not_decided_in_time_gets_its_ticket_and_keeps_its_grant(
    home: NodeHome, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Admitted, but the writer is held past HOLD_S: the caller is answered 202 with its ticket
    at place 0 instead of being kept waiting; the grant is still made, and the poll gives it."""
    monkeypatch.setattr(rush_module, "HOLD_S", 0.2)
    async with rush_node(home, clock) as rn:
        cid = (await rn.admin("POST", "campaigns", terms(clock, stock=5)))[1]["campaign_id"]
        person = (await rn.customers(1))[0]
        release = threading.Event()
        held = rn.node.require_writer().enqueue(lambda _conn: release.wait(timeout=30))
        try:
            status, answer = await rn.admin(
                "POST", f"campaigns/{cid}/grants", {"customer_id": person}
            )
            assert (status, answer["position"]) == (202, 0), answer
        finally:
            release.set()
        assert await held is True
        status, granted = await rn.poll_until_decided(cid, status, answer)
        assert status == 200 and granted["customer_id"] == person, granted
        _, shown = await rn.admin("GET", f"campaigns/{cid}")
        assert shown["granted_sets"] == 1
