"""The amount keypad (templates/_keypad.html, static/keypad.js) in Chromium at 375 px.

On the counter's page: the keys drive a large ¥ display and the form field, the field never takes
the phone's keyboard (readonly, inputmode="none"), ⌫ and C work, the configured maximum refuses a
key that would pass it, and a hardware keyboard (digits, Backspace, Enter) works too. Without
JavaScript the same field is a plain numeric input (covered in test_web_counter_input.py).
"""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import expect

from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.web_flow_helpers import STAFF_PASSWORD, phone, shop, sign_in_with_password

KEYS = "#amount-keypad button[data-key='{}']"


async def test_the_keypad_drives_a_yen_display_without_the_phones_keyboard(
    tmp_path: Path,
) -> None:
    async with shop(tmp_path / "node", FakeClock(), None) as s, chromium() as browser:
        page = await phone(browser)
        await sign_in_with_password(page, s.base_url, "staff", "yamada", STAFF_PASSWORD)
        field, display = page.locator("#amount"), page.locator("#amount-display")
        await expect(page.locator("#amount-keypad[data-keypad-ready]")).to_have_count(1)
        # The field cannot summon the phone's keyboard: hidden behind the display, readonly, no IME.
        assert await field.get_attribute("inputmode") == "none"
        assert await field.evaluate("f => f.readOnly && f.type === 'hidden'") is True
        await expect(display).to_have_text("¥0")
        for key in ["8", "00", "0"]:
            await page.click(KEYS.format(key))
        await expect(display).to_have_text("¥8,000")
        await expect(field).to_have_value("8000")
        await check_page(page, "keypad-8000")
        await page.click(KEYS.format("back"))
        await expect(display).to_have_text("¥800")
        await page.click(KEYS.format("clear"))
        await expect(display).to_have_text("¥0")
        await expect(field).to_have_value("")
        # The maximum is the node's largest voucher: a key that would pass it is refused.
        limit = int(await page.locator("#amount-keypad").get_attribute("data-max") or "0")
        for digit in str(limit):
            await page.click(KEYS.format(digit))
        await expect(field).to_have_value(str(limit))
        await page.click(KEYS.format("0"))
        await expect(field).to_have_value(str(limit))
        await expect(display).to_contain_text("上限を超えています")
        await check_page(page, "keypad-over-limit")
        await page.click(KEYS.format("clear"))
        # A hardware keyboard: digits, Backspace, and Enter submits the form.
        await display.focus()
        await page.keyboard.type("12345")
        await page.keyboard.press("Backspace")
        await expect(display).to_have_text("¥1,234")
        await expect(field).to_have_value("1234")
        # Submitting with no amount is stopped on the page, said in the display.
        await page.click(KEYS.format("clear"))
        await page.fill("#code", "123456789012345678")
        await page.click("#continue")
        await expect(display).to_contain_text("金額を入力してください")
        assert page.url.endswith("/staff")
        # Each key is a 44 px target at least (check_page checks every target; this names them).
        for box in await page.locator("#amount-keypad button").evaluate_all(
            "bs => bs.map(b => [b.offsetWidth, b.offsetHeight])"
        ):
            assert min(box) >= 44, box
