"""The live wallet in Chromium on a 375-px phone (issue 15, item 4), against a real node.

- live payment confirmation: the customer's voucher page is open; the counter redeems the very
  code on the screen (by the API, as the counter page does); without a reload the page turns to
  支払い完了 ¥8,000 / 残高 ¥2,000 ✓ and takes the used code off the screen; closing it shows a
  fresh code with its countdown;
- offline (Playwright's set_offline) and signed out (signed out in another tab, then back to
  the page): the QR and the 18-digit code are gone and the page says what to do;
- suspended by head office while the page is open: the code goes without a reload; resumed,
  a fresh code comes back;
- gifting on its own screen: keypad, confirm (amount, what remains), share (LINE link, copy);
  the pending gift's link shown again, taken back through a confirm step (the value returns, the
  link says the gift was taken back); a gift received meanwhile cannot be taken back;
- history newest first with signed amounts (a real minus sign before ¥8,000; +¥1,500), with store;
- the header shows the registered name (山田太郎), not the email's local part.
Every state reached is checked by check_page at 375 and 1366 px.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Page, expect

from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.web_flow_helpers import Inbox, Shop, phone, shop, sign_in_by_link, smtp_inbox

MINUS = "\u2212"
MANUAL_CODE = re.compile(r"^\d{4} \d{4} \d{4} \d{6}$")
SECONDS = re.compile(r"^\d+$")


async def _customer_with_voucher(s: Shop, name: str, email: str) -> str:
    customer = await s.call("POST", "customers", {"name": name, "email": email})
    voucher = await s.call(
        "POST", "vouchers", {"amount": 10_000, "customer_id": customer["customer_id"]}
    )
    return str(voucher["voucher_id"])


async def _open_voucher(page: Page, s: Shop, inbox: Inbox, email: str, voucher_id: str) -> None:
    await page.goto(f"{s.base_url}/wallet/login?next=/wallet/v/{voucher_id}")
    await sign_in_by_link(page, inbox, email)
    await expect(page.locator("#voucher")).to_have_attribute("data-voucher", voucher_id)
    await expect(page.locator("#qr svg")).to_be_visible()


async def _shown_payload(page: Page) -> str:
    await expect(page.locator("#qr svg")).to_be_visible()
    payload = await page.locator("#qr").get_attribute("data-payload")
    assert payload and payload.startswith("KIPPU1:")
    return payload


async def _code_is_hidden(page: Page) -> None:
    await expect(page.locator("#qr svg")).to_have_count(0)
    await expect(page.locator("#code-box")).to_be_hidden()
    await expect(page.locator("#manual-code")).to_have_text("—")


async def test_the_open_page_shows_the_payment_at_once(tmp_path: Path) -> None:
    clock = FakeClock()
    async with (
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", clock, smtp_port) as s,
        chromium() as browser,
    ):
        voucher_id = await _customer_with_voucher(s, "山田太郎", "taro@example.jp")
        page = await phone(browser)
        await _open_voucher(page, s, inbox, "taro@example.jp", voucher_id)
        await expect(page.locator("header .who")).to_have_text("山田太郎")
        await expect(page.locator("#countdown-s")).to_have_text(SECONDS)
        await expect(page.locator("#manual-code")).to_have_text(MANUAL_CODE)
        await check_page(page, "wallet-live-qr")

        # The counter redeems the code on the screen; the page is not reloaded.
        used = await _shown_payload(page)
        await s.call(
            "POST", "redemptions", {"payload": used, "amount": 8_000, "store_id": s.store_id}
        )
        await expect(page.locator("#paid")).to_be_visible()
        await expect(page.locator("#paid-title")).to_have_text("支払い完了")
        await expect(page.locator("#paid-amount")).to_have_text("¥8,000")
        await expect(page.locator("#paid-balance")).to_have_text("¥2,000")
        await expect(page.locator("#balance")).to_have_text("¥2,000")
        await _code_is_hidden(page)  # the used code is dead: off the screen
        await check_page(page, "wallet-live-paid")
        await page.click("#paid-close")
        await expect(page.locator("#paid")).to_be_hidden()
        assert await _shown_payload(page) != used  # a fresh code, with its countdown
        await expect(page.locator("#countdown-s")).to_have_text(SECONDS)


async def test_offline_and_signed_out_states_hide_the_code(tmp_path: Path) -> None:
    """A separate node and browser from the payment's: each journey is short on its own."""
    clock = FakeClock()
    async with (
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", clock, smtp_port) as s,
        chromium() as browser,
    ):
        voucher_id = await _customer_with_voucher(s, "山田太郎", "taro@example.jp")
        page = await phone(browser)
        await _open_voucher(page, s, inbox, "taro@example.jp", voucher_id)
        used = await _shown_payload(page)
        redeemed = await s.call(
            "POST", "redemptions", {"payload": used, "amount": 8_000, "store_id": s.store_id}
        )
        await expect(page.locator("#paid")).to_be_visible()
        await page.click("#paid-close")
        await _shown_payload(page)

        # Offline: no stale code; back online: a fresh one.
        await page.context.set_offline(True)
        await expect(page.locator("#offline")).to_be_visible()
        await _code_is_hidden(page)
        await check_page(page, "wallet-live-offline")
        await page.context.set_offline(False)
        await expect(page.locator("#offline")).to_be_hidden()
        await _shown_payload(page)

        # The receipt page names the customer as the shop registered them, like every wallet page.
        receipt = await page.context.new_page()
        await receipt.goto(f"{s.base_url}/wallet/receipts/{redeemed['redemption_id']}")
        await expect(receipt.locator("header .who")).to_have_text("山田太郎")
        await check_page(receipt, "wallet-receipt-named")
        await receipt.close()

        # Signed out in another tab; back on this one, the page says to sign in again.
        other = await page.context.new_page()
        await other.goto(f"{s.base_url}/wallet")
        await other.click("header form button")
        # Closed only once signed out: a page closed while its form's navigation is under way
        # can hang Chromium's close for good (seen once in about fifteen runs).
        await expect(other).to_have_url(re.compile(r"/wallet/login$"))
        await other.close()
        await page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
        await expect(page.locator("#signed-out")).to_be_visible()
        await _code_is_hidden(page)
        await expect(page.locator("#sign-in-again")).to_have_attribute(
            "href", f"/wallet/login?next=/wallet/v/{voucher_id}"
        )
        await check_page(page, "wallet-live-signed-out")


