"""A store's repayment (and write-off, and keep) of what it owes back, made safe to retry, on a
real node over HTTP: the console's form sent twice at once records once; the admin API with an
Idempotency-Key answers the first record again (books nothing) and refuses the key with another
store, amount or kind (409 payout.idempotency_conflict, nothing changed); `kippu campaign
carry-repaid --idempotency-key K` run twice repays once; OpenAPI names the header."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli import main
from node.home import NodeHome
from tests.campaign_console_helpers import head_office
from tests.campaign_helpers import CampaignNode, campaign_node
from tests.conftest import AsyncNode, FakeClock, NodeHandle, make_home, ok
from tests.test_campaign_carries_console import CARRIES
from tests.test_campaign_carries_console import owing_store as console_owing_store
from tests.test_campaign_payout_carries import owed, owing_store, reconciled
from tests.test_campaign_payout_cli import paid_then_voided
from tests.test_campaign_payout_repaid import remigrated
from tests.test_campaign_payouts import OFFICE, configure, postings
from tests.web_helpers import browsers

CONFLICT = "payout.idempotency_conflict"


@pytest.fixture
def home(tmp_path: Path) -> NodeHome:
    made = make_home(tmp_path / "node")
    configure(made, OFFICE)
    return made


async def _post(
    cn: CampaignNode, path: str, body: dict[str, Any], key: str
) -> tuple[int, dict[str, Any]]:
    headers = {"Authorization": f"Bearer {cn.node.admin_token}", "Idempotency-Key": key}
    async with cn.http.post(f"{cn.base_url}/api/v1/{path}", json=body, headers=headers) as answer:
        return answer.status, await answer.json()


async def _hq_debits(cn: CampaignNode) -> int:
    """What the office's cash took in from repayments, from the journal."""
    _, listing = await cn.admin("GET", "payout-carries")
    return sum([(await postings(cn, r["txn_id"]))["cash:hq"] for r in listing["repayments"]])


async def test_an_api_retry_answers_the_first_repayment_and_a_reused_key_is_refused(
    home: NodeHome, clock: FakeClock
) -> None:
    async with campaign_node(home, clock) as cn:
        kagiya, _ = await owing_store(cn, clock)
        other = await cn.store("錠前屋")
        path = f"stores/{kagiya}/carry-repaid"
        body = {"amount_yen": 400, "reason": "12/1 窓口で現金受領 No.21"}

        # A timeout's retries race the first post: one repayment, every answer the same.
        answers = await asyncio.gather(*(_post(cn, path, body, "office:rp-21") for _ in range(3)))
        assert [s for s, _ in answers] == [201, 201, 201], answers
        first = answers[0][1]
        assert all(a == first for _, a in answers)
        assert first["write_off_id"] == "key:office:rp-21" and first["amount_yen"] == 400
        assert await owed(cn) == {kagiya: 2600}
        assert await _hq_debits(cn) == 400

        # The same key with another amount, store, kind or note: refused, nothing recorded.
        reuses = {
            path: {**body, "amount_yen": 500},
            f"stores/{other}/carry-repaid": body,
            f"stores/{kagiya}/carry-write-off": {**body, "amount_yen": 2600},
            f"stores/{kagiya}/carry-keep": {**body, "amount_yen": 2600},
        }
        for where, sent in reuses.items():
            status, refused = await _post(cn, where, sent, "office:rp-21")
            assert (status, refused["error"]["code"]) == (409, CONFLICT), (where, refused)
        status, refused = await _post(cn, path, {**body, "reason": "別の受領"}, "office:rp-21")
        assert (status, refused["error"]["code"]) == (409, CONFLICT)
        assert await owed(cn) == {kagiya: 2600}
        _, listing = await cn.admin("GET", "payout-carries")
        assert [r["write_off_id"] for r in listing["repayments"]] == [first["write_off_id"]]
        assert listing["write_offs"] == []

        # A whole repayment sent again after it cleared the carry still gets its answer.
        rest = {"amount_yen": 2600, "reason": "残額を振込で受領"}
        status, cleared = await _post(cn, path, rest, "office:rp-22")
        assert status == 201 and await owed(cn) == {}
        assert await _post(cn, path, rest, "office:rp-22") == (201, cleared)
        assert await _hq_debits(cn) == 3000
        await reconciled(cn)

        # A bad key is refused before anything is read.
        for bad in ("with space", "k" * 65, "鍵"):
            status, refused = await _post(cn, path, body, bad)
            assert status == 422 and refused["error"]["field"] == "idempotency_key", refused
        status, document = await cn.admin("GET", "openapi.json")
        for action in ("carry-repaid", "carry-write-off", "carry-keep"):
            operation = document["paths"][f"/api/v1/stores/{{store_id}}/{action}"]["post"]
            headers = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
            assert headers == ["Idempotency-Key"]


