"""Points at the counter and the membership card in the wallet (issue 17), in Chromium against a
real node, every page state checked by check_page at 375 and 1366 px:

- a customer signs up by email link; the wallet home links to the card (会員証): its rotating QR
  (KIPPUM1:), the 16-digit typed code, the member number, the printed card number with its
  EAN-13 barcode, 0 pt, the rank ブロンズ and ¥10,000 to シルバー; after ¥12,445 of purchases
  the card shows シルバー (the threshold crossed) and ¥37,555 to ゴールド;
- staff key in the printed card number and ¥12,345 on the keypad; the confirm step shows +123 pt
  (the default program: 1 pt per ¥100, rounded down); earned; the same form sent again (the
  browser's back, then the button) earns nothing more and says so;
- using points with the printed number is refused in Japanese (カード番号では…使うことはできません);
  with the QR code on the customer's screen, 100 pt through a confirm step showing ¥100 off;
- the wallet's card and points pages show the new balance, the lot 「2027年11月24日に24pt失効予定」, the
  history in Japanese, and the expiry-mail choice saved;
- paying ¥8,000 with a voucher the customer holds: the confirm step says +80 pt, and the payment
  earns them in the same request (ポイント +80 pt on the ✓ screen), once even when the
  redemption is sent again.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Page, expect

from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.web_flow_helpers import (
    STAFF_PASSWORD,
    Shop,
    phone,
    shop,
    sign_in_by_link,
    sign_in_with_password,
    smtp_inbox,
)

KEY = "#amount-keypad button[data-key='{}']"
RANKS = {
    "window": "calendar_year",
    "recompute": "01-01",
    "levels": [
        {"name": "ブロンズ", "min_spend_yen": 0, "multiplier_pct": 100},
        {"name": "シルバー", "min_spend_yen": 10_000, "multiplier_pct": 100},
        {"name": "ゴールド", "min_spend_yen": 50_000, "multiplier_pct": 150},
    ],
}
TYPED_CODE = re.compile(r"^\d{4} \d{4} \d{4} \d{4}$")
EMAIL = "hanako@example.jp"


async def key_amount(page: Page, amount: str) -> None:
    await page.click(KEY.format("clear"))
    for digit in amount:
        await page.click(KEY.format(digit))
    await expect(page.locator("#amount-display")).to_have_text(f"¥{int(amount):,}")


async def shown_card_code(card: Page) -> str:
    """The QR code the customer's card shows now (what the counter's scanner reads)."""
    await expect(card.locator("#qr svg")).to_be_visible()
    payload = await card.locator("#qr").get_attribute("data-payload")
    assert payload and payload.startswith("KIPPUM1:"), payload
    return payload


async def send_form_twice(page: Page, button: str) -> int:
    """The button's form posted once by script (the browser's own cookies), then by the button:
    what a double tap or a resent form does. The script's answer's status."""
    status = await page.evaluate(
        """(selector) => {
            const form = document.querySelector(selector).form;
            return fetch(form.action, { method: "POST", body: new URLSearchParams(new FormData(form)),
                                        credentials: "same-origin" }).then((r) => r.status);
        }""",
        button,
    )
    await page.click(button)
    return int(status)


async def customer_id_of(s: Shop, email: str) -> str:
    listed = await s.call("GET", "customers")
    customers = listed["customers"]
    assert isinstance(customers, list)
    return str(next(c["customer_id"] for c in customers if c.get("email") == email))


async def test_a_member_earns_and_uses_points_at_the_counter(tmp_path: Path) -> None:
    async with (
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", FakeClock(), smtp_port) as s,
        chromium() as browser,
    ):
        await s.call("PUT", "points/ranks", RANKS)
        # The customer signs up and opens the membership card from the wallet's home.
        card = await phone(browser)
        await card.goto(f"{s.base_url}/wallet/login")
        await sign_in_by_link(card, inbox, EMAIL)
        await card.click("#card-link")
        await expect(card.locator("#balance")).to_have_text("0 pt")
        await expect(card.locator("#rank")).to_have_text("ブロンズ")
        await expect(card.locator("#rank-next")).to_have_text(
            "次のランク「シルバー」まであと¥10,000"
        )
        await expect(card.locator("#manual-code")).to_have_text(TYPED_CODE)
        await shown_card_code(card)
        member_no = (await card.locator("#member-no").inner_text()).strip()
        card_no = (await card.locator("#card-no").inner_text()).strip()
        assert re.fullmatch(r"\d{10}", member_no) and re.fullmatch(r"29\d{11}", card_no)
        await expect(card.locator("#card-barcode svg.barcode path")).to_have_count(1)
        await check_page(card, "points-card-new")

        # Staff earn on the printed card number: confirm, then done.
        till = await phone(browser)
        await sign_in_with_password(till, s.base_url, "staff", "yamada", STAFF_PASSWORD)
        await till.click("#points-link")
        await check_page(till, "points-counter-earn")
        await till.fill("#code", card_no)
        await key_amount(till, "12345")
        await till.click("#continue")
        await expect(till.locator("#confirm-points")).to_have_text("+123 pt")
        await expect(till.locator("#confirm-member")).to_have_text(member_no)
        await check_page(till, "points-counter-earn-confirm")
        # A double tap: the form is sent once in the background, then by the button.
        assert await send_form_twice(till, "#do-points") == 200
        await expect(till.locator("#repeat")).to_be_visible()
        await expect(till.locator("#result-title")).to_contain_text("処理済み")
        await expect(till.locator("#done-points")).to_have_text("+123 pt")
        await expect(till.locator("#done-balance")).to_have_text("123 pt")
        await check_page(till, "points-counter-earned-again")
        s.clock.advance(minutes=1)  # the history's order is the entries' time
        await till.goto(f"{s.base_url}/staff/points")
        await till.fill("#code", member_no)
        await key_amount(till, "100")
        await till.click("#continue")
        await expect(till.locator("#confirm-points")).to_have_text("+1 pt")
        await till.click("#do-points")
        await expect(till.locator("#result")).to_have_attribute("data-kind", "earn")
        await expect(till.locator("#done-points")).to_have_text("+1 pt")
        await expect(till.locator("#done-balance")).to_have_text("124 pt")
        await check_page(till, "points-counter-earned")

        # Using points: the printed number is refused, in Japanese; nothing is taken.
        await till.goto(f"{s.base_url}/staff/points/use")
        await till.fill("#code", card_no)
        await till.fill("#points", "100")
        await till.click("#continue")
        refusal = till.locator(".alert[data-code='member.card_cannot_spend']")
        await expect(refusal).to_contain_text("使うことはできません")
        await check_page(till, "points-counter-use-refused")

        # With the card's code on the customer's screen: confirm ¥100 off, then use.
        s.clock.advance(minutes=1)
        await card.reload()  # the customer opens the card now
        await till.fill("#code", await shown_card_code(card))
        await till.fill("#points", "100")
        await till.click("#continue")
        await expect(till.locator("#confirm-discount")).to_have_text("¥100")
        await expect(till.locator("#confirm-balance-after")).to_have_text("24 pt")
        await check_page(till, "points-counter-use-confirm")
        await till.click("#do-points")
        await expect(till.locator("#result")).to_have_attribute("data-kind", "use")
        await expect(till.locator("#done-discount")).to_have_text("¥100")
        await expect(till.locator("#done-balance")).to_have_text("24 pt")
        await check_page(till, "points-counter-used")

        # The wallet shows the new balance: on the card (its fresh code) and the points page.
        await card.reload()
        await expect(card.locator("#balance")).to_have_text("24 pt")
        # ¥12,445 spent: シルバー at once (the threshold is ¥10,000), and what is left to ゴールド.
        await expect(card.locator("#rank")).to_have_text("シルバー")
        await expect(card.locator("#rank-next")).to_have_text(
            "次のランク「ゴールド」まであと¥37,555"
        )
        await expect(card.locator("#rank-bar")).to_have_attribute("value", "12445")
        await check_page(card, "points-card-silver")
        await shown_card_code(card)
        await card.click("#points-link")
        await expect(card.locator("#points-balance")).to_have_text("24 pt")
        await expect(card.locator("#lots li.lot")).to_have_count(1)
        # A year on (the default program): not this year's, so the year is written.
        await expect(card.locator("#lots li.lot")).to_have_text("2027年11月24日に24pt失効予定")
        history = card.locator("#points-history li")
        await expect(history).to_have_count(3)
        await expect(history.nth(0).locator(".what")).to_have_text("ポイント利用")
        await expect(history.nth(0).locator(".amount")).to_have_text("−100 pt")
        await expect(history.nth(1).locator(".amount")).to_have_text("+1 pt")
        await expect(history.nth(2).locator(".what")).to_have_text("ポイント獲得")
        await expect(history.nth(2).locator(".amount")).to_have_text("+123 pt")
        await expect(card.locator("#notify-state")).to_have_attribute("data-on", "0")
        await card.click("#notify-toggle")
        await expect(card.locator("#notify-saved")).to_be_visible()
        await expect(card.locator("#notify-state")).to_have_attribute("data-on", "1")
        await check_page(card, "points-wallet-points")

        # Paying with a voucher the member holds earns points in the same request.
        customer_id = await customer_id_of(s, EMAIL)
        voucher = await s.call("POST", "vouchers", {"amount": 10_000, "customer_id": customer_id})
        code = await s.call("GET", f"vouchers/{voucher['voucher_id']}/code")
        await till.goto(f"{s.base_url}/staff")
        await till.fill("#code", str(code["payload"]))
        await key_amount(till, "8000")
        await till.click("#continue")
        await expect(till.locator("#confirm-points")).to_have_text("+80 pt")
        await check_page(till, "points-counter-voucher-confirm")
        # Sent twice as well: the second is the redemption's retry, and earns nothing more.
        assert await send_form_twice(till, "#redeem") == 200
        await expect(till.locator("#result")).to_have_attribute("data-outcome", "accepted")
        await expect(till.locator("#done-points")).to_have_attribute("data-points", "80")
        await expect(till.locator("#done-points")).to_contain_text("ポイント +80 pt")
        await expect(till.locator("#done-points")).to_contain_text("104 pt")
        await check_page(till, "points-counter-voucher-paid")

        await card.goto(f"{s.base_url}/wallet/points")
        await expect(card.locator("#points-balance")).to_have_text("104 pt")

        # The counter in English: the same refusal, in English.
        await till.goto(f"{s.base_url}/lang/en")
        await till.goto(f"{s.base_url}/staff/points/use")
        await till.fill("#code", member_no)
        await till.fill("#points", "10")
        await till.click("#continue")
        await expect(refusal).to_contain_text("cannot spend")
        await check_page(till, "points-counter-use-refused-english")
