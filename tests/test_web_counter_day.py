"""The counter's day: today's list at this store, voiding a partner's voucher from the page (the
issuer gives the value back, at once or once it is reachable again), changing store.

Two real companies on 127.0.0.1; each staff member is a cookie jar posting the page's forms.
"""

from __future__ import annotations

import re

from playwright.async_api import expect

from tests.browser import chromium, screenshot
from tests.conftest import NodeFactory, RunningNode, ok
from tests.settlement_helpers import (
    deliver,
    payload,
    propose,
    restart,
    store_of,
    two_partners,
    voucher_balance,
    voucher_of,
)
from tests.web_flow_helpers import PHONE, sign_in_with_password
from tests.web_helpers import PASSWORD, Person, browsers

# The result page's way to void: a link to the void's confirm step (issue 15), no longer a form.
VOID_BUTTON = re.compile(r'href="/staff/void/((?:rd|cl)_[^"]+)"')


def line(page_text: str, ref: str) -> str:
    """The state a line of today's list shows for `ref`."""
    found = re.search(rf'data-ref="{re.escape(ref)}" data-state="([a-z_]+)"', page_text)
    assert found, f"{ref} is not in today's list"
    return found.group(1)


async def staff_at(node: RunningNode, person: Person, stores: list[str]) -> Person:
    await ok(node, "POST", "staff", {"name": "yamada", "stores": stores, "password": PASSWORD})
    assert (await person.sign_in("/staff/login", "yamada", PASSWORD)).status == 303
    return person


async def choose(person: Person, store_id: str) -> None:
    assert (await person.signed_post("/staff/store", {"store_id": store_id})).status == 303


async def redeem(person: Person, issuer: RunningNode, voucher_id: str, amount: int) -> str:
    """Redeem at the counter; the id behind the result page's void button."""
    code = await payload(issuer, voucher_id)
    done = await person.signed_post("/staff/redeem", {"code": code, "amount": str(amount)})
    assert done.status == 200 and 'data-outcome="accepted"' in done.text, done.text[:400]
    found = VOID_BUTTON.search(done.text)
    assert found, "no void button on the result page"
    return found.group(1)


async def test_a_partners_voucher_is_voided_from_the_counter(nodes: NodeFactory) -> None:
    a, b = await two_partners(nodes)
    store = await store_of(a, "A 本店")
    theirs = await voucher_of(b, 5_000)
    ours = str((await ok(a, "POST", "vouchers", {"amount": 3_000}))["voucher_id"])
    async with browsers(a) as new:
        staff = await staff_at(a, new(), [store])
        claim_id = await redeem(staff, b, theirs, 1_200)
        redemption_id = await redeem(staff, a, ours, 700)
        assert claim_id.startswith("cl_") and redemption_id.startswith("rd_")
        assert await voucher_balance(b, theirs) == 3_800

        today = await staff.get("/staff/today")
        assert line(today.text, claim_id) == "done" and line(today.text, redemption_id) == "done"
        assert "Trattoria B" in today.text and "¥1,200" in today.text

        voided = await staff.signed_post("/staff/void", {"redemption_id": claim_id})
        assert voided.status == 200 and 'data-outcome="voided"' in voided.text
        assert await voucher_balance(b, theirs) == 5_000  # the issuer gave it back
        claim = await ok(a, "GET", f"settlement/claims/{claim_id}")
        assert claim["status"] == "VOIDED"

        again = await staff.signed_post("/staff/void", {"redemption_id": claim_id})
        assert again.status >= 400 and (await voucher_balance(b, theirs)) == 5_000

        today = await staff.get("/staff/today")
        assert line(today.text, claim_id) == "voided"
        assert f'href="/staff/void/{claim_id}"' not in today.text  # no second void button
        assert line(today.text, redemption_id) == "done"

        # The same list on a phone, in the browser: void our own redemption from it.
        async with chromium() as browser:
            context = await browser.new_context(viewport=PHONE, locale="ja-JP")
            page = await context.new_page()
            await sign_in_with_password(page, a.base_url, "staff", "yamada", PASSWORD)
            await page.click("#today-link")
            await screenshot(page, "phone-staff-today")
            await page.click(f"li[data-ref='{redemption_id}'] a[data-void]")
            await expect(page.locator("#void-amount")).to_have_text("¥700")  # the confirm step
            await page.click("#void-confirm-button")
            await expect(page.locator("#result")).to_have_attribute("data-outcome", "voided")
            await page.click("a[href='/staff/today']")
            state = page.locator(f"li[data-ref='{redemption_id}']")
            await expect(state).to_have_attribute("data-state", "voided")
            await context.close()
        assert await voucher_balance(a, ours) == 3_000

        # Once in a statement, a partner's voucher can no longer be voided: no button.
        settled = await redeem(staff, b, theirs, 300)
        status, _ = await propose(a, b)
        assert status == 201
        await deliver(a.clock, a, b)
        assert (await ok(a, "GET", f"settlement/claims/{settled}"))["status"] == "INVOICED"
        today = await staff.get("/staff/today")
        assert line(today.text, settled) == "settled"
        assert f'href="/staff/void/{settled}"' not in today.text


