"""Every role's main pages pass the page checks in Japanese and in English (issue 15, item 9).

Staff (sign-in, the counter, 本日の利用, selling), the customer (sign-in, the wallet, a voucher)
and head office (sign-in and every console section, a voucher, the keys page) are each visited in
Chromium with tests/page_checks.py's check_page at 375 and 1366 px: no serious or critical
axe-core violation, every tap target 44 by 44 px on the phone, no code, JSON or English sentence
on a Japanese page; screenshots go to test-artifacts/. No page asks for anything that answers
an error (the favicon included). All findings are gathered, then reported at once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, Response

from tests.browser import chromium
from tests.conftest import AsyncNode, FakeClock
from tests.page_checks import check_page
from tests.web_flow_helpers import (
    ADMIN_PASSWORD,
    PHONE,
    STAFF_PASSWORD,
    Inbox,
    Shop,
    shop,
    sign_in_by_link,
    sign_in_with_password,
    smtp_inbox,
)

LOCALES = {"ja": "ja-JP", "en": "en-US"}
EMAIL = "hanako@example.jp"
ICO_TYPES = ("image/x-icon", "image/vnd.microsoft.icon")


class Visit:
    """One person's browser in one language: every page checked, every finding and failed
    request kept for the end."""

    def __init__(self, context: BrowserContext, page: Page, lang: str, problems: list[str]):
        self.context, self.page, self.lang, self.problems = context, page, lang, problems
        page.on("response", self._keep_failure)

    def _keep_failure(self, response: Response) -> None:
        if response.status >= 400 and not response.url.endswith("/logout"):
            self.problems.append(f"{response.status} for {response.url}")

    async def check(self, name: str) -> None:
        assert await self.page.evaluate("document.documentElement.lang") == self.lang
        try:
            await check_page(self.page, f"a11y-{self.lang}-{name}")
        except AssertionError as found:
            self.problems.append(str(found))

    async def open(self, s: Shop, path: str, name: str) -> None:
        await self.page.goto(f"{s.base_url}{path}")
        await self.check(name)


async def visit(browser: Browser, lang: str, problems: list[str]) -> Visit:
    context = await browser.new_context(viewport=PHONE, locale=LOCALES[lang])
    return Visit(context, await context.new_page(), lang, problems)


async def a_customer_with_a_voucher(s: Shop) -> tuple[str, str]:
    customer = await s.call("POST", "customers", {"name": "山田花子", "email": EMAIL})
    voucher = await s.call(
        "POST",
        "vouchers",
        {"amount": 10000, "customer_id": customer["customer_id"], "store_id": s.store_id},
    )
    code = await s.call("GET", f"vouchers/{voucher['voucher_id']}/code")
    redeem = {"payload": code["payload"], "amount": 2000, "store_id": s.store_id}
    await s.call("POST", "redemptions", redeem)  # so that 本日の利用 and the history show a row
    return str(customer["customer_id"]), str(voucher["voucher_id"])


async def staff_pages(v: Visit, s: Shop) -> None:
    await v.open(s, "/staff/login", "staff-login")
    await sign_in_with_password(v.page, s.base_url, "staff", "yamada", STAFF_PASSWORD)
    await v.page.wait_for_url(f"{s.base_url}/staff")
    await v.check("staff-counter")
    await v.open(s, "/staff/today", "staff-today")
    await v.open(s, "/staff/sell", "staff-sell")


async def customer_pages(v: Visit, s: Shop, inbox: Inbox, voucher_id: str) -> None:
    await v.open(s, "/wallet/login", "wallet-login")
    await sign_in_by_link(v.page, inbox, EMAIL)
    await v.page.wait_for_url(f"{s.base_url}/wallet")
    await v.check("wallet-home")
    await v.open(s, f"/wallet/v/{voucher_id}", "wallet-voucher")


ADMIN_PAGES = (
    ("/admin/vouchers", "admin-vouchers"),
    ("/admin/customers", "admin-customers"),
    ("/admin/stores", "admin-stores"),
    ("/admin/partners", "admin-partners"),
    ("/admin/settlement", "admin-settlement"),
    ("/admin/audit", "admin-audit"),
    ("/admin/exports", "admin-exports"),
    ("/admin/keys", "admin-keys"),
    ("/admin/webhooks", "admin-webhooks"),
)


async def admin_pages(v: Visit, s: Shop, customer_id: str, voucher_id: str) -> None:
    await v.open(s, "/admin/login", "admin-login")
    await sign_in_with_password(v.page, s.base_url, "admin", "admin", ADMIN_PASSWORD)
    await v.page.wait_for_url(f"{s.base_url}/admin")
    await v.check("admin-dashboard")
    for path, name in ADMIN_PAGES:
        await v.open(s, path, name)
    await v.open(s, f"/admin/vouchers/{voucher_id}", "admin-voucher")
    await v.open(s, f"/admin/customers/{customer_id}", "admin-customer")


@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_every_roles_main_pages_pass_the_page_checks(tmp_path: Path, lang: str) -> None:
    problems: list[str] = []
    async with (
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", FakeClock(), smtp_port) as s,
        chromium() as browser,
    ):
        await s.call("POST", "apikeys", {"name": "POS 渋谷店"})  # the keys page lists one
        hook = {"url": "https://pos.example.com/kippu", "events": ["points.earned"]}
        await s.call("POST", "webhooks", hook)  # the webhooks page lists one
        customer_id, voucher_id = await a_customer_with_a_voucher(s)
        await staff_pages(await visit(browser, lang, problems), s)
        await customer_pages(await visit(browser, lang, problems), s, inbox, voucher_id)
        await admin_pages(await visit(browser, lang, problems), s, customer_id, voucher_id)
    assert not problems, "\n".join(problems)


async def test_the_icons_are_answered_and_linked(anode: AsyncNode) -> None:
    async with anode.session.get(f"{anode.base_url}/favicon.ico") as answer:
        assert answer.status == 200 and answer.content_type in ICO_TYPES
        assert (await answer.read()).startswith(b"\x00\x00\x01\x00")  # an ICO's header
    async with anode.session.get(f"{anode.base_url}/static/favicon.svg") as answer:
        assert answer.status == 200 and answer.content_type == "image/svg+xml"
        assert "<svg" in await answer.text()
    async with anode.session.get(f"{anode.base_url}/apple-touch-icon.png") as answer:
        assert answer.status == 200 and (await answer.read()).startswith(b"\x89PNG")
    async with anode.session.get(f"{anode.base_url}/wallet/login") as answer:
        page = await answer.text()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert '<link rel="icon" href="/favicon.ico"' in page
