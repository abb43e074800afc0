"""The campaign pages' language picker in Chromium: the public campaign list (empty, then with
a premium voucher and a ticket book) in Japanese, the browser's language, passed by
tests/page_checks.py's check_page at 375 and 1366 px; choosing 한국어 in the picker shows the same
page in Korean, and the next page stays Korean."""

from __future__ import annotations

from playwright.async_api import expect

from tests.browser import chromium
from tests.campaign_helpers import terms
from tests.conftest import AsyncNode, ok
from tests.page_checks import check_page


async def test_the_picker_switches_the_campaign_pages_to_korean(anode: AsyncNode) -> None:
    async with chromium() as browser:
        context = await browser.new_context(locale="ja-JP")
        page = await context.new_page()
        await page.goto(f"{anode.base_url}/campaigns")
        await expect(page.locator("html")).to_have_attribute("lang", "ja")
        await expect(page.locator("#no-campaigns")).to_contain_text(
            "現在実施中のキャンペーンはありません"
        )
        await check_page(page, "campaigns-empty-ja")
        premium = terms(anode.clock, "premium", face_yen=13_000, price_yen=10_000, local_yen=5_000)
        await ok(anode, "POST", "campaigns", premium | {"terms": "お一人様3セットまで。"})
        book = terms(anode.clock, "ticket-book", name="商店街回数券", face_yen=500, book_count=5)
        await ok(anode, "POST", "campaigns", book)
        await page.reload()
        await expect(page.locator(".campaign-card")).to_have_count(2)
        await page.click(".campaign-card summary")
        await expect(page.locator(".campaign-card .terms-text")).to_have_text(
            "お一人様3セットまで。"
        )
        await check_page(page, "campaigns-ja")
        await page.click("#lang-ko")
        await expect(page.locator("html")).to_have_attribute("lang", "ko")
        assert page.url.endswith("/campaigns?lang=ko")
        await expect(page.locator("#lang-ko")).to_have_attribute("aria-current", "true")
        await expect(page.locator("h1")).to_have_text("캠페인")
        await check_page(page, "campaigns-ko")
        await page.click("#footer-campaigns")  # no ?lang= any more: the cookie keeps Korean
        await expect(page.locator("html")).to_have_attribute("lang", "ko")
        await expect(page.locator("#footer-campaigns")).to_have_text("전체 캠페인")
        await context.close()
