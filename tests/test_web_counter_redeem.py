"""The counter the Airレジ way (issue 15, item 2), in Chromium at 375 px against a real node.

Each journey checks every page state it reaches with check_page (language, axe-core, 44 px
targets, screenshots at 375 and 1366 px):
- redeem ¥8,000 on the keypad: the full-screen ✓, 次の利用 as the one big button, void away
  from it and only through a confirm step that restates amount, voucher and receipt number;
- a balance lower than the sale: 利用する blocked, then 全額利用と差額 with the rest on the card
  terminal, recorded, on the result, in 本日の利用 and in the API's answer;
- a refused code shown inline in Japanese with the typed amount kept; a refusal at the last tap
  (the balance went down meanwhile) as the full-screen ✗, with やり直す keeping the amount;
- a session that expires mid-sale: nothing done, said so, amount kept; and a sale that went
  through before the session expired, said so with its receipt number.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.async_api import Page, expect

from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.web_flow_helpers import STAFF_PASSWORD, Shop, phone, shop, sign_in_with_password

KEY = "#amount-keypad button[data-key='{}']"
TOKYO = ZoneInfo("Asia/Tokyo")


async def voucher_with_code(s: Shop, face: int) -> tuple[str, str]:
    """A new voucher of `face` yen and a fresh QR payload for it (as the scanner reads it)."""
    voucher = await s.call("POST", "vouchers", {"amount": face})
    code = await s.call("GET", f"vouchers/{voucher['voucher_id']}/code")
    return str(voucher["voucher_id"]), str(code["payload"])


async def key_in(page: Page, code: str, amount: str) -> None:
    """At the counter's form: the code as scanned, the amount on the keypad, then 確認へ."""
    await page.fill("#code", code)
    await page.click(KEY.format("clear"))
    for digit in amount:
        await page.click(KEY.format(digit))
    await expect(page.locator("#amount-display")).to_have_text(f"¥{int(amount):,}")
    await page.click("#continue")


async def balance(s: Shop, voucher_id: str) -> int:
    return int(str((await s.call("GET", f"vouchers/{voucher_id}"))["balance"]))


async def ledger_ok(s: Shop) -> None:
    assert (await s.call("GET", "ledger/check"))["ok"] is True


async def test_redeem_on_the_keypad_then_void_through_its_confirm_step(tmp_path: Path) -> None:
    async with shop(tmp_path / "node", FakeClock(), None) as s, chromium() as browser:
        voucher_id, code = await voucher_with_code(s, 10_000)
        page = await phone(browser)
        await sign_in_with_password(page, s.base_url, "staff", "yamada", STAFF_PASSWORD)
        assert await page.locator("#code").get_attribute("inputmode") == "numeric"
        await check_page(page, "counter-entry")
        await key_in(page, code, "8000")
        await expect(page.locator("#confirm-amount")).to_have_text("¥8,000")
        await expect(page.locator("#confirm-balance-after")).to_have_text("¥2,000")
        await check_page(page, "counter-confirm")
        await page.click("#redeem")

        result = page.locator("#result")
        await expect(result).to_have_attribute("data-outcome", "accepted")
        await expect(result).to_have_class("result-screen ok")
        await expect(result).to_have_attribute("role", "status")
        await expect(page.locator(".result-icon")).to_have_text("✓")
        await expect(page.locator("#result-title")).to_be_focused()  # read out at once
        await expect(result).to_have_attribute("data-vibrated", "1")  # Chromium has vibrate()
        await expect(page.locator("#done-balance")).to_have_text("¥2,000")
        receipt_no = await page.locator("#receipt-no").inner_text()
        # 次の利用 is the one big button inside the result; void is outside it, well below.
        await expect(result.locator("#next-redemption")).to_be_visible()
        assert await result.locator("#void").count() == 0
        next_box = await page.locator("#next-redemption").bounding_box()
        void_box = await page.locator("#void").bounding_box()
        assert next_box and void_box and void_box["y"] - (next_box["y"] + next_box["height"]) >= 40
        assert next_box["height"] > void_box["height"]
        await check_page(page, "counter-done")

        await page.click("#void")
        await expect(page.locator("h1")).to_have_text("この利用を取り消しますか？")
        await expect(page.locator("#void-amount")).to_have_text("¥8,000")
        await expect(page.locator("#void-receipt")).to_have_text(receipt_no)
        await expect(page.locator("#void-voucher")).to_have_text(f"**** **** {voucher_id[-4:]}")
        await expect(page.locator("main")).not_to_contain_text("利用金額")
        await check_page(page, "counter-void-confirm")
        assert await balance(s, voucher_id) == 2_000  # the confirm step changed nothing
        await page.click("#void-confirm-button")
        await expect(page.locator("#result")).to_have_attribute("data-outcome", "voided")
        await expect(page.locator("#voided-amount")).to_have_text("¥8,000")
        await expect(page.locator("#voided-balance")).to_have_text("¥10,000")
        await expect(page.locator("main")).to_contain_text("取り消した金額")
        await expect(page.locator("main")).not_to_contain_text("利用金額")
        await check_page(page, "counter-voided")
        assert await balance(s, voucher_id) == 10_000
        await ledger_ok(s)


