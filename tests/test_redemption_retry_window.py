"""A used code is a retry only shortly after its redemption (REVIEW item 1): yesterday's QR
screenshot shown again at the same store for the same amount is refused, not answered as the
earlier redemption; a typed code retried after its minute is still a retry within the window;
the partner-code memory (claim_codes) is pruned on the same horizon. Real nodes, real HTTP.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from tests.conftest import AsyncNode, NodeFactory, ok
from tests.settlement_helpers import (
    payload,
    read,
    store_of,
    two_partners,
    voucher_balance,
    voucher_of,
)
from tests.web_helpers import REDEMPTION, add_store, balance, browsers, counter, fresh_code


async def test_yesterdays_qr_is_refused_and_a_recent_one_is_the_retry(anode: AsyncNode) -> None:
    store_id = await add_store(anode, "本店")
    voucher_id = str((await ok(anode, "POST", "vouchers", {"amount": 10_000}))["voucher_id"])
    body = {"payload": (await fresh_code(anode, voucher_id))["payload"], "amount": 500}
    body["store_id"] = store_id
    status, first = await anode.call("POST", "redemptions", body)
    assert status == 201, first
    anode.clock.advance(minutes=9)  # within the default 10-minute window: the lost answer
    status, again = await anode.call("POST", "redemptions", body)
    assert (status, again["retried"], again["redemption_id"]) == (
        200,
        True,
        first["redemption_id"],
    ), again
    anode.clock.advance(days=1)  # the next day's screenshot of the same QR
    status, refused = await anode.call("POST", "redemptions", body)
    assert (status, refused["error"]["code"]) == (409, "voucher.code_used"), refused
    assert await balance(anode, voucher_id) == 9_500
    listed = await ok(anode, "GET", f"redemptions?voucher_id={voucher_id}")
    assert len(listed["redemptions"]) == 1


async def test_a_typed_code_retried_after_its_minute_is_the_retry(anode: AsyncNode) -> None:
    store_id = await add_store(anode, "本店")
    voucher_id = str((await ok(anode, "POST", "vouchers", {"amount": 10_000}))["voucher_id"])
    typed = (await fresh_code(anode, voucher_id))["manual_code"]
    body = {"payload": typed, "amount": 800, "store_id": store_id}
    status, first = await anode.call("POST", "redemptions", body)
    assert status == 201, first
    anode.clock.advance(minutes=4)  # the node restarted; the code's 30-60 s are long over
    status, again = await anode.call("POST", "redemptions", body)
    assert (status, again.get("redemption_id"), again.get("retried")) == (
        200,
        first["redemption_id"],
        True,
    ), again
    status, refused = await anode.call("POST", "redemptions", {**body, "amount": 900})
    assert (status, refused["error"]["code"]) == (409, "voucher.code_used"), refused
    anode.clock.advance(minutes=10)
    status, late = await anode.call("POST", "redemptions", body)
    assert status == 409 and late["error"]["code"] in ("voucher.code_used", "voucher.code_invalid")
    assert await balance(anode, voucher_id) == 9_200


async def test_the_counter_shows_when_and_which_receipt_the_earlier_redemption_was(
    anode: AsyncNode,
) -> None:
    store_id = await add_store(anode, "本店")
    voucher_id = str((await ok(anode, "POST", "vouchers", {"amount": 10_000}))["voucher_id"])
    async with browsers(anode) as new:
        staff = await counter(anode, new, "yamada", [store_id])
        form = {"code": (await fresh_code(anode, voucher_id))["payload"], "amount": "500"}
        done = await staff.signed_post("/staff/redeem", form)
        assert done.status == 200 and REDEMPTION.search(done.text), done.code
        receipt = await ok(anode, "GET", f"redemptions?voucher_id={voucher_id}")
        receipt_no = receipt["redemptions"][0]["receipt_no"]
        anode.clock.advance(minutes=2)
        for step in ("/staff/confirm", "/staff/redeem"):
            page = await staff.signed_post(step, form)
            assert 'id="repeat-original"' in page.text, step
            original = page.text.split('id="repeat-original"', 1)[1].split("</", 1)[0]
            assert "10:00" in original and receipt_no in original, original  # Tokyo time
            assert "前回の利用" in page.text
        await staff.get("/lang/en")
        english = await staff.signed_post("/staff/redeem", form)
        assert "Redeemed at 2026-11-24 10:00" in english.text, english.text
        anode.clock.advance(minutes=15)  # past the window (a day would end the staff's sign-in)
        for step in ("/staff/confirm", "/staff/redeem"):
            refused = await staff.signed_post(step, form)
            assert (refused.status, refused.code) == (409, "voucher.code_used"), step
    assert await balance(anode, voucher_id) == 9_500


async def test_a_partner_code_is_a_retry_only_within_the_window_and_its_memory_is_pruned(
    nodes: NodeFactory,
) -> None:
    a, b = await two_partners(nodes)
    b_store = await store_of(b, "駅前店")
    voucher_id = await voucher_of(a, 10_000)
    body = {"payload": await payload(a, voucher_id), "amount": 500, "store_id": b_store}
    status, first = await b.call("POST", "redemptions", body)
    assert (status, first["status"]) == (201, "accepted"), first
    b.clock.advance(minutes=9)
    status, again = await b.call("POST", "redemptions", body)
    assert (status, again["retried"], again["claim_id"]) == (200, True, first["claim_id"]), again
    b.clock.advance(days=1)
    claims_before = read(b, "SELECT count(*) FROM claims")[0][0]
    status, refused = await b.call("POST", "redemptions", body)
    assert (status, refused["error"]["code"]) == (409, "voucher.code_used"), refused
    assert read(b, "SELECT count(*) FROM claims")[0][0] == claims_before  # nothing sent
    assert await voucher_balance(a, voucher_id) == 9_500
    # The next claim forgets codes older than the window: the table does not grow forever.
    assert read(b, "SELECT count(*) FROM claim_codes")[0][0] == 1
    fresh = {**body, "payload": await payload(a, voucher_id), "amount": 700}
    status, second = await b.call("POST", "redemptions", fresh)
    assert status == 201, second
    assert read(b, "SELECT claim_id FROM claim_codes") == [(second["claim_id"],)]
    assert await voucher_balance(a, voucher_id) == 8_800
    # Once forgotten, yesterday's code is a new claim, which its issuer refuses: still no yen.
    status, late = await b.call("POST", "redemptions", body)
    assert status == 409, late
    assert await voucher_balance(a, voucher_id) == 8_800


async def test_the_counter_shows_when_a_retried_partner_code_made_its_claim(
    nodes: NodeFactory,
) -> None:
    a, b = await two_partners(nodes)
    b_store = await store_of(b, "駅前店")
    voucher_id = await voucher_of(a, 10_000)
    async with browsers(b) as new:
        staff = await counter(b, new, "suzuki", [b_store])
        form = {"code": await payload(a, voucher_id), "amount": "1200"}
        done = await staff.signed_post("/staff/redeem", form)
        assert 'data-outcome="accepted"' in done.text, done.code
        made_at = b.clock.now()
        b.clock.advance(minutes=3)
        again = await staff.signed_post("/staff/redeem", form)
        assert 'id="repeat"' in again.text, again.code
        original = again.text.split('id="repeat-original"', 1)[1].split("</", 1)[0]
        shown = made_at.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%Y-%m-%d %H:%M")
        assert "前回の利用日時" in original and shown in original, original
        b.clock.advance(minutes=10)
        late = await staff.signed_post("/staff/redeem", form)
        assert (late.status, late.code) == (409, "voucher.code_used")
    assert await voucher_balance(a, voucher_id) == 8_800


async def test_a_typed_code_past_its_minute_is_expired_not_a_typo(anode: AsyncNode) -> None:
    """Staff who retype a dead code are told it expired (show a fresh code), not that it does
    not match; nothing is booked either way."""
    store_id = await add_store(anode, "本店")
    voucher_id = str((await ok(anode, "POST", "vouchers", {"amount": 10_000}))["voucher_id"])
    typed = (await fresh_code(anode, voucher_id))["manual_code"]
    anode.clock.advance(minutes=3)
    body = {"payload": typed, "amount": 800, "store_id": store_id}
    status, refused = await anode.call("POST", "redemptions", body)
    assert (status, refused["error"]["code"]) == (409, "voucher.code_expired"), refused
    anode.clock.advance(hours=2)  # too old to be told from a typo: it is one
    status, refused = await anode.call("POST", "redemptions", body)
    assert (status, refused["error"]["code"]) == (409, "voucher.code_invalid"), refused
    assert await balance(anode, voucher_id) == 10_000
