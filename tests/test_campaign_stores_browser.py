"""One lean Chromium flow of participating stores: a store applies on the public page and the
office approves it in the console; a resident pays at a store by scanning its poster's QR with
the wallet's camera (Chromium's fake camera plays the QR of the poster's URL, as the counter's
camera test does), keys the amount, and shows staff the live confirmation: its clock ticks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.async_api import Page, expect

from node.web.store_poster import pay_url
from tests.browser import chromium
from tests.campaign_helpers import terms
from tests.page_checks import check_page
from tests.store_helpers import application, approved_store, office
from tests.test_web_camera import qr_video
from tests.web_flow_helpers import ADMIN_PASSWORD, phone, sign_in_by_link, sign_in_with_password

CLOCK = re.compile(r"^\d\d:\d\d:\d\d$")


async def _apply_in_the_browser(page: Page, base_url: str) -> None:
    await page.goto(f"{base_url}/stores/apply")
    await check_page(page, "campaign-store-apply")
    form = application(store_name="喫茶 みどり", store_email="midori@example.jp")
    for name in ("store_name", "store_address", "store_email", "bank_code", "branch_code"):
        await page.fill(f"#{name}", form[name])
    await page.fill("#account_number", "7654321")
    await page.fill("#holder_kana", "ミドリ")
    await page.select_option("#store_category", "飲食")
    await page.check("#store_local")
    await page.click("#apply-submit")
    await expect(page.locator("#applied-notice")).to_contain_text("喫茶 みどり")
    await check_page(page, "campaign-store-applied")


async def test_a_store_approved_in_the_console_and_a_resident_paying_by_its_poster(
    tmp_path: Path,
) -> None:
    async with office(tmp_path / "node") as o:
        admin_http = await o.admin()
        _, code = await approved_store(o, admin_http, application())
        made: Any = await o.shop.call("POST", "campaigns", terms(o.shop.clock, face_yen=1000))
        customer: Any = await o.shop.call(
            "POST", "customers", {"name": "花子", "email": "hanako@example.jp"}
        )
        await o.shop.call(
            "POST",
            f"campaigns/{made['campaign_id']}/grants",
            {"customer_id": customer["customer_id"]},
        )
        video = qr_video(pay_url(o.shop.base_url, code), tmp_path / "poster.y4m")
        camera = (
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        )
        async with chromium(camera) as browser:
            store_page = await phone(browser)
            await _apply_in_the_browser(store_page, o.shop.base_url)

            console = await phone(browser)
            await sign_in_with_password(console, o.shop.base_url, "admin", "admin", ADMIN_PASSWORD)
            await console.goto(f"{o.shop.base_url}/admin/campaigns/stores")
            await check_page(console, "admin-campaign-stores")
            await console.locator("article.application button[id$='-submit']").first.click()
            await expect(console.locator("#notice")).to_be_visible()
            await expect(console.locator("#no-pending")).to_be_visible()
            await expect(console.locator("#campaign-stores")).to_contain_text("喫茶 みどり")

            resident = await phone(browser)
            await resident.goto(f"{o.shop.base_url}/wallet/login?next=/wallet/pay")
            await sign_in_by_link(resident, o.inbox, "hanako@example.jp")
            await expect(resident.locator("#scan")).to_be_visible()
            await check_page(resident, "campaign-pay-find")
            await resident.click("#scan")
            # The camera reads the poster's QR and the page goes on to the store by itself.
            await expect(resident.locator("#store-name")).to_have_text("山田商店", timeout=15_000)
            await check_page(resident, "campaign-pay-store")
            await resident.fill("#amount", "350")
            await resident.click("#pay-next")
            await expect(resident.locator("#confirm-amount")).to_have_text("¥350")
            await check_page(resident, "campaign-pay-confirm")
            await resident.click("#pay-submit")
            await expect(resident.locator("#paid-amount")).to_have_text("¥350")
            await expect(resident.locator("#paid-balance")).to_have_text("¥650")
            clock = resident.locator("#live-clock")
            await expect(clock).to_have_text(CLOCK)
            before = await clock.text_content()
            await resident.wait_for_timeout(1500)
            assert await clock.text_content() != before  # the clock moves: no screenshot does
            await check_page(resident, "campaign-pay-done")
