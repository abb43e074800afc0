"""The issue's resident flow in Chromium: a resident proves eligibility by the serial code mailed
to them on paper, receives a first-come coupon with the campaign page's 受け取る button, and pays
with it at a store by scanning the store's poster QR with the wallet's camera (Chromium's fake
camera plays the poster's QR, as in tests/test_campaign_stores_browser.py). Every new page is
checked by check_page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from node.web.store_poster import pay_url
from tests.browser import chromium
from tests.campaign_helpers import terms
from tests.page_checks import check_page
from tests.store_helpers import application, approved_store, office
from tests.test_web_camera import qr_video
from tests.web_flow_helpers import phone, sign_in_by_link


@pytest.mark.browser
async def test_a_resident_verifies_receives_and_pays_at_a_store(tmp_path: Path) -> None:
    async with office(tmp_path / "node") as o:
        admin_http = await o.admin()
        _, code = await approved_store(o, admin_http, application())
        body = terms(o.shop.clock, face_yen=1000, eligibility=["serial"], terms="お一人様1回限り")
        made: Any = await o.shop.call("POST", "campaigns", body)
        cid = made["campaign_id"]
        serials: Any = await o.shop.call("POST", f"campaigns/{cid}/serials", {"count": 1})
        await o.shop.call("POST", "customers", {"name": "花子", "email": "hanako@example.jp"})
        video = qr_video(pay_url(o.shop.base_url, code), tmp_path / "poster.y4m")
        camera = (
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        )
        async with chromium(camera) as browser:
            resident = await phone(browser)
            await resident.goto(f"{o.shop.base_url}/campaigns")
            await resident.click(f"#open-{cid}")
            await sign_in_by_link(resident, o.inbox, "hanako@example.jp")
            await resident.goto(f"{o.shop.base_url}/wallet/campaigns/{cid}")
            await expect(resident.locator("li[data-method='serial']")).to_have_attribute(
                "data-done", "no"
            )
            await check_page(resident, "campaign-receive-page")
            await resident.click("#verify")
            await resident.fill("#serial", serials["serials"][0])
            await resident.click("#serial-submit")
            await expect(resident.locator("#verified")).to_be_visible()

            await resident.goto(f"{o.shop.base_url}/wallet/campaigns/{cid}")
            await expect(resident.locator("li[data-method='serial']")).to_have_attribute(
                "data-done", "yes"
            )
            await resident.click("#receive")
            await expect(resident.locator("#received")).to_be_visible()
            await expect(resident.locator("dd.received-count")).to_have_attribute(
                "data-received", "1"
            )
            await check_page(resident, "campaign-receive-received")

            await resident.goto(f"{o.shop.base_url}/wallet/pay")
            await resident.click("#scan")
            await expect(resident.locator("#store-name")).to_have_text("山田商店", timeout=15_000)
            await resident.fill("#amount", "400")
            await resident.click("#pay-next")
            await expect(resident.locator("#confirm-amount")).to_have_text("¥400")
            await resident.click("#pay-submit")
            await expect(resident.locator("#paid-amount")).to_have_text("¥400")
            await expect(resident.locator("#paid-balance")).to_have_text("¥600")
