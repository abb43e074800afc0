"""Selling at the counter in Chromium at 375 px, every state checked by tests/page_checks.py.

A clerk sells ¥7,000 keyed on the keypad, confirms (the confirm page links the 資金決済法 display
at /terms), chooses the card terminal and sees the hand-over QR with 完了; the customer leaves
before scanning, so the clerk shows the QR again from the list of vouchers waiting (the old link
is dead, the new one works, and shows the customer the display about the voucher before it is
taken); a ¥3,000 cash sale made by mistake is cancelled through its confirm step (refund ¥3,000
現金) and its link becomes a clear page; 本日の利用 lists both sales with totals per payment
method, and the day close (日計) shows them for today, an earlier day, and a mistyped day. Head
office shows a sale's hand-over QR again and cancels it from the console's voucher page.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Page, expect

from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.web_flow_helpers import (
    ADMIN_PASSWORD,
    STAFF_PASSWORD,
    Shop,
    phone,
    shop,
    sign_in_by_link,
    sign_in_with_password,
    smtp_inbox,
)

KEY = "#face-keypad button[data-key='{}']"


async def _sell_keyed_by_card(page: Page, s: Shop) -> tuple[str, str]:
    await page.goto(f"{s.base_url}/staff/sell")
    await expect(page.locator("#products button.product")).to_have_count(4)
    await check_page(page, "sell-form")
    for key in ["7", "0", "00"]:
        await page.click(KEY.format(key))
    await expect(page.locator("#face-display")).to_have_text("¥7,000")
    await page.click("#continue")
    await expect(page.locator("#confirm-face")).to_have_text("¥7,000")
    await expect(page.locator("#method-cash")).to_be_checked()  # cash until another is chosen
    await expect(page.locator("#confirm-legal")).to_contain_text("資金決済法")
    await expect(page.locator("#confirm-terms")).to_have_attribute("href", "/terms")
    await check_page(page, "sell-confirm")
    await page.click("label[for='method-card']")
    await page.click("#sell")
    sold = page.locator("#sold")
    await expect(page.locator("#sold-face")).to_have_text("¥7,000")
    await expect(page.locator("#sold-method")).to_contain_text("カード端末")
    await expect(page.locator("#handover-qr svg")).to_be_visible()
    await expect(page.locator("#done")).to_have_text("完了")
    await check_page(page, "sell-sold")
    voucher_id = str(await sold.get_attribute("data-voucher"))
    link = str(await page.locator("#handover-link").get_attribute("href"))
    await page.click("#done")
    await expect(page).to_have_url(f"{s.base_url}/staff")
    return voucher_id, link


async def _show_again(page: Page, customer: Page, s: Shop, voucher_id: str, old: str) -> None:
    await page.goto(f"{s.base_url}/staff/sell")
    waiting = page.locator(f"#unclaimed li[data-voucher='{voucher_id}']")
    await expect(waiting).to_contain_text("¥7,000")
    await expect(waiting).to_contain_text("カード端末")
    await waiting.locator("button.show-qr").click()
    await expect(page.locator("#shown-again")).to_be_visible()
    await expect(page.locator("#handover-qr svg")).to_be_visible()
    await check_page(page, "sell-shown-again")
    fresh = str(await page.locator("#handover-link").get_attribute("href"))
    assert fresh != old
    gone = await customer.goto(old)  # the QR shown before no longer hands the voucher over
    assert gone is not None and gone.status == 404
    await expect(customer.locator("#take-amount")).to_have_count(0)
    await check_page(customer, "handover-old-link")
    await customer.goto(fresh)
    await expect(customer.locator("#take-amount")).to_have_text("¥7,000")
    # 資金決済法13条: the display, about this voucher, before the customer takes it.
    await expect(customer.locator("#legal-display #lg-amount")).to_contain_text("¥7,000")
    await expect(customer.locator("#lg-terms a")).to_have_attribute("href", re.compile(r"/terms$"))
    await check_page(customer, "handover-take-legal")


async def _sell_and_cancel_cash(page: Page, customer: Page, s: Shop) -> str:
    await page.goto(f"{s.base_url}/staff/sell")
    await page.click("#products button[data-face='3000']")
    await page.click("#sell")
    await expect(page.locator("#sold-method")).to_contain_text("現金")
    voucher_id = str(await page.locator("#sold").get_attribute("data-voucher"))
    link = str(await page.locator("#handover-link").get_attribute("href"))
    await page.click("#cancel-this")
    await expect(page.locator("#refund-amount")).to_have_text("¥3,000")
    await expect(page.locator("#refund-method")).to_have_text("現金")
    await check_page(page, "sale-cancel-confirm")
    await page.click("#confirm-cancel")
    await expect(page.locator("#sale-cancelled h1")).to_contain_text("販売を取り消しました")
    await expect(page.locator("#refund-amount")).to_have_text("¥3,000")
    await check_page(page, "sale-cancelled")
    gone = await customer.goto(link)
    assert gone is not None and gone.status == 410
    await expect(customer.locator(".take[data-state='cancelled'] #take-gone")).to_contain_text(
        "お店でこの商品券の販売が取り消されたため"
    )
    await expect(customer.locator("#legal-display")).to_have_count(0)  # nothing to take
    await check_page(customer, "sale-cancelled-link")
    await page.goto(f"{s.base_url}/staff/sell")  # no longer waiting for its customer
    await expect(page.locator(f"#unclaimed li[data-voucher='{voucher_id}']")).to_have_count(0)
    return voucher_id


async def _the_day(page: Page, s: Shop, card_sale: str, cancelled: str) -> None:
    await page.goto(f"{s.base_url}/staff/today")
    await expect(page.locator(f"#today li[data-ref='{card_sale}']")).to_have_attribute(
        "data-state", "sale"
    )
    await expect(page.locator(f"#today li[data-ref='{cancelled}']")).to_have_attribute(
        "data-state", "sale_cancelled"
    )
    totals = page.locator("#today-totals")
    await expect(totals.locator("tr[data-method='card']")).to_have_attribute("data-net", "7000")
    await expect(totals.locator("tr[data-method='cash']")).to_have_attribute("data-net", "0")
    await expect(totals.locator("#fig-cancels")).to_have_attribute("data-yen", "3000")
    await check_page(page, "today-with-sales")
    await page.click("#close-link")
    close = page.locator("#day-close")
    await expect(close).to_have_attribute("data-day", "2026-11-24")
    await expect(close.locator("tr[data-method='total']")).to_have_attribute("data-net", "7000")
    await expect(close.locator("#fig-drawer")).to_have_attribute("data-yen", "0")
    await expect(page.locator("#print")).to_be_visible()
    await check_page(page, "day-close")
    await page.emulate_media(media="print")
    await expect(page.locator("#print")).to_be_hidden()  # the print stylesheet drops the buttons
    await page.emulate_media(media="screen")
    await page.fill("#day", "2026-11-23")
    await page.click("#show-day")
    await expect(close).to_have_attribute("data-day", "2026-11-23")
    await expect(close.locator("tr[data-method='total']")).to_have_attribute("data-net", "0")
    await check_page(page, "day-close-earlier")
    await page.goto(f"{s.base_url}/staff/close?day=24-11-2026")
    bad_day = page.locator("[data-code='request.invalid_date']")
    await expect(bad_day).to_contain_text("日付が正しくありません")
    await check_page(page, "day-close-bad-day")
    await page.goto(f"{s.base_url}/staff/close?day=2099-01-01")
    await expect(page.locator("[data-code='request.date_in_future']")).to_contain_text(
        "まだ来ていない日です"
    )
    await check_page(page, "day-close-future-day")


async def test_selling_showing_again_cancelling_and_closing_the_day(tmp_path: Path) -> None:
    async with shop(tmp_path / "node", FakeClock(), None) as s, chromium() as browser:
        staff, customer = await phone(browser), await phone(browser)
        await sign_in_with_password(staff, s.base_url, "staff", "yamada", STAFF_PASSWORD)
        card_sale, link = await _sell_keyed_by_card(staff, s)
        await _show_again(staff, customer, s, card_sale, link)
        cancelled = await _sell_and_cancel_cash(staff, customer, s)
        await _the_day(staff, s, card_sale, cancelled)
        ledger = await s.call("GET", "ledger/check")
        assert ledger["ok"] is True and ledger["voucher_balances"] == 7_000


async def test_the_console_shows_the_qr_again_and_cancels_a_sale(tmp_path: Path) -> None:
    async with shop(tmp_path / "node", FakeClock(), None) as s, chromium() as browser:
        staff, admin = await phone(browser), await phone(browser)
        await sign_in_with_password(staff, s.base_url, "staff", "yamada", STAFF_PASSWORD)
        await staff.goto(f"{s.base_url}/staff/sell")
        await staff.click("#products button[data-face='5000']")
        await staff.click("#sell")
        voucher_id = str(await staff.locator("#sold").get_attribute("data-voucher"))
        await sign_in_with_password(admin, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await admin.goto(f"{s.base_url}/admin/vouchers/{voucher_id}")
        await expect(admin.locator("#sale-method")).to_have_text("現金")
        await expect(admin.locator("#sale-sold-by")).to_have_text("yamada")
        await check_page(admin, "console-voucher-sale")
        await admin.click("#show-handover")
        await expect(admin.locator("#handover-qr svg")).to_be_visible()
        await expect(admin.locator("#sold-face")).to_have_text("¥5,000")
        await check_page(admin, "console-handover-again")
        await admin.click("#back-to-voucher")
        await admin.click("#cancel-sale")
        await expect(admin.locator("#refund-amount")).to_have_text("¥5,000")
        await expect(admin.locator("#refund-method")).to_have_text("現金")
        await check_page(admin, "console-sale-cancel-confirm")
        await admin.click("#confirm-cancel")
        await expect(admin.locator("#notice")).to_contain_text("販売を取り消しました")
        await expect(admin.locator("#status")).to_contain_text("無効")
        await expect(admin.locator("#counter-sale")).to_have_attribute("data-cancelled", "yes")
        await expect(admin.locator("#show-handover")).to_have_count(0)
        await expect(admin.locator("#cancel-sale")).to_have_count(0)
        await expect(admin.locator("#history tr[data-kind='sale_cancel']")).to_have_count(1)
        await check_page(admin, "console-sale-cancelled")
        ledger = await s.call("GET", "ledger/check")
        assert ledger["ok"] is True and ledger["voucher_balances"] == 0


async def test_a_voucher_the_customer_received_cannot_be_cancelled(tmp_path: Path) -> None:
    """Issue 15 review: once the customer holds it (its code may have been used at a partner's
    store), the cancel's confirm step shows the refusal in Japanese instead of the button."""
    async with (
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", FakeClock(), smtp_port) as s,
        chromium() as browser,
    ):
        staff, customer = await phone(browser), await phone(browser)
        await sign_in_with_password(staff, s.base_url, "staff", "yamada", STAFF_PASSWORD)
        await staff.goto(f"{s.base_url}/staff/sell")
        await staff.click("#products button[data-face='5000']")
        await staff.click("#sell")
        link = str(await staff.locator("#handover-link").get_attribute("href"))
        await customer.goto(link)
        await customer.click("#sign-in-to-receive")
        await sign_in_by_link(customer, inbox, "hanako@example.jp")
        await customer.click("#receive")
        await expect(customer.locator("#balance")).to_have_text("¥5,000")
        await staff.click("#cancel-this")
        await expect(staff.locator("#refund-amount")).to_have_text("¥5,000")
        await expect(staff.locator("#cancel-sale-page")).to_contain_text("すでに受け取っている")
        await expect(staff.locator("#confirm-cancel")).to_have_count(0)
        await check_page(staff, "sale-cancel-received")
        # 本日の利用 offers no cancel for it: the line says the customer has it.
        await staff.goto(f"{s.base_url}/staff/today")
        line = staff.locator("#today li[data-state='sale_received']")
        await expect(line).to_contain_text("受取済み")
        await expect(line.locator("a.cancel-sale")).to_have_count(0)
        ledger = await s.call("GET", "ledger/check")
        assert ledger["ok"] is True and ledger["voucher_balances"] == 5_000
