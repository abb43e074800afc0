"""The office's grant with an Idempotency-Key, on a real node over HTTP: the same key and request
answer the first grant again (no second grant, even with per_person above 1, even once the stock
is gone), the key with another request is refused 409 and changes nothing, concurrent requests
with one key make one grant, and a bad key is refused. The CLI sends a key on every run and takes
--idempotency-key; the console's grant form carries a one-time key; OpenAPI names the header."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import timedelta
from typing import Any

from click.testing import CliRunner

from cli import main
from node.campaigns import holds, tables
from node.campaigns.model import campaign_account
from node.home import NodeHome
from tests.campaign_console_helpers import create as console_create
from tests.campaign_console_helpers import first_come_form, head_office
from tests.campaign_helpers import CampaignNode, campaign_node, create, terms
from tests.conftest import AsyncNode, FakeClock, NodeHandle, ok
from tests.web_helpers import browsers

HOUR = timedelta(hours=1)

CONFLICT = "campaign.idempotency_conflict"


async def _grant(
    cn: CampaignNode, campaign_id: str, customer_id: str, key: str | None
) -> tuple[int, dict[str, Any]]:
    """POST .../grants with `key` as Idempotency-Key; a rush's ticket (202) is polled to its
    answer (200 with the grant, or the refusal)."""
    headers = {"Authorization": f"Bearer {cn.node.admin_token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    url = f"{cn.base_url}/api/v1/campaigns/{campaign_id}/grants"
    body = {"customer_id": customer_id}
    async with cn.http.post(url, json=body, headers=headers) as answer:
        status, shown = answer.status, await answer.json()
    while status == 202:
        await asyncio.sleep(0.01)
        status, shown = await cn.admin(
            "GET", f"campaigns/{campaign_id}/grants/tickets/{shown['ticket']}"
        )
    return status, shown


async def _vouchers_of(cn: CampaignNode, campaign_id: str) -> int:
    rows = await cn.node.require_reader().execute_fetchall(
        "SELECT count(*) AS n FROM postings WHERE account = ?", (campaign_account(campaign_id),)
    )
    return int(next(iter(rows))["n"])


async def test_the_same_key_answers_the_first_grant_and_another_request_is_refused(
    home: NodeHome, clock: FakeClock
) -> None:
    async with campaign_node(home, clock) as cn:
        cid = (await create(cn, terms(clock, per_person=3)))["campaign_id"]
        other = (await create(cn, terms(clock)))["campaign_id"]
        hanako, taro = await cn.customer("山田花子"), await cn.customer("山田太郎")

        status, first = await _grant(cn, cid, hanako, "batch-7:hanako")
        assert status == 201 and first["seq"] == 1
        status, again = await _grant(cn, cid, hanako, "batch-7:hanako")
        assert (status, again) == (201, first)  # the same body: no second grant at per_person 3

        for campaign, person in ((cid, taro), (other, hanako)):
            status, refused = await _grant(cn, campaign, person, "batch-7:hanako")
            assert (status, refused["error"]["code"]) == (409, CONFLICT)
        _, shown = await cn.admin("GET", f"campaigns/{cid}")
        assert shown["granted_sets"] == 1 and shown["reconciled"] is True
        _, untouched = await cn.admin("GET", f"campaigns/{other}")
        assert untouched["granted_sets"] == 0

        # Without a key (or with a new one) the office's next grant is a grant of its own.
        status, second = await _grant(cn, cid, hanako, None)
        assert status == 201 and second["seq"] == 2
        status, third = await _grant(cn, cid, hanako, "batch-8:hanako")
        assert status == 201 and third["seq"] == 3


async def test_a_key_sent_again_after_the_stock_is_gone_answers_its_grant(
    home: NodeHome, clock: FakeClock
) -> None:
    async with campaign_node(home, clock) as cn:
        cid = (await create(cn, terms(clock, stock=1)))["campaign_id"]
        hanako, taro = await cn.customer("山田花子"), await cn.customer("山田太郎")
        status, first = await _grant(cn, cid, hanako, "last-one")
        assert status == 201
        status, refused = await _grant(cn, cid, taro, None)
        assert (status, refused["error"]["code"]) == (409, "campaign.sold_out")
        status, again = await _grant(cn, cid, hanako, "last-one")
        assert (status, again) == (201, first)
        status, refused = await _grant(cn, cid, taro, "taro-late")
        assert (status, refused["error"]["code"]) == (409, "campaign.sold_out")


async def test_concurrent_requests_with_one_key_make_one_grant(
    home: NodeHome, clock: FakeClock
) -> None:
    async with campaign_node(home, clock) as cn:
        cid = (await create(cn, terms(clock, per_person=5)))["campaign_id"]
        hanako = await cn.customer("山田花子")
        people = [await cn.customer(f"住民{i}") for i in range(12)]
        # The same key, the same person, twenty times at once: one grant, twenty answers of it.
        answers = await asyncio.gather(*(_grant(cn, cid, hanako, "double") for _ in range(20)))
        assert {status for status, _ in answers} <= {200, 201}
        assert len({shown["grant_id"] for _, shown in answers}) == 1
        # One key for twelve people at once (one writer unit decides most of them together):
        # exactly one is granted, the rest are refused as another request's key.
        answers = await asyncio.gather(*(_grant(cn, cid, p, "shared") for p in people))
        assert (
            sorted(201 if status == 200 else status for status, _ in answers) == [201] + [409] * 11
        )
        assert {a["error"]["code"] for s, a in answers if s == 409} == {CONFLICT}
        # Distinct keys for one person at once: each is a grant, up to the person's limit.
        answers = await asyncio.gather(*(_grant(cn, cid, hanako, f"k{i}") for i in range(8)))
        assert (
            sorted(201 if status == 200 else status for status, _ in answers)
            == [201] * 4 + [409] * 4
        )
        _, shown = await cn.admin("GET", f"campaigns/{cid}")
        assert shown["granted_sets"] == 6 and shown["reconciled"] is True
        assert await _vouchers_of(cn, cid) == 6  # one issue posting on the budget per grant


async def test_a_malformed_key_is_refused_and_changes_nothing(
    home: NodeHome, clock: FakeClock
) -> None:
    async with campaign_node(home, clock) as cn:
        cid = (await create(cn, terms(clock)))["campaign_id"]
        hanako = await cn.customer()
        for bad in ("", "with space", "k" * 65, "鍵"):
            status, refused = await _grant(cn, cid, hanako, bad)
            assert status in (400, 422), refused
            if status == 422:
                assert refused["error"]["code"] == "campaign.invalid"
                assert refused["error"]["field"] == "idempotency_key"
        _, shown = await cn.admin("GET", f"campaigns/{cid}")
        assert shown["granted_sets"] == 0
        status, document = await cn.admin("GET", "openapi.json")
        assert status == 200
        grant_op = document["paths"]["/api/v1/campaigns/{campaign_id}/grants"]["post"]
        headers = [p for p in grant_op["parameters"] if p["in"] == "header"]
        assert [(p["name"], p["required"]) for p in headers] == [("Idempotency-Key", False)]


def _kippu(node: NodeHandle, *args: str) -> Any:
    return CliRunner().invoke(main, [*args, "--home", str(node.home.root)], catch_exceptions=False)


def test_the_cli_sends_a_key_per_run_and_a_chosen_key_repeats_safely(node: NodeHandle) -> None:
    cid = node.client.post("campaigns", terms(node.clock, per_person=2))["campaign_id"]
    customer = node.client.post("customers", {"name": "山田花子"})["customer_id"]
    grant = ("campaign", "grant", cid, "--customer", customer, "--json")
    runs = [_kippu(node, *grant, "--idempotency-key", "script-1") for _ in range(2)]
    assert [r.exit_code for r in runs] == [0, 0], runs[0].output
    first, again = (json.loads(r.output) for r in runs)
    assert first == again and first["idempotency_key"] == "script-1"
    drawn = json.loads(_kippu(node, *grant).output)  # no key given: a new one, a new grant
    assert drawn["seq"] == 2 and drawn["idempotency_key"].startswith("cli-")
    refused = _kippu(node, *grant, "--idempotency-key", "bad key")
    assert refused.exit_code == 1 and "campaign.invalid" in refused.output
    assert node.client.get(f"campaigns/{cid}")["granted_sets"] == 2


async def test_the_consoles_grant_form_sent_twice_grants_once(anode: AsyncNode) -> None:
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        campaign_id = await console_create(admin, first_come_form(anode, per_person="3"))
        hanako = await ok(anode, "POST", "customers", {"name": "山田花子"})
        page = await admin.get(f"/admin/campaigns/{campaign_id}")
        key = page.text.split('name="key" value="', 1)[1].split('"', 1)[0]
        assert key.startswith("cpg_")
        form = {"customer": hanako["customer_id"], "key": key}
        path = f"/admin/campaigns/{campaign_id}/grants"
        both = await asyncio.gather(admin.signed_post(path, form), admin.signed_post(path, form))
        assert [p.status for p in both] == [303, 303]
        assert both[0].location == both[1].location  # the same voucher shown twice
        status = await ok(anode, "GET", f"campaigns/{campaign_id}")
        assert status["granted_sets"] == 1
        # The page after the grant carries a new key: the next grant is one of its own.
        after = await admin.get(both[0].location)
        assert f'value="{key}"' not in after.text
        fresh = after.text.split('name="key" value="', 1)[1].split('"', 1)[0]
        granted = await admin.signed_post(path, {**form, "key": fresh})
        assert granted.status == 303 and granted.location != both[0].location
        # The console's key sent through the admin API (another caller: `admin`, not
        # `admin:admin`) is refused, not answered with the console's grant.
        headers = {"Authorization": f"Bearer {anode.token}", "Idempotency-Key": key}
        async with anode.session.post(
            f"{anode.base_url}/api/v1/campaigns/{campaign_id}/grants",
            json={"customer_id": hanako["customer_id"]},
            headers=headers,
        ) as answer:
            assert answer.status == 409
            assert (await answer.json())["error"]["code"] == CONFLICT
        assert (await ok(anode, "GET", f"campaigns/{campaign_id}"))["granted_sets"] == 2


async def test_sets_held_for_cards_refuse_the_office_for_now_not_for_good(
    home: NodeHome, clock: FakeClock
) -> None:
    """A premium campaign's last set held for a card payment: the office's grant (through the
    rush's waiting room) is refused `campaign.sets_held`, and once the hold ends the next grant
    is made; a refusal that passes must never mark the room sold out for good."""
    async with campaign_node(home, clock) as cn:
        made = await create(
            cn, terms(clock, kind="premium", face_yen=12_000, price_yen=10_000, stock=1)
        )
        cid = str(made["campaign_id"])
        hanako, taro = await cn.customer("山田花子"), await cn.customer("山田太郎")

        def hold_the_last(conn: sqlite3.Connection) -> None:
            campaign = tables.load_campaign(conn, cid)
            assert campaign is not None
            now = clock.now()
            holds.hold_in(conn, holds.new_hold(campaign, hanako, "cp_h", now, now + HOUR))

        await cn.node.require_writer().submit(hold_the_last)
        for key in (None, "office-1"):
            status, shown = await _grant(cn, cid, taro, key)
            assert (status, shown["error"]["code"]) == (409, "campaign.sets_held"), shown
        await cn.node.require_writer().submit(lambda c: holds.release_in(c, "cp_h", clock.now()))
        status, shown = await _grant(cn, cid, taro, None)
        assert status == 201 and shown["customer_id"] == taro, shown
        status, shown = await _grant(cn, cid, hanako, None)
        assert (status, shown["error"]["code"]) == (409, "campaign.sold_out"), shown
