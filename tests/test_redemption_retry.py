"""Retrying a redemption whose answer was lost (issue 13, item 4): the same code at the same store
for the same amount answers the redemption it made; nothing is debited twice. Real node, real HTTP.
"""

from __future__ import annotations

from tests.conftest import AsyncNode, NodeFactory, ok
from tests.settlement_helpers import payload, store_of, two_partners, voucher_balance, voucher_of
from tests.web_helpers import (
    REDEMPTION,
    add_store,
    balance,
    browsers,
    counter,
    fresh_code,
)


async def test_the_api_answers_a_retried_code_with_its_redemption(anode: AsyncNode) -> None:
    store_id, other_store = await add_store(anode, "本店"), await add_store(anode, "駅前店")
    voucher_id = str((await ok(anode, "POST", "vouchers", {"amount": 10_000}))["voucher_id"])
    payload = (await fresh_code(anode, voucher_id))["payload"]
    body = {"payload": payload, "amount": 3_000, "store_id": store_id}
    status, first = await anode.call("POST", "redemptions", body)
    assert status == 201 and first["retried"] is False, first
    # The answer was lost (a crash, a dropped connection): the POS sends the same request again,
    # even minutes later, when the code itself would be too old for a new redemption.
    anode.clock.advance(minutes=10)
    status, again = await anode.call("POST", "redemptions", body)
    assert status == 200, again
    assert again["retried"] is True
    assert {k: again[k] for k in ("redemption_id", "receipt_no", "amount", "store_id")} == {
        k: first[k] for k in ("redemption_id", "receipt_no", "amount", "store_id")
    }
    assert again["balance_after"] == 7_000
    assert await balance(anode, voucher_id) == 7_000
    listed = await ok(anode, "GET", f"redemptions?voucher_id={voucher_id}")
    assert len(listed["redemptions"]) == 1
    # Anything else with a used code is refused as before.
    for changed in ({"amount": 3_001}, {"store_id": other_store}):
        status, refused = await anode.call("POST", "redemptions", {**body, **changed})
        assert (status, refused["error"]["code"]) == (409, "voucher.code_used"), changed
    assert await balance(anode, voucher_id) == 7_000


async def test_a_typed_code_is_answered_again_within_its_minute(anode: AsyncNode) -> None:
    store_id = await add_store(anode, "本店")
    voucher_id = str((await ok(anode, "POST", "vouchers", {"amount": 10_000}))["voucher_id"])
    typed = (await fresh_code(anode, voucher_id))["manual_code"]
    body = {"payload": typed, "amount": 800, "store_id": store_id}
    status, first = await anode.call("POST", "redemptions", body)
    assert status == 201, first
    status, again = await anode.call("POST", "redemptions", body)
    assert (status, again["redemption_id"], again["retried"]) == (
        200,
        first["redemption_id"],
        True,
    ), again
    assert await balance(anode, voucher_id) == 9_200


async def test_a_voided_redemption_is_not_brought_back_by_a_retry(anode: AsyncNode) -> None:
    store_id = await add_store(anode, "本店")
    voucher_id = str((await ok(anode, "POST", "vouchers", {"amount": 10_000}))["voucher_id"])
    payload = (await fresh_code(anode, voucher_id))["payload"]
    body = {"payload": payload, "amount": 3_000, "store_id": store_id}
    first = await ok(anode, "POST", "redemptions", body)
    await ok(anode, "POST", f"redemptions/{first['redemption_id']}/void")
    status, refused = await anode.call("POST", "redemptions", body)
    assert (status, refused["error"]["code"]) == (409, "voucher.code_used")
    assert await balance(anode, voucher_id) == 10_000


async def test_the_counter_shows_a_retried_code_as_the_earlier_redemption(
    anode: AsyncNode,
) -> None:
    store_id = await add_store(anode, "本店")
    voucher_id = str((await ok(anode, "POST", "vouchers", {"amount": 10_000}))["voucher_id"])
    async with browsers(anode) as new:
        staff = await counter(anode, new, "yamada", [store_id])
        code = (await fresh_code(anode, voucher_id))["payload"]
        form = {"code": code, "amount": "2500"}
        done = await staff.signed_post("/staff/redeem", form)
        first = REDEMPTION.search(done.text)
        assert done.status == 200 and first, done.code
        assert 'id="repeat"' not in done.text
        anode.clock.advance(minutes=3)  # the tablet came back after the node restarted
        confirm = await staff.signed_post("/staff/confirm", form)  # the code is 3 minutes old
        assert confirm.status == 200 and 'id="repeat"' in confirm.text, confirm.code
        again = await staff.signed_post("/staff/redeem", form)
        second = REDEMPTION.search(again.text)
        assert again.status == 200 and second, again.code
        assert second.group(1) == first.group(1)
        assert 'id="repeat"' in again.text
        assert "前回の利用です (新しい利用ではありません)" in again.text
        assert "もう一度お支払いを受けないでください" in again.text
        assert await balance(anode, voucher_id) == 7_500
        await staff.get("/lang/en")
        english = await staff.signed_post("/staff/redeem", form)
        assert "The earlier redemption (not a new one)" in english.text
        assert "do not charge the customer again" in english.text
        for step in ("/staff/confirm", "/staff/redeem"):
            refused = await staff.signed_post(step, {"code": code, "amount": "2600"})
            assert (refused.status, refused.code) == (409, "voucher.code_used"), step
        assert await balance(anode, voucher_id) == 7_500


async def test_a_retried_partner_code_answers_its_claim_at_the_api_and_the_counter(
    nodes: NodeFactory,
) -> None:
    a, b = await two_partners(nodes)
    b_store, b_other = await store_of(b, "駅前店"), await store_of(b, "本店")
    voucher_id = await voucher_of(a, 10_000)
    body = {"payload": await payload(a, voucher_id), "amount": 3_500, "store_id": b_store}
    status, first = await b.call("POST", "redemptions", body)
    assert (status, first["status"], first["retried"]) == (201, "accepted", False), first
    for changed in ({"amount": 3_000}, {"store_id": b_other}):  # a new claim: the issuer refuses
        status, refused = await b.call("POST", "redemptions", {**body, **changed})
        error = refused["error"]
        assert (status, error["code"], error["reason"]) == (
            409,
            "settlement.claim_rejected",
            "voucher.code_used",
        ), changed
    b.clock.advance(minutes=5)
    status, again = await b.call("POST", "redemptions", body)
    assert (status, again["retried"], again["claim_id"]) == (200, True, first["claim_id"]), again
    assert await voucher_balance(a, voucher_id) == 6_500
    async with browsers(b) as new:
        staff = await counter(b, new, "suzuki", [b_store])
        code = await payload(a, voucher_id)
        form = {"code": code, "amount": "1200"}
        done = await staff.signed_post("/staff/redeem", form)
        assert 'data-outcome="accepted"' in done.text and 'id="repeat"' not in done.text
        again_page = await staff.signed_post("/staff/redeem", form)
        assert 'data-outcome="accepted"' in again_page.text, again_page.code
        assert 'id="repeat"' in again_page.text
        assert "もう一度お支払いを受けないでください" in again_page.text
    assert await voucher_balance(a, voucher_id) == 5_300
