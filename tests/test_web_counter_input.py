"""The counter's code throttle and typed amounts (issue 13, items 12 and 8), over real HTTP.

A shared staff login must never be throttled by its own valid codes, however many are in flight;
an amount such as `²` or `①` is a clear request.invalid_amount that burns no code attempt.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from playwright.async_api import expect

from tests.browser import chromium
from tests.conftest import AsyncNode, FakeClock, ok
from tests.test_web_flow import STAFF_PASSWORD, shop
from tests.web_flow_helpers import PHONE, sign_in_with_password
from tests.web_helpers import (
    PASSWORD,
    REDEMPTION,
    add_store,
    at_the_counter,
    balance,
    browsers,
    counter,
    customer_signs_in,
    customer_with_voucher,
    fresh_code,
    wrong_codes,
)

PARALLEL = 30  # three times the wrong-code limit
# Characters Python's int() or str.isdigit() take as digits, none of them 0-9.
NOT_DIGITS = ["²", "①", "٣", "५००", "𝟓𝟎𝟎", "⑤⓪⓪", "¹⁰⁰", "1²"]


async def test_parallel_valid_codes_on_one_shared_login_are_never_throttled(
    anode: AsyncNode,
) -> None:
    store_id = await add_store(anode, "本店")
    vouchers = [
        str((await ok(anode, "POST", "vouchers", {"amount": 5_000}))["voucher_id"])
        for _ in range(PARALLEL)
    ]
    async with browsers(anode) as new:
        first = await counter(anode, new, "register", [store_id])
        # The same login on three tablets.
        tablets = [first]
        for _ in range(2):
            tablet = new()
            assert (await tablet.sign_in("/staff/login", "register", PASSWORD)).status == 303
            tablets.append(tablet)
        codes = [(await fresh_code(anode, v))["payload"] for v in vouchers]
        answers = await asyncio.gather(
            *(
                tablets[n % 3].signed_post("/staff/redeem", {"code": code, "amount": "500"})
                for n, code in enumerate(codes)
            )
        )
        assert [a.code for a in answers] == [""] * PARALLEL
        assert all(REDEMPTION.search(a.text) for a in answers)
        for voucher_id in vouchers:
            assert await balance(anode, voucher_id) == 4_500
        # Wrong codes still count: ten, then a pause, for every tablet of the login.
        right = (await fresh_code(anode, vouchers[0]))["manual_code"]
        for code in wrong_codes(right, 10):
            wrong = await tablets[1].signed_post("/staff/redeem", {"code": code, "amount": "5"})
            assert wrong.code == "voucher.code_invalid"
        paused = await tablets[2].signed_post("/staff/redeem", {"code": right, "amount": "5"})
        assert (paused.status, paused.code) == (429, "auth.throttled")


async def test_unicode_digits_in_an_amount_are_refused_and_burn_no_attempt(
    anode: AsyncNode,
) -> None:
    async with browsers(anode) as new:
        staff, voucher_id, right = await at_the_counter(anode, new)
        for step in ("/staff/confirm", "/staff/redeem"):
            for amount in NOT_DIGITS * 2:  # 16 tries per step, beyond the 10 wrong codes allowed
                answer = await staff.signed_post(step, {"code": right, "amount": amount})
                assert (answer.status, answer.code) == (400, "request.invalid_amount"), amount
                assert "金額は1円以上の整数で入力してください" in answer.text  # Japanese by default
        assert await balance(anode, voucher_id) == 10_000
        # No attempt was burned: the right code still goes through, in full-width digits too.
        done = await staff.signed_post("/staff/redeem", {"code": right, "amount": "１，０００"})
        assert done.status == 200 and REDEMPTION.search(done.text), done.code
        assert await balance(anode, voucher_id) == 9_000
        await staff.get("/lang/en")
        english = await staff.signed_post("/staff/sell", {"face": "①"})
        assert (english.status, english.code) == (400, "request.invalid_amount")
        assert "The amount must be a whole number of yen, at least 1" in english.text


async def test_a_gift_amount_in_other_digits_is_a_clear_error(
    anode: AsyncNode, caplog: pytest.LogCaptureFixture
) -> None:
    voucher_id = await customer_with_voucher(anode, "hanako@example.jp")
    async with browsers(anode) as new:
        hanako = await customer_signs_in(new(), "hanako@example.jp", caplog)
        for amount in NOT_DIGITS:
            answer = await hanako.signed_post(f"/wallet/v/{voucher_id}/gift", {"amount": amount})
            assert (answer.status, answer.code) == (400, "request.invalid_amount"), amount
        assert await balance(anode, voucher_id) == 10_000


async def test_full_width_digits_go_through_and_a_superscript_is_refused_in_chromium(
    tmp_path: Path,
) -> None:
    async with shop(tmp_path / "node", FakeClock(), None) as s:
        voucher = await s.call("POST", "vouchers", {"amount": 5000})
        code = await s.call("GET", f"vouchers/{voucher['voucher_id']}/code")
        async with chromium() as browser:
            # Typing into the amount field is the page without JavaScript (the keypad's
            # progressive enhancement: with it, keypad.js makes the field readonly).
            context = await browser.new_context(
                viewport=PHONE, locale="ja-JP", java_script_enabled=False
            )
            page = await context.new_page()
            await sign_in_with_password(page, s.base_url, "staff", "yamada", STAFF_PASSWORD)
            await page.fill("#code", str(code["manual_code"]))
            # The form's own pattern keeps `²` from being sent ...
            await page.fill("#amount", "²")
            await page.click("#continue")
            assert await page.locator("#amount:invalid").count() == 1
            # ... and a page sending it anyway gets the node's error in Japanese, not a 500.
            await page.evaluate("document.getElementById('amount').removeAttribute('pattern')")
            await page.click("#continue")
            alert = page.locator("p.alert[data-code='request.invalid_amount']")
            await expect(alert).to_contain_text("金額は1円以上の整数で入力してください")
            await page.fill("#amount", "１，２００")  # full-width, as a Japanese IME types it
            await page.click("#continue")
            await expect(page.locator("#confirm-amount")).to_have_text("¥1,200")
            await page.click("#redeem")
            await expect(page.locator("#done-balance")).to_have_text("¥3,800")
        after = await s.call("GET", f"vouchers/{voucher['voucher_id']}")
        assert after["balance"] == 3800
