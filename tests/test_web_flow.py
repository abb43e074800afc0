"""A store's day and a customer's wallet, end to end in headless Chromium against a real node.

Staff sell a ¥10,000 voucher at the counter; a customer takes it into a new wallet (signing up by
an emailed link, through a real SMTP server on 127.0.0.1), shows its QR; staff type the code and
redeem ¥8,000 on the keypad; the customer sees ¥2,000 and downloads the receipt PDF; gifts the
rest; the recipient registers and sees the gift with its 6-month expiry; head office sees it all
on the dashboard. Screenshots at phone and desktop widths go to test-artifacts/.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
from playwright.async_api import Browser, Page, expect

from tests.browser import chromium, screenshot
from tests.conftest import FakeClock
from tests.web_flow_helpers import (
    ADMIN_PASSWORD,
    DESKTOP,
    PHONE,
    STAFF_PASSWORD,
    Inbox,
    Shop,
    phone,
    shop,
    sign_in_by_link,
    sign_in_with_password,
    smtp_inbox,
)


async def test_a_store_day_and_a_wallet_end_to_end(tmp_path: Path) -> None:
    clock = FakeClock()
    async with (
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", clock, smtp_port) as s,
        chromium() as browser,
    ):
        staff, customer = await phone(browser), await phone(browser)
        link = await _staff_sells(staff, s)
        await _customer_takes(customer, s, inbox, link)
        payload = await _customer_shows_qr(customer)
        await _staff_redeems(staff, s, payload, "8000")
        await _customer_sees_balance_and_receipt(customer, tmp_path)
        gift_link = await _customer_gifts(customer)
        await _recipient_receives(await phone(browser), s, inbox, gift_link)
        await _admin_sees_dashboard(browser, s)


async def _staff_sells(page: Page, s: Shop) -> str:
    await sign_in_with_password(page, s.base_url, "staff", "yamada", STAFF_PASSWORD)
    await expect(page.locator("#redeem-form")).to_be_visible()  # the only store was chosen
    await screenshot(page, "phone-staff-redeem")
    await page.click("text=商品券を販売")
    await page.click("#products button[data-face='10000']")
    await expect(page.locator("#confirm-face")).to_have_text("¥10,000")
    await page.click("#sell")  # paid in cash, the method chosen first
    await expect(page.locator("#sold-face")).to_have_text("¥10,000")
    await expect(page.locator("#handover-qr svg")).to_be_visible()
    await screenshot(page, "phone-staff-sold")
    return str(await page.locator("#handover-link").get_attribute("href"))


async def _customer_takes(page: Page, s: Shop, inbox: Inbox, link: str) -> None:
    await page.goto(link)
    await expect(page.locator("#take-amount")).to_have_text("¥10,000")
    await page.click("#sign-in-to-receive")
    await sign_in_by_link(page, inbox, "hanako@example.jp")
    await page.click("#receive")  # back on the hand-over page, now signed in
    await expect(page.locator("#balance")).to_have_text("¥10,000")


async def _customer_shows_qr(page: Page) -> str:
    qr = page.locator("#qr")
    await expect(qr.locator("svg")).to_be_visible()
    await expect(page.locator("#manual-code")).not_to_have_text("—")
    await screenshot(page, "phone-wallet-qr")
    payload = await qr.get_attribute("data-payload")
    assert payload and payload.startswith("KIPPU1:")
    return payload


async def _staff_redeems(page: Page, s: Shop, code: str, amount: str) -> None:
    await page.goto(f"{s.base_url}/staff")
    await page.fill("#code", code)
    for key in amount:
        await page.click(f"#amount-keypad button[data-key='{key}']")
    await expect(page.locator("#amount")).to_have_value(amount)
    await page.click("#continue")
    await expect(page.locator("#confirm-amount")).to_have_text("¥8,000")
    await expect(page.locator("#confirm-balance")).to_have_text("¥10,000")
    await screenshot(page, "phone-staff-confirm")
    await page.click("#redeem")
    await expect(page.locator("#result")).to_have_attribute("data-outcome", "accepted")
    await expect(page.locator("#done-amount")).to_have_text("¥8,000")
    await expect(page.locator("#done-balance")).to_have_text("¥2,000")
    await expect(page.locator("#receipt-no")).not_to_be_empty()
    await screenshot(page, "phone-staff-done")


async def _customer_sees_balance_and_receipt(page: Page, tmp_path: Path) -> None:
    await page.reload()
    await expect(page.locator("#balance")).to_have_text("¥2,000")
    entry = page.locator("#history li.redemption")
    await expect(entry).to_have_count(1)
    await expect(entry).to_contain_text("¥8,000")
    await expect(entry).to_contain_text("渋谷店")
    receipt_no = await entry.get_attribute("data-receipt")
    await entry.locator("a.receipt").click()  # the receipt's page: 宛名, then the download
    await expect(page.locator("#receipt-amount")).to_have_text("¥8,000")
    async with page.expect_download() as waiting:
        await page.click("#download")
    download = await waiting.value
    saved = tmp_path / "receipt.pdf"
    await download.save_as(saved)
    text = pypdf.PdfReader(io.BytesIO(saved.read_bytes())).pages[0].extract_text()
    for expected in ("領収書", "8,000", "2,000", "居酒屋 さくら", "渋谷店", str(receipt_no)):
        assert expected in text, (expected, text)
    await page.click("#receipt-back")  # back to the voucher


async def _customer_gifts(page: Page) -> str:
    # Issue 15: gifting is on its own screen with a confirm step, no longer under the QR.
    await page.click("#gift")
    await page.click("#gift-all")  # the whole balance
    await expect(page.locator("#confirm-gift")).to_have_text("¥2,000")
    await expect(page.locator("#confirm-remains")).to_have_text("¥0")
    await page.click("#give")
    await expect(page.locator("#gift-face")).to_have_text("¥2,000")
    await expect(page.locator("#gift-expiry")).to_have_text("2027-05-24")  # 6 months on
    await screenshot(page, "phone-wallet-gift")
    return str(await page.locator("#gift-link").get_attribute("href"))


async def _recipient_receives(page: Page, s: Shop, inbox: Inbox, link: str) -> None:
    await page.goto(link)
    # The giver signed up by email alone: no registered name, and their email is not shown.
    await expect(page.locator("#gift-from")).to_have_text("居酒屋 さくら の商品券です。")
    await page.click("#sign-in-to-receive")
    await sign_in_by_link(page, inbox, "taro@example.jp")
    await page.click("#receive")
    await expect(page.locator("#balance")).to_have_text("¥2,000")
    await expect(page.locator("#gift-badge")).to_be_visible()
    await expect(page.locator("#expiry")).to_have_text("2027-05-24")
    await expect(page.locator("#gift")).to_have_count(0)  # a gift can never be gifted again
    await page.goto(f"{s.base_url}/wallet")
    await expect(page.locator("#vouchers .voucher")).to_have_count(1)
    await screenshot(page, "phone-wallet-home")


async def _admin_sees_dashboard(browser: Browser, s: Shop) -> None:
    context = await browser.new_context(viewport=DESKTOP, locale="ja-JP")
    page = await context.new_page()
    await sign_in_with_password(page, s.base_url, "admin", "admin", ADMIN_PASSWORD)
    await expect(page.locator("#liability")).to_have_text("¥2,000")
    row = page.locator("#by-store tbody tr")
    await expect(row).to_contain_text("渋谷店")
    await expect(row).to_contain_text("¥10,000")
    await expect(row).to_contain_text("¥8,000")
    await expect(page.locator("#by-day rect.sales")).to_have_count(14)
    await screenshot(page, "desktop-admin-dashboard")
    await page.set_viewport_size(PHONE)
    await screenshot(page, "phone-admin-dashboard")
