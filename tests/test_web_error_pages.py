"""Every error a person can meet outside the counter's and the console's own forms, walked in
Chromium at 375 px in Japanese and in English: each reads our text for its code in the page's
language (never the API's English or a code), inline where there is a form (the typed login or
email kept, never the password), with a way on; every state passes tests/page_checks.py.
"""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, Page, expect

from node.web.i18n import TEXTS, error_text
from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.web_flow_helpers import (
    ADMIN_PASSWORD,
    STAFF_PASSWORD,
    Inbox,
    Shop,
    shop,
    sign_in_by_link,
    sign_in_with_password,
    smtp_inbox,
)


async def test_every_error_page_reads_in_japanese_and_in_english(tmp_path: Path) -> None:
    clock = FakeClock()
    async with (
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", clock, smtp_port) as s,
        chromium() as browser,
    ):
        for lang in ("ja", "en"):
            walk = Walk(browser, s, inbox, lang)
            await walk.sign_in_errors()
            await walk.link_errors()
            await walk.handover_errors()
            await walk.address_errors()
            await walk.session_errors()


class Walk:
    def __init__(self, browser: Browser, s: Shop, inbox: Inbox, lang: str) -> None:
        self.browser, self.s, self.inbox, self.lang = browser, s, inbox, lang
        self.column = 1 if lang == "en" else 0

    async def page(self) -> Page:
        context = await self.browser.new_context(
            viewport={"width": 375, "height": 740}, locale="ja-JP"
        )
        page = await context.new_page()
        if self.lang == "en":  # the language switch sets the cookie for every later page
            await page.goto(f"{self.s.base_url}/lang/en?next=/wallet/login")
        return page

    def text(self, key: str) -> str:
        return TEXTS[key][self.column]

    async def shows_error(self, page: Page, code: str, name: str, **details: object) -> None:
        """The page shows error `code` as our text in its language, and passes the checks."""
        alert = page.locator(f"[data-code='{code}']")
        await expect(alert).to_be_visible()
        await expect(page.locator("html")).to_have_attribute("lang", self.lang)
        expected = error_text(code, details, self.lang)
        message = alert.locator(".message") if await alert.locator(".message").count() else alert
        await expect(message).to_have_text(expected)
        await check_page(page, f"error-{name}-{self.lang}")

    async def sign_in_errors(self) -> None:
        page = await self.page()
        for role in ("staff", "admin"):
            login = "yamada" if role == "staff" else "admin"
            await sign_in_with_password(page, self.s.base_url, role, login, "wrong-Password-1")
            await self.shows_error(page, "auth.bad_credentials", f"{role}-password")
            await expect(page.locator("input[name=login]")).to_have_value(login)
            await expect(page.locator("input[name=password]")).to_have_value("")
        # Too many wrong passwords for one name: the form says to wait, the login still typed.
        name = f"nobody-{self.lang}"
        for _ in range(8):
            await sign_in_with_password(page, self.s.base_url, "admin", name, "wrong-Password-1")
            if await page.locator("[data-code='auth.throttled']").count():
                break
        alert = page.locator("[data-code='auth.throttled']")
        await expect(alert).to_be_visible()
        assert "{" not in await alert.inner_text()
        await check_page(page, f"error-throttled-{self.lang}")
        await expect(page.locator("input[name=login]")).to_have_value(name)
        # The customer's email: one the browser lets through but that is no address.
        await page.goto(f"{self.s.base_url}/wallet/login")
        await page.fill("#email", "hanako@example")
        await page.click("#send-link")
        await self.shows_error(page, "request.invalid", "wallet-email", field="email")
        await expect(page.locator("#email")).to_have_value("hanako@example")
        await page.context.close()

    async def link_errors(self) -> None:
        page = await self.page()
        email = f"link-{self.lang}@example.jp"
        await page.goto(f"{self.s.base_url}/wallet/login")
        await sign_in_by_link(page, self.inbox, email)
        await expect(page).to_have_url(f"{self.s.base_url}/wallet")
        used = await self.inbox.link_for(email)
        await page.goto(used)  # the link again: used, said at once, with a new link offered
        await self.shows_error(page, "auth.link_invalid", "link-used")
        await expect(page.locator("#use-link")).to_have_count(0)
        await page.fill("#email", email)
        await page.click("#send-link")
        await expect(page.locator("#link-sent")).to_be_visible()
        fresh = await self.inbox.link_for(email)
        assert fresh != used
        self.s.clock.advance(minutes=16)  # a sign-in link lives 15 minutes
        await page.goto(fresh)
        await self.shows_error(page, "auth.link_invalid", "link-expired")
        # Asking again and again for one address: the form says to wait, the email kept.
        await page.goto(f"{self.s.base_url}/wallet/login")
        many = f"many-{self.lang}@example.jp"
        for _ in range(6):
            await page.fill("#email", many)
            await page.click("#send-link")
            if await page.locator("[data-code='auth.throttled']").count():
                break
            await page.goto(f"{self.s.base_url}/wallet/login")
        # The clock stands still here: the first of the attempts counts for 15 min and 1 s.
        await self.shows_error(page, "auth.throttled", "link-throttled", retry_after_s=901)
        await expect(page.locator("#email")).to_have_value(many)
        await page.context.close()

    async def handover_errors(self) -> None:
        staff = await self.page()
        await sign_in_with_password(staff, self.s.base_url, "staff", "yamada", STAFF_PASSWORD)
        await staff.goto(f"{self.s.base_url}/staff/sell")
        await staff.fill("#face", "3000")
        await staff.click("#sell")
        link = str(await staff.locator("#handover-link").get_attribute("href"))
        taker = await self.page()
        await taker.goto(link)
        await taker.click("#sign-in-to-receive")
        await sign_in_by_link(taker, self.inbox, f"taker-{self.lang}@example.jp")
        await taker.click("#receive")
        await expect(taker.locator("#balance")).to_have_text("¥3,000")
        await taker.goto(link)  # the one who received it: it is theirs, one tap away
        await expect(taker.locator(".take[data-state=mine]")).to_be_visible()
        await check_page(taker, f"take-mine-{self.lang}")
        other = await self.page()
        await other.goto(link)
        await expect(other.locator(".take[data-state=taken] #take-gone")).to_have_text(
            self.text("take_taken_hint")
        )
        await expect(other.locator("#take-way-on")).to_have_attribute("href", "/wallet")
        await check_page(other, f"take-taken-{self.lang}")
        await other.goto(f"{self.s.base_url}/take/no-such-link")
        await expect(other.locator("#take-gone")).to_have_text(self.text("take_unknown_hint"))
        await check_page(other, f"take-unknown-{self.lang}")
        for page in (staff, taker, other):
            await page.context.close()

    async def address_errors(self) -> None:
        page = await self.page()
        for home in ("wallet", "staff", "admin"):
            await page.goto(f"{self.s.base_url}/{home}/no-such-page")
            await self.shows_error(page, "request.no_page", f"no-page-{home}")
            await expect(page.locator("#back")).to_have_attribute("href", f"/{home}")
        await page.goto(f"{self.s.base_url}/logout")  # a form's address opened as a page
        await self.shows_error(page, "request.no_page", "get-a-form-address")
        # Another role's page: forbidden, and 戻る leads to the viewer's own home.
        await sign_in_with_password(page, self.s.base_url, "staff", "yamada", STAFF_PASSWORD)
        await page.goto(f"{self.s.base_url}/admin")
        await self.shows_error(page, "auth.forbidden", "forbidden")
        await expect(page.locator("#back")).to_have_attribute("href", "/staff")
        await page.context.close()

    async def session_errors(self) -> None:
        page = await self.page()
        await page.goto(f"{self.s.base_url}/admin/login")
        await page.locator("input[name=csrf]").evaluate("(el) => { el.value = 'forged-token' }")
        await page.fill("input[name=login]", "admin")
        await page.fill("input[name=password]", ADMIN_PASSWORD)
        await page.click("button[type=submit]")
        await self.shows_error(page, "auth.csrf", "csrf")
        await sign_in_with_password(page, self.s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await expect(page).to_have_url(f"{self.s.base_url}/admin")
        self.s.clock.advance(hours=13)  # past web.session_hours
        await page.goto(f"{self.s.base_url}/admin/vouchers")
        await expect(page.locator("#session-ended")).to_have_text(self.text("session_ended"))
        await expect(page.locator("input[name=next]")).to_have_value("/admin/vouchers")
        await check_page(page, f"session-ended-{self.lang}")
        await page.context.close()