async def test_the_consoles_repayment_form_sent_twice_at_once_records_once(
    anode: AsyncNode,
) -> None:
    kagiya, _ = await console_owing_store(anode)
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        page = (await admin.get(CARRIES)).text
        form = page.split(f'id="cr-{kagiya}"', 1)[1].split("</form>", 1)[0]
        key = form.split('name="key" value="', 1)[1].split('"', 1)[0]
        assert key.startswith("cpk_") and key.endswith("-r")
        sent = {"amount_yen": "400", "reason": "受領No.7", "key": key}
        action = f"{CARRIES}/{kagiya}/repaid"
        both = await asyncio.gather(
            admin.signed_post(action, sent), admin.signed_post(action, sent)
        )
        assert [(p.status, p.location) for p in both] == [
            (303, f"{CARRIES}?done=done_cpy_repaid")
        ] * 2
        listing = await ok(anode, "GET", "payout-carries")
        assert [r["amount_yen"] for r in listing["repayments"]] == [400]
        assert listing["total_yen"] == 2600

        # The page after it draws new keys: the next repayment is one of its own.
        after = (await admin.get(CARRIES)).text
        assert f'value="{key}"' not in after
        fresh = after.split(f'id="cr-{kagiya}"', 1)[1].split('name="key" value="', 1)[1]
        again = await admin.signed_post(action, {**sent, "key": fresh.split('"', 1)[0]})
        assert again.status == 303
        assert (await ok(anode, "GET", "payout-carries"))["total_yen"] == 2200
        assert (await ok(anode, "GET", "payout-reconciliation"))["reconciled"] is True


def _kippu(node: NodeHandle, *args: str) -> Any:
    return CliRunner().invoke(main, [*args, "--home", str(node.home.root)], catch_exceptions=False)


def test_the_cli_repays_once_with_a_chosen_key(node: NodeHandle) -> None:
    store = paid_then_voided(node)
    node.client.post("payouts", {"from": "2026-11-25", "to": "2026-11-25"})
    repay = ("campaign", "carry-repaid", store, "--amount-yen", "300", "--reason", "現金受領")
    runs = [_kippu(node, *repay, "--idempotency-key", "script-7", "--json") for _ in range(2)]
    assert [r.exit_code for r in runs] == [0, 0], runs[0].output
    first, again = (json.loads(r.output) for r in runs)
    assert first == again and first["idempotency_key"] == "script-7"
    assert node.client.get("payout-carries")["total_yen"] == 500

    drawn = json.loads(_kippu(node, *repay, "--json").output)  # a new key: a new repayment
    assert drawn["idempotency_key"].startswith("cli-") and drawn != first
    assert node.client.get("payout-carries")["total_yen"] == 200
    refused = _kippu(
        node, "campaign", "write-off", store, "--amount-yen", "200", "--reason", "退店",
        "--idempotency-key", "script-7", "--json",
    )  # fmt: skip
    assert refused.exit_code == 1 and CONFLICT in refused.stderr
    assert node.client.get("payout-carries")["total_yen"] == 200


async def test_a_keyed_keep_of_a_legacy_carry_sent_again_is_answered(
    home: NodeHome, clock: FakeClock
) -> None:
    async with campaign_node(home, clock) as cn:
        kagiya, _ = await owing_store(cn, clock)
    await remigrated(home)
    async with campaign_node(home, clock) as cn:
        path = f"stores/{kagiya}/carry-keep"
        body = {"amount_yen": 3000, "reason": "店舗に未返金を確認(12/1 電話)"}
        answers = await asyncio.gather(*(_post(cn, path, body, "keep-1") for _ in range(2)))
        assert [s for s, _ in answers] == [201, 201] and answers[0][1] == answers[1][1]
        status, other = await _post(cn, path, {**body, "reason": "確認済"}, "keep-2")
        assert (status, other["error"]["code"]) == (409, "payout.not_legacy")
        _, listing = await cn.admin("GET", "payout-carries")
        assert listing["legacy_open"] == [] and await owed(cn) == {kagiya: 3000}