async def test_a_suspension_takes_the_code_off_the_open_page_and_a_resumption_back(
    tmp_path: Path,
) -> None:
    """Head office suspends the voucher (a lost phone) while its page is open: the code goes at
    once, without a reload; resumed, a fresh code comes back."""
    clock = FakeClock()
    async with (
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", clock, smtp_port) as s,
        chromium() as browser,
    ):
        voucher_id = await _customer_with_voucher(s, "山田太郎", "taro@example.jp")
        page = await phone(browser)
        await _open_voucher(page, s, inbox, "taro@example.jp", voucher_id)
        shown = await _shown_payload(page)
        await s.call("POST", f"vouchers/{voucher_id}/suspend", {"reason": "スマホ紛失の連絡"})
        await expect(page.locator("#not-usable")).to_be_visible()
        await _code_is_hidden(page)
        await check_page(page, "wallet-live-suspended")
        await s.call("POST", f"vouchers/{voucher_id}/resume", {"reason": "見つかった"})
        await expect(page.locator("#not-usable")).to_be_hidden()
        assert await _shown_payload(page) != shown
        await expect(page.locator("#manual-code")).to_have_text(MANUAL_CODE)


async def test_gift_confirm_share_take_back_and_history(tmp_path: Path) -> None:
    clock = FakeClock()
    async with (
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", clock, smtp_port) as s,
        chromium() as browser,
    ):
        voucher_id = await _customer_with_voucher(s, "山田太郎", "taro@example.jp")
        page = await phone(browser)
        await _open_voucher(page, s, inbox, "taro@example.jp", voucher_id)
        payload = await _shown_payload(page)
        await s.call(
            "POST", "redemptions", {"payload": payload, "amount": 8_000, "store_id": s.store_id}
        )
        await expect(page.locator("#paid")).to_be_visible()
        await page.click("#paid-close")

        # The gift has its own screen: the keypad, then a confirm step.
        clock.advance(minutes=5)
        await expect(page.locator("#qr #gift")).to_have_count(0)
        await page.click("#gift")
        await expect(page.locator("#gift-balance")).to_have_text("¥2,000")
        await check_page(page, "wallet-gift-amount")
        for key in "1500":
            await page.click(f"#amount-keypad button[data-key='{key}']")
        await expect(page.locator("#amount-display")).to_have_text("¥1,500")
        await page.click("#gift-next")
        await expect(page.locator("#confirm-gift")).to_have_text("¥1,500")
        await expect(page.locator("#confirm-remains")).to_have_text("¥500")
        await check_page(page, "wallet-gift-confirm")
        await page.click("#give")
        await expect(page.locator("#gift-face")).to_have_text("¥1,500")
        link = str(await page.locator("#gift-link").get_attribute("href"))
        line = str(await page.locator("#share-line").get_attribute("href"))
        assert line.startswith("https://line.me/R/share?text=") and "%2Ftake%2F" in line
        await page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        await page.click("#copy-link")
        await expect(page.locator("#copy-link")).to_have_text("コピーしました")
        assert await page.evaluate("navigator.clipboard.readText()") == link
        await check_page(page, "wallet-gift-share")

        # Pending gifts: shown again, then taken back through a confirm step.
        await page.goto(f"{s.base_url}/wallet/gifts")
        await expect(page.locator("#gifts .gift-row")).to_have_count(1)
        await check_page(page, "wallet-gifts")
        await page.click("#gifts .show-link")
        await expect(page.locator("#gift-link")).to_have_attribute("href", link)
        await page.click("#take-back")
        await expect(page.locator("#return-amount")).to_have_text("¥1,500")
        await check_page(page, "wallet-gift-take-back")
        clock.advance(minutes=5)
        await page.click("#confirm-take-back")
        await expect(page.locator("#returned-balance")).to_have_text("¥2,000")
        await check_page(page, "wallet-gift-returned")
        await page.goto(f"{s.base_url}/wallet/gifts")
        await expect(page.locator("#no-gifts")).to_be_visible()

        # The link now says the gift was taken back.
        friend = await phone(browser)
        await friend.goto(link)
        await expect(friend.locator("section.take")).to_have_attribute("data-state", "withdrawn")
        await check_page(friend, "wallet-gift-link-withdrawn")

        # A second gift, received before the giver's take-back lands: refused, nothing moves.
        clock.advance(minutes=5)
        await page.goto(f"{s.base_url}/wallet/v/{voucher_id}/gift")
        await page.click("#gift-all")
        await expect(page.locator("#confirm-remains")).to_have_text("¥0")
        await page.click("#give")
        second = str(await page.locator("#gift-link").get_attribute("href"))
        await page.click("#take-back")  # the confirm step is open on the giver's phone ...
        await friend.goto(second)  # ... while the friend receives it
        await friend.click("#sign-in-to-receive")
        await sign_in_by_link(friend, inbox, "hanako@example.jp")
        await friend.click("#receive")
        await expect(friend.locator("#balance")).to_have_text("¥2,000")
        await page.click("#confirm-take-back")
        await expect(
            page.locator(".alert[data-code='voucher.gift_already_received']")
        ).to_be_visible()
        await check_page(page, "wallet-gift-take-back-refused")

        # History: newest first, amounts signed as people write them, with the store.
        await page.goto(f"{s.base_url}/wallet/v/{voucher_id}")
        amounts = await page.locator("#history li .amount").all_text_contents()
        assert amounts == [
            f"{MINUS}¥2,000",  # the second gift
            "+¥1,500",  # the first gift taken back
            f"{MINUS}¥1,500",  # the first gift
            f"{MINUS}¥8,000",  # the payment at 渋谷店
            "+¥10,000",  # the purchase
        ]
        await expect(page.locator("#history li.redemption .place")).to_have_text("渋谷店")
        await check_page(page, "wallet-history")