async def test_a_short_balance_is_blocked_then_paid_with_the_rest_on_the_card(
    tmp_path: Path,
) -> None:
    async with shop(tmp_path / "node", FakeClock(), None) as s, chromium() as browser:
        voucher_id, code = await voucher_with_code(s, 5_000)
        page = await phone(browser)
        await sign_in_with_password(page, s.base_url, "staff", "yamada", STAFF_PASSWORD)
        await key_in(page, code, "8000")
        await expect(page.locator("#confirm-shortfall")).to_have_text("¥3,000")
        await expect(page.locator("#redeem")).to_be_disabled()
        await expect(page.locator("#short")).to_contain_text("残高が足りません")
        await expect(page.locator("#split-voucher")).to_have_text("¥5,000")
        await expect(page.locator("#split-rest")).to_have_text("¥3,000")
        await check_page(page, "counter-confirm-short")
        assert await balance(s, voucher_id) == 5_000

        await page.click("label:has(#method-card)")
        await page.click("#split-redeem")
        await expect(page.locator("#result")).to_have_attribute("data-outcome", "accepted")
        await expect(page.locator("#done-amount")).to_have_text("¥5,000")
        await expect(page.locator("#done-rest")).to_have_text("¥3,000")
        await expect(page.locator("#done-rest")).to_have_attribute("data-method", "card")
        await expect(page.locator("#done-total")).to_have_text("¥8,000")
        await expect(page.locator("#done-balance")).to_have_text("¥0")
        await expect(page.locator("#take-rest")).to_contain_text("カード端末")
        await check_page(page, "counter-done-split")
        void_href = await page.locator("#void").get_attribute("href")
        assert void_href
        redemption_id = void_href.rsplit("/", 1)[1]

        # The voucher moved its whole balance, no more; the rest is a record beside it.
        assert await balance(s, voucher_id) == 0
        answer = await s.call("GET", f"redemptions/{redemption_id}")
        assert (answer["amount"], answer["rest"]) == (5_000, {"amount": 3_000, "method": "card"})
        await ledger_ok(s)

        await page.goto(f"{s.base_url}/staff/today")
        line = page.locator(f"li[data-ref='{redemption_id}']")
        await expect(line.locator(".rest")).to_have_attribute("data-method", "card")
        await expect(line.locator(".rest")).to_contain_text("¥3,000")
        await check_page(page, "counter-today-split")
        # 取り消す is a 44 px button leading to the confirm step, which says to give the rest back.
        await line.locator("a[data-void]").click()
        await expect(page.locator("#void-rest-note")).to_contain_text("¥3,000")
        await check_page(page, "counter-void-confirm-split")


async def test_a_refused_code_inline_and_a_refusal_at_the_last_tap_full_screen(
    tmp_path: Path,
) -> None:
    async with shop(tmp_path / "node", FakeClock(), None) as s, chromium() as browser:
        voucher_id, code = await voucher_with_code(s, 3_000)
        manual = str((await s.call("GET", f"vouchers/{voucher_id}/code"))["manual_code"])
        page = await phone(browser)
        await sign_in_with_password(page, s.base_url, "staff", "yamada", STAFF_PASSWORD)
        wrong = manual[:12] + f"{(int(manual[12:]) + 1) % 1_000_000:06d}"
        await key_in(page, wrong, "1200")
        alert = page.locator("p.alert[data-code]")
        await expect(alert).to_be_visible()
        assert await alert.get_attribute("data-code") in ("voucher.code_invalid",)
        await expect(page.locator("#amount-display")).to_have_text("¥1,200")  # kept
        await expect(page.locator("#code")).to_have_value(wrong)
        await check_page(page, "counter-code-refused")

        # The balance goes down between the confirm step and the tap: the full-screen ✗.
        await page.fill("#code", code)
        await page.click("#continue")
        await expect(page.locator("#confirm-amount")).to_have_text("¥1,200")
        other = await s.call("GET", f"vouchers/{voucher_id}/code")
        body = {"payload": other["payload"], "amount": 2_500, "store_id": s.store_id}
        await s.call("POST", "redemptions", body)
        await page.click("#redeem")
        result = page.locator("#result")
        await expect(result).to_have_attribute("data-outcome", "refused")
        await expect(result).to_have_class("result-screen ng")
        await expect(result).to_have_attribute("role", "alert")
        await expect(page.locator(".result-icon")).to_have_text("✗")
        await expect(page.locator("#refusal")).to_have_attribute(
            "data-code", "ledger.insufficient_balance"
        )
        await expect(page.locator("#refusal")).to_contain_text("残高")
        await expect(page.locator("#refused-amount")).to_have_text("¥1,200")
        await check_page(page, "counter-refused")
        await page.click("#retry")
        await expect(page.locator("#amount-display")).to_have_text("¥1,200")
        await expect(page.locator("#code")).to_have_value(code)  # not the code's fault: kept
        await check_page(page, "counter-retry")
        assert await balance(s, voucher_id) == 500
        await ledger_ok(s)


