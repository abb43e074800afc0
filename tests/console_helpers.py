"""A company's admin driving the console in a real browser (shared by the console's tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from playwright.async_api import Browser, Page, expect

from tests.conftest import RunningNode, ok
from tests.web_flow_helpers import DESKTOP, sign_in_with_password

ADMIN_PASSWORD = "honbu-Kanri-2026"


@dataclass
class Admin:
    """A company's admin in their own browser context, and every console error it logged."""

    node: RunningNode
    page: Page
    console_errors: list[str] = field(default_factory=list)

    async def open(self, path: str) -> None:
        await self.page.goto(f"{self.node.base_url}{path}")

    async def notice(self, text: str) -> None:
        await expect(self.page.locator("#notice")).to_have_text(text)

    async def error_code(self) -> str:
        """The code of the refusal shown: inline on the form (issue 15), or the error page's."""
        shown = self.page.locator(".field-error[data-code], .error[data-code]").first
        return str(await shown.get_attribute("data-code"))

    async def post(self, path: str, form: dict[str, str]) -> tuple[int, str]:
        """A form post as the page would send it (with the session's CSRF token)."""
        csrf = await self.page.locator("input[name=csrf]").first.input_value()
        answer = await self.page.request.post(
            f"{self.node.base_url}{path}", form={**form, "csrf": csrf}, max_redirects=0
        )
        return answer.status, await answer.text()


@asynccontextmanager
async def admin_of(
    browser: Browser, node: RunningNode, viewport: dict[str, int] = DESKTOP
) -> AsyncIterator[Admin]:
    """The node's admin, signed in; fails at the end on any console error (a CSP refusal)."""
    await ok(node, "PUT", "admin/password", {"password": ADMIN_PASSWORD})
    context = await browser.new_context(viewport=viewport, locale="ja-JP", accept_downloads=True)
    admin = Admin(node, await context.new_page())
    admin.page.on("console", lambda m: _keep_error(admin.console_errors, m.type, m.text))
    await sign_in_with_password(admin.page, node.base_url, "admin", "admin", ADMIN_PASSWORD)
    await expect(admin.page).to_have_url(f"{node.base_url}/admin")
    try:
        yield admin
    finally:
        await context.close()
    assert not admin.console_errors, admin.console_errors


def _keep_error(errors: list[str], kind: str, text: str) -> None:
    """Console errors but the status of a page or resource (refusals are tested by their code)."""
    if kind == "error" and not text.startswith("Failed to load resource"):
        errors.append(text)
