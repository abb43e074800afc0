"""The legal display (資金決済法13条) in Chromium: the public /terms page, each voucher's page in
the wallet, the console's warnings while required [issuer] items are missing, and the voucher's
class on the console's voucher page."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page, expect

from node.home import NodeHome
from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.test_web_brand import with_setting
from tests.web_flow_helpers import (
    ADMIN_PASSWORD,
    Shop,
    phone,
    shop,
    sign_in_by_link,
    sign_in_with_password,
    smtp_inbox,
)

ISSUER = (
    ("issuer", 'legal_name = "株式会社さくらフーズ"'),
    ("issuer", 'address = "東京都渋谷区道玄坂1-2-3"'),
    ("issuer", 'complaint_desk = "お客様相談室 東京都渋谷区道玄坂1-2-3 03-1234-5678"'),
    ("issuer", 'terms_text = """第1条 (適用)\n本約款は、さくら商品券の利用に適用します。"""'),
    ("issuer", 'cautions = "転売はできません。"'),
    ("issuer", 'deposit_method = "deposit"'),
    ("issuer", 'fraud_policy = "不正利用による損害は、届出の30日前以降の分を補償します。"'),
)


def issuer_set(home: NodeHome, text: str) -> str:
    for table, setting in ISSUER:
        text = with_setting(text, table, setting)
    return text


async def test_missing_items_warn_on_the_console_and_show_as_being_prepared(
    tmp_path: Path,
) -> None:
    async with shop(tmp_path / "node", FakeClock(), None) as s, chromium() as browser:
        page = await phone(browser)
        await page.goto(f"{s.base_url}/terms")  # public: no sign-in
        await expect(page.locator("#terms-none")).to_be_visible()
        await expect(page.locator("#lg-complaint-desk")).to_have_text("(発行者が準備中です)")
        await expect(page.locator("#lg-issuer")).to_contain_text("居酒屋 さくら")
        await expect(page.locator("#lg-places")).to_contain_text("渋谷店")
        await check_page(page, "legal-terms-unset")
        await sign_in_with_password(page, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await expect(page.locator("#legal-missing li")).to_have_count(5)
        await expect(page.locator("#legal-missing")).to_contain_text("issuer.fraud_policy")
        await check_page(page, "legal-console-warning")


async def test_the_display_on_terms_the_voucher_page_and_the_console(tmp_path: Path) -> None:
    async with (
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", FakeClock(), smtp_port, issuer_set) as s,
        chromium() as browser,
    ):
        page = await phone(browser)
        await page.goto(f"{s.base_url}/wallet/login")
        await page.click("#terms-link")  # reachable before signing in
        await expect(page.locator("#terms-text")).to_contain_text("本約款は、さくら商品券")
        await _every_item_is_shown(page, s)
        await check_page(page, "legal-terms")
        voucher_id = await _a_voucher_of_hanako(s)
        await page.goto(f"{s.base_url}/wallet/login?next=/wallet/v/{voucher_id}")
        await sign_in_by_link(page, inbox, "hanako@example.jp")
        await page.goto(f"{s.base_url}/wallet/v/{voucher_id}")
        await page.locator("#legal-more summary").click()
        await _every_item_is_shown(page, s)
        await expect(page.locator("#lg-amount")).to_contain_text("¥3,000")
        await expect(page.locator("#lg-class")).to_have_attribute("data-class", "own")
        await check_page(page, "legal-wallet-voucher")
        admin = await phone(browser)
        await sign_in_with_password(admin, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await expect(admin.locator("#legal-missing")).to_have_count(0)
        await admin.goto(f"{s.base_url}/admin/vouchers/{voucher_id}")
        await expect(admin.locator("#voucher-class")).to_contain_text("自家型前払式支払手段")
        await check_page(admin, "legal-console-voucher")


async def _a_voucher_of_hanako(s: Shop) -> str:
    hanako = await s.call("POST", "customers", {"name": "山田 花子", "email": "hanako@example.jp"})
    body = {"amount": 3000, "customer_id": hanako["customer_id"]}
    return str((await s.call("POST", "vouchers", body))["voucher_id"])


async def _every_item_is_shown(page: Page, s: Shop) -> None:
    expected = {
        "#lg-issuer": "株式会社さくらフーズ",
        "#lg-complaint-desk": "お客様相談室",
        "#lg-places": "渋谷店",
        "#lg-cautions": "転売はできません。",
        "#lg-balance-check": f"{s.base_url}/wallet",
        "#lg-terms": f"{s.base_url}/terms",
        "#lg-deposit": "資金決済法31条",
        "#lg-deposit-method": "供託所への供託",
        "#lg-fraud": "届出の30日前以降",
    }
    for selector, text in expected.items():
        await expect(page.locator(selector)).to_contain_text(text)
