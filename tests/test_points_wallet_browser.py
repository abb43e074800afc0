"""The membership card and the points page in the wallet (issue 17), in Chromium against a real
node, each state checked by check_page at 375 and 1366 px:

- the card's QR rotates like a voucher's: a new code after the step; the code it showed before
  is refused at the counter as expired (会員証のコードの有効期限が切れています); offline, the code
  is taken off the screen and comes back online;
- points earned on two days expire on two days: the points page lists the soonest first
  (「11月24日に50pt失効予定」, the year written when it is not this year's), in English too
  (`/lang/en`), and the expiry-mail choice is kept;
- the barcode under the card number is the EAN-13 symbol of those 13 digits (decoded here from
  the SVG's bars, by the standard's tables written out independently of node/web/barcode.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Page, expect

from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.test_points_counter_browser import key_amount, shown_card_code
from tests.web_flow_helpers import (
    STAFF_PASSWORD,
    phone,
    shop,
    sign_in_by_link,
    sign_in_with_password,
    smtp_inbox,
)

EMAIL = "taro@example.jp"
# EAN-13 digit patterns (GS1): L (odd parity), G (even parity), R (right half).
L_CODES = {
    "0001101": 0, "0011001": 1, "0010011": 2, "0111101": 3, "0100011": 4,
    "0110001": 5, "0101111": 6, "0111011": 7, "0110111": 8, "0001011": 9,
}  # fmt: skip
G_CODES = {
    "0100111": 0, "0110011": 1, "0011011": 2, "0100001": 3, "0011101": 4,
    "0111001": 5, "0000101": 6, "0010001": 7, "0001001": 8, "0010111": 9,
}  # fmt: skip
R_CODES = {
    "1110010": 0, "1100110": 1, "1101100": 2, "1000010": 3, "1011100": 4,
    "1001110": 5, "1010000": 6, "1000100": 7, "1001000": 8, "1110100": 9,
}  # fmt: skip
FIRST_DIGIT = {
    "LLLLLL": 0, "LLGLGG": 1, "LLGGLG": 2, "LLGGGL": 3, "LGLLGG": 4,
    "LGGLLG": 5, "LGGGLG": 6, "LGLGGL": 7, "LGLGLG": 8, "LGGLGL": 9,
}  # fmt: skip


def decode_ean13(modules: str) -> str:
    """The 13 digits of 95 EAN-13 modules (1 = bar)."""
    assert len(modules) == 95 and modules[:3] == "101" and modules[92:] == "101"
    assert modules[45:50] == "01010"
    left, parity = [], ""
    for i in range(6):
        chunk = modules[3 + 7 * i : 10 + 7 * i]
        if chunk in L_CODES:
            left.append(L_CODES[chunk])
            parity += "L"
        else:
            left.append(G_CODES[chunk])
            parity += "G"
    right = [R_CODES[modules[50 + 7 * i : 57 + 7 * i]] for i in range(6)]
    digits = [FIRST_DIGIT[parity], *left, *right]
    return "".join(map(str, digits))


def modules_of_svg_path(d: str, quiet_left: int) -> str:
    """The modules an SVG path of 1-module-wide rectangles ("M<x> 0h1v<h>h-1z") draws."""
    bars = {int(x) - quiet_left for x in re.findall(r"M(\d+) 0h1v\d+h-1z", d)}
    return "".join("1" if i in bars else "0" for i in range(95))


async def earn_at_counter(till: Page, base_url: str, member: str, amount: str) -> None:
    await till.goto(f"{base_url}/staff/points")
    await till.fill("#code", member)
    await key_amount(till, amount)
    await till.click("#continue")
    await till.click("#do-points")
    await expect(till.locator("#result")).to_have_attribute("data-kind", "earn")


async def test_the_card_rotates_and_the_points_page_lists_lots_soonest_first(
    tmp_path: Path,
) -> None:
    clock = FakeClock()
    async with (
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", clock, smtp_port) as s,
        chromium() as browser,
    ):
        card = await phone(browser)
        await card.goto(f"{s.base_url}/wallet/login?next=/wallet/card")
        await sign_in_by_link(card, inbox, EMAIL)
        first = await shown_card_code(card)
        card_no = (await card.locator("#card-no").inner_text()).strip()
        member_no = (await card.locator("#member-no").inner_text()).strip()
        d = await card.locator("#card-barcode svg path").get_attribute("d")
        assert d is not None
        assert decode_ean13(modules_of_svg_path(d, 11)) == card_no

        # The step passes: the page asks for a fresh code; the old one is refused as expired.
        clock.advance(seconds=75)
        await card.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
        await expect(card.locator("#qr")).not_to_have_attribute("data-payload", first)
        second = await shown_card_code(card)
        till = await phone(browser)
        await sign_in_with_password(till, s.base_url, "staff", "yamada", STAFF_PASSWORD)
        await earn_at_counter(till, s.base_url, card_no, "5000")  # 50 pt, expiring first
        await till.goto(f"{s.base_url}/staff/points/use")
        await till.fill("#code", first)
        await till.fill("#points", "10")
        await till.click("#continue")
        expired = till.locator(".alert[data-code='member.code_expired']")
        await expect(expired).to_contain_text("有効期限が切れています")
        assert second != first

        # Offline, the card's code is off the screen; back online, a fresh one.
        await card.context.set_offline(True)
        await expect(card.locator("#offline")).to_be_visible()
        await expect(card.locator("#qr svg")).to_have_count(0)
        await expect(card.locator("#manual-code")).to_have_text("—")
        await check_page(card, "points-card-offline")
        await card.context.set_offline(False)
        await shown_card_code(card)

        # 40 days on, more points: two lots, two expiry days, the soonest listed first.
        clock.advance(days=40)  # both signed in again: their sessions have ended
        await sign_in_with_password(till, s.base_url, "staff", "yamada", STAFF_PASSWORD)
        await earn_at_counter(till, s.base_url, member_no, "20000")  # 200 pt
        await card.goto(f"{s.base_url}/wallet/login?next=/wallet/points")
        await sign_in_by_link(card, inbox, EMAIL)
        await expect(card.locator("#points-balance")).to_have_text("250 pt")
        lots = card.locator("#lots li.lot")
        await expect(lots).to_have_count(2)
        await expect(lots.nth(0)).to_have_attribute("data-points", "50")
        await expect(lots.nth(0)).to_have_text("11月24日に50pt失効予定")  # this year's
        await expect(lots.nth(1)).to_have_text("2028年1月3日に200pt失効予定")
        await card.click("#notify-toggle")
        await expect(card.locator("#notify-state")).to_have_attribute("data-on", "1")
        await check_page(card, "points-wallet-two-lots")

        await card.goto(f"{s.base_url}/lang/en")
        await card.goto(f"{s.base_url}/wallet/points")
        await expect(lots.nth(0)).to_have_text("50 pt expire after 2027-11-24")
        await expect(card.locator("#notify-state")).to_have_attribute("data-on", "1")
        await card.click("#notify-toggle")
        await expect(card.locator("#notify-state")).to_have_attribute("data-on", "0")
        await check_page(card, "points-wallet-english")
        await card.click("#card-link")
        await shown_card_code(card)
        await expect(card.locator("#balance")).to_have_text("250 pt")
        await check_page(card, "points-card-english")