async def test_a_void_waits_for_an_issuer_that_is_offline(nodes: NodeFactory) -> None:
    a, b = await two_partners(nodes)
    store = await store_of(a, "A 本店")
    theirs = await voucher_of(b, 5_000)
    async with browsers(a) as new:
        staff = await staff_at(a, new(), [store])
        claim_id = await redeem(staff, b, theirs, 2_000)
        await b.stop()
        sent = await staff.signed_post("/staff/void", {"redemption_id": claim_id})
        assert sent.status == 200 and 'data-outcome="void_pending"' in sent.text
        assert line((await staff.get("/staff/today")).text, claim_id) == "void_pending"

        await restart(b)
        await deliver(a.clock, a)
        assert (await ok(a, "GET", f"settlement/claims/{claim_id}"))["status"] == "VOIDED"
        assert await voucher_balance(b, theirs) == 5_000
        assert line((await staff.get("/staff/today")).text, claim_id) == "voided"


async def test_only_this_stores_lines_and_only_redemptions_made_here(nodes: NodeFactory) -> None:
    a, b = await two_partners(nodes)
    first, second = await store_of(a, "A 本店"), await store_of(a, "A 駅前店")
    b_store = await store_of(b, "B 本店")
    theirs = await voucher_of(b, 5_000)
    ours = await voucher_of(a, 5_000)
    async with browsers(a) as new:
        staff = await staff_at(a, new(), [first, second])
        await choose(staff, first)
        claim_id = await redeem(staff, b, theirs, 1_000)

        # Change store from the counter page; the other store's list is empty.
        entry = await staff.get("/staff")
        assert 'id="change-store"' in entry.text
        chooser = await staff.get("/staff/store")
        assert "A 本店" in chooser.text and "A 駅前店" in chooser.text
        await choose(staff, second)
        assert "A 駅前店" in (await staff.get("/staff")).text
        assert claim_id not in (await staff.get("/staff/today")).text

        refused = await staff.signed_post("/staff/void", {"redemption_id": claim_id})
        assert (refused.status, refused.code) == (403, "auth.forbidden")

        # Our voucher redeemed at B's store is a claim where we are the issuer: not ours to void.
        code = await payload(a, ours)
        body = {"payload": code, "amount": 500, "store_id": b_store}
        issued_claim = (await ok(b, "POST", "redemptions", body))["claim_id"]
        refused = await staff.signed_post("/staff/void", {"redemption_id": issued_claim})
        assert (refused.status, refused.code) == (403, "auth.forbidden")
        assert (await ok(a, "GET", f"settlement/claims/{claim_id}"))["status"] == "ACCEPTED"
        assert await voucher_balance(b, theirs) == 4_000
        assert await voucher_balance(a, ours) == 4_500
