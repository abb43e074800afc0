"""Eligibility in Chromium. One per device (端末認証): a resident registers this device's passkey for the
campaign through the wallet page and node/web/static/campaign-passkey.js, with Chromium's virtual
authenticator (CTAP2, internal transport: a platform authenticator with resident keys and user
verification) driven over CDP; a second resident on the same device is refused, and on their own
device succeeds. LINE Login: the round trip through a provider on another site keeps the
session. Every page state is checked by check_page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page

from tests.browser import chromium
from tests.campaign_verify_helpers import office
from tests.conftest import FakeClock, loop_watchdog
from tests.page_checks import check_page
from tests.web_flow_helpers import (
    ADMIN_PASSWORD,
    phone,
    sign_in_by_link,
    sign_in_with_password,
)

AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
}


async def _device(page: Page) -> Any:
    """A virtual platform authenticator for this page (its own 'device')."""
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("WebAuthn.enable")
    await cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})
    return cdp


@pytest.mark.browser
async def test_a_device_passkey_proves_eligibility_once_per_device(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with loop_watchdog():
        async with office(tmp_path / "city", FakeClock(), monkeypatch, host="localhost") as city:
            for email in ("hanako@example.jp", "taro@example.jp"):
                status, _ = await city.call(
                    "POST", "customers", {"name": email[:4], "email": email}
                )
                assert status == 201
            base = city.base_url.replace("127.0.0.1", "localhost")
            verify = base + city.verify
            async with chromium() as browser:
                device = await phone(browser)
                await _device(device)
                await device.goto(f"{base}/wallet/login")
                await sign_in_by_link(device, city.inbox, "hanako@example.jp")
                await device.goto(verify)
                await check_page(device, "campaign-verify")
                await device.click("#passkey-start")
                await device.wait_for_url(f"{verify}?done=passkey")
                assert await device.get_attribute("#verified", "data-method") == "passkey"
                await check_page(device, "campaign-verify-passkey-done")

                await device.click("form[action='/logout'] button")
                await device.goto(f"{base}/wallet/login")
                await sign_in_by_link(device, city.inbox, "taro@example.jp")
                await device.goto(verify)
                await device.click("#passkey-start")
                await device.wait_for_url(f"{verify}?error=eligibility.subject_taken")
                alert = device.locator("p.alert")
                assert await alert.get_attribute("data-code") == "eligibility.subject_taken"
                await check_page(device, "campaign-verify-passkey-same-device")

                own = await phone(browser)
                await _device(own)
                await own.goto(f"{base}/wallet/login")
                await sign_in_by_link(own, city.inbox, "taro@example.jp")
                await own.goto(verify)
                await own.click("#passkey-start")
                await own.wait_for_url(f"{verify}?done=passkey")
            status, customers = await city.call("GET", "customers")
            ids = {c["email"]: c["customer_id"] for c in customers["customers"]}
            assert await city.proofs(ids["hanako@example.jp"]) == {"passkey"}
            assert await city.proofs(ids["taro@example.jp"]) == {"passkey"}


@pytest.mark.browser
async def test_line_login_in_the_browser_comes_back_signed_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wallet (localhost) sends Chromium to the LINE provider (127.0.0.1: another site) and
    the provider back to the callback: the session cookie (SameSite=Lax) comes along, and the
    page shows the check done."""
    with loop_watchdog():
        async with office(tmp_path / "city", FakeClock(), monkeypatch, host="localhost") as city:
            status, made = await city.call(
                "POST", "customers", {"name": "hana", "email": "hanako@example.jp"}
            )
            assert status == 201
            base = city.base_url.replace("127.0.0.1", "localhost")
            verify = base + city.verify
            async with chromium() as browser:
                page = await phone(browser)
                await page.goto(f"{base}/wallet/login")
                await sign_in_by_link(page, city.inbox, "hanako@example.jp")
                await page.goto(verify)
                await page.click("#line-start")
                await page.wait_for_url(f"{verify}?done=line")
                assert await page.get_attribute("#verified", "data-method") == "line"
                await check_page(page, "campaign-verify-line-done")
                # The office's serial codes tab of the same campaign, in the console.
                status, _ = await city.call("PUT", "admin/password", {"password": ADMIN_PASSWORD})
                assert status in (200, 201)
                console = await browser.new_page(viewport={"width": 1280, "height": 860})
                await sign_in_with_password(console, base, "admin", "admin", ADMIN_PASSWORD)
                await console.goto(f"{base}/admin/campaigns/{city.campaign_id}/serials")
                await console.fill("#serial-count", "0")
                await console.click("#serials-download")
                await console.wait_for_selector("[data-code='eligibility.invalid_count']")
                await check_page(console, "campaign-serials-console-refused")
            assert await city.proofs(made["customer_id"]) == {"line"}
