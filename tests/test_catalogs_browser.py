"""The campaign pages' language picker in Chromium: the public campaign list (empty, then with
a premium voucher and a ticket book) in Japanese, the browser's language, passed by
tests/page_checks.py's check_page at 375 and 1366 px; choosing 한국어 in the picker shows the same
page in Korean, the next page stays Korean, and so does a resident's wallet of coupons. And the
machine has fonts for every language the pages speak (the Makefile installs them), so Chromium
draws Chinese and Korean as glyphs, not boxes."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from playwright.async_api import expect
from yarl import URL

from node.web.guard import SESSION_COOKIE
from tests.browser import chromium
from tests.campaign_helpers import terms
from tests.conftest import AsyncNode, ok
from tests.page_checks import check_page
from tests.web_helpers import browsers, customer_signs_in

EMAIL = "minji@example.jp"
# fontconfig's language tags for the pages' languages besides Japanese (whose font, IPA Gothic,
# the receipts' tests need anyway).
FONT_LANGUAGES = ("ko", "zh-cn", "zh-tw")


@pytest.mark.process
def test_chromium_has_a_font_for_korean_and_both_chineses() -> None:
    """Chromium on Linux finds fonts through fontconfig: a language no installed font covers is
    drawn as boxes (the screenshots of the Korean pages showed them before fonts-noto-cjk)."""
    fc_list = shutil.which("fc-list")
    assert fc_list is not None, "fontconfig's fc-list is missing (Chromium's package brings it)"
    missing = [
        tag
        for tag in FONT_LANGUAGES
        if not subprocess.run(
            [fc_list, f":lang={tag}", "family"], capture_output=True, text=True, check=True
        ).stdout.strip()
    ]
    assert not missing, f"no font for {missing}: run `make test` (it installs fonts-noto-cjk)"


async def test_the_picker_switches_the_campaign_pages_to_korean(
    anode: AsyncNode, caplog: pytest.LogCaptureFixture
) -> None:
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
        made = await ok(anode, "POST", "campaigns", premium | {"terms": "お一人様3セットまで。"})
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
        # a resident's coupons in the wallet, still in Korean: a 共通券 and a 専用券
        resident = await ok(anode, "POST", "customers", {"name": "김민지", "email": EMAIL})
        grants = f"campaigns/{made['campaign_id']}/grants"
        await ok(anode, "POST", grants, {"customer_id": resident["customer_id"]})
        async with browsers(anode) as new:
            signed_in = await customer_signs_in(new(), EMAIL, caplog)
            session = signed_in.http.cookie_jar.filter_cookies(URL(anode.base_url))[SESSION_COOKIE]
            await context.add_cookies(
                [{"name": SESSION_COOKIE, "value": session.value, "url": anode.base_url}]
            )
        await page.goto(f"{anode.base_url}/wallet/campaigns")
        await expect(page.locator(".coupon-card")).to_have_count(2)
        await expect(page.locator("h1")).to_have_text("내 캠페인 쿠폰")
        await check_page(page, "campaigns-wallet-ko")
        await context.close()