async def test_a_session_that_expires_mid_sale_comes_back_with_the_outcome(
    tmp_path: Path,
) -> None:
    clock = FakeClock()
    async with shop(tmp_path / "node", clock, None) as s, chromium() as browser:
        voucher_id, code = await voucher_with_code(s, 10_000)
        page = await phone(browser)
        await sign_in_with_password(page, s.base_url, "staff", "yamada", STAFF_PASSWORD)
        # 1. Nothing was done: the confirm step's 利用する after the session ended.
        await key_in(page, code, "8000")
        clock.advance(hours=13)  # past web.session_hours (12)
        await page.click("#redeem")
        await expect(page).to_have_url(f"{s.base_url}/staff/login?expired=1&next=/staff/resume")
        await check_page(page, "counter-session-expired")
        await page.fill("input[name=login]", "yamada")
        await page.fill("input[name=password]", STAFF_PASSWORD)
        await page.click("button[type=submit]")
        await expect(page.locator("#resumed")).to_have_attribute("data-resumed", "not_done")
        await expect(page.locator("#resumed")).to_contain_text("行われていません")
        await expect(page.locator("#amount-display")).to_have_text("¥8,000")
        await check_page(page, "counter-resumed-not-done")
        assert await balance(s, voucher_id) == 10_000

        # 2. It went through: the same code tapped twice, the second after the session ended.
        fresh = str((await s.call("GET", f"vouchers/{voucher_id}/code"))["payload"])
        await key_in(page, fresh, "3000")
        second = await page.context.new_page()
        await second.goto(f"{s.base_url}/staff")
        await key_in(second, fresh, "3000")
        await page.click("#redeem")
        receipt_no = await page.locator("#receipt-no").inner_text()
        clock.advance(hours=13)
        await second.click("#redeem")
        await second.fill("input[name=login]", "yamada")
        await second.fill("input[name=password]", STAFF_PASSWORD)
        await second.click("button[type=submit]")
        await expect(second.locator("#resumed")).to_have_attribute("data-resumed", "done")
        await expect(second.locator("#result")).to_have_attribute("data-outcome", "accepted")
        await expect(second.locator("#receipt-no")).to_have_text(receipt_no)
        await expect(second.locator("#done-amount")).to_have_text("¥3,000")
        await check_page(second, "counter-resumed-done")
        assert await balance(s, voucher_id) == 7_000  # once, not twice

        # Midnight has passed since: the void's day is over, and its confirm step says so.
        await second.click("#void")
        await expect(second.locator("#void-closed")).to_contain_text("当日")
        assert await second.locator("#void-confirm-button").count() == 0
        await check_page(second, "counter-void-closed")

        # 3. A void's confirm step tapped after the session ended (the same day): not voided,
        # asked again, then voided.
        clock.set(datetime(2026, 11, 26, 0, 5, tzinfo=TOKYO))
        await sign_in_with_password(second, s.base_url, "staff", "yamada", STAFF_PASSWORD)
        code = str((await s.call("GET", f"vouchers/{voucher_id}/code"))["payload"])
        await key_in(second, code, "2000")
        await second.click("#redeem")
        receipt_no = await second.locator("#receipt-no").inner_text()
        await second.click("#void")
        await expect(second.locator("#void-receipt")).to_have_text(receipt_no)
        clock.advance(hours=12, minutes=1)
        await second.click("#void-confirm-button")
        await second.fill("input[name=login]", "yamada")
        await second.fill("input[name=password]", STAFF_PASSWORD)
        await second.click("button[type=submit]")
        await expect(second.locator("#resumed")).to_have_attribute("data-resumed", "void_not_done")
        await expect(second.locator("#void-receipt")).to_have_text(receipt_no)
        await expect(second.locator("#void-amount")).to_have_text("¥2,000")
        await check_page(second, "counter-resumed-void-not-done")
        assert await balance(s, voucher_id) == 5_000
        await second.click("#void-confirm-button")
        await expect(second.locator("#result")).to_have_attribute("data-outcome", "voided")
        assert await balance(s, voucher_id) == 7_000
        await ledger_ok(s)
