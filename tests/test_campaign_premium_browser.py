"""The premium sale in Chromium on a 375-px phone, one lean flow against a real node and
localstripe (its stand-in Stripe.js in the page, its API behind the node's SDK): a resident
declares a postcode inside the campaign's area, buys a ¥12,000-for-¥10,000 set by card on the
campaign's page (the 資金決済法 display above the pay button), gets the receipt with both
vouchers, and pays at a store with the 共通券. Every state reached goes through check_page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import expect

from node.home import NodeHome
from tests.browser import chromium
from tests.campaign_helpers import terms
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.stripe_server import localstripe_in_loop, with_stripe
from tests.test_web_shop import _pay_with
from tests.web_flow_helpers import phone, shop, sign_in_by_link, smtp_inbox

EMAIL = "hanako@example.jp"


@pytest.mark.browser
async def test_a_resident_verifies_buys_a_premium_set_and_pays_with_it(tmp_path: Path) -> None:
    async with localstripe_in_loop() as api_base, smtp_inbox() as (inbox, smtp_port):

        def selling(home: NodeHome, text: str) -> str:
            return with_stripe(text, api_base)

        async with (
            shop(tmp_path / "node", FakeClock(), smtp_port, selling) as s,
            chromium() as browser,
        ):
            body = terms(
                s.clock,
                kind="premium",
                name="北九州プレミアム商品券",
                face_yen=12_000,
                price_yen=10_000,
                local_yen=2_000,
                eligibility=["residence"],
                postcodes=["802"],
            )
            made = await s.call("POST", "campaigns", body)
            cid = made["campaign_id"]
            await s.call("POST", "customers", {"name": "山田花子", "email": EMAIL})
            page = await phone(browser)
            await page.goto(f"{s.base_url}/wallet/login?next=/wallet/campaigns/{cid}")
            await sign_in_by_link(page, inbox, EMAIL)
            await page.goto(f"{s.base_url}/wallet/campaigns/{cid}/verify")
            await page.fill("#postcode", "802-0001")
            await page.click("#residence-submit")
            await page.goto(f"{s.base_url}/wallet/campaigns/{cid}")
            await expect(page.locator("#card-element input")).to_have_count(5)
            legal = await page.locator("#legal-display").bounding_box()
            pay = await page.locator("#pay-button").bounding_box()
            assert legal and pay and legal["y"] + legal["height"] < pay["y"]
            await check_page(page, "premium-campaign")

            await _pay_with(page, "4242424242424242")
            await expect(page.locator("#payment-result")).to_have_attribute("data-state", "issued")
            await expect(page.locator("#paid-amount")).to_have_text("¥10,000")
            await expect(page.locator("a[data-class]")).to_have_count(2)
            await check_page(page, "premium-receipt")

            await page.click("a[data-class=common]")
            await expect(page.locator("#qr svg")).to_be_visible()
            payload = await page.locator("#qr").get_attribute("data-payload")
            assert payload and payload.startswith("KIPPU1:")
            paid = {"payload": payload, "amount": 3_000, "store_id": s.store_id}
            await s.call("POST", "redemptions", paid)
            await expect(page.locator("#paid-balance")).to_have_text("¥7,000")

            # In Korean: the display translated, the binding Japanese one opened beside it.
            await page.goto(f"{s.base_url}/wallet/campaigns/{cid}?lang=ko")
            await page.click("#legal-japanese summary")
            await expect(page.locator("#ja-legal-display")).to_be_visible()
            await check_page(page, "premium-campaign-ko")
