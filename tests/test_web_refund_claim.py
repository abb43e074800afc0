"""The wallet's refund claim (払戻し請求) in Chromium on a 375-px phone, in Japanese: once head
office has announced the business abolition and its notice date has come, the voucher page
offers the claim; the form takes a bank account (full-width digits and half-width katakana
become the usual forms), a wrong account number is refused next to nothing else changing, and
the claim is shown waiting for payment. Head office's console, on a phone too: the refunds page
with the claim to pay, and a voucher's refund refused with the law's reason. Every state goes
through check_page."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from playwright.async_api import expect

from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.web_flow_helpers import (
    ADMIN_PASSWORD,
    phone,
    shop,
    sign_in_by_link,
    sign_in_with_password,
    smtp_inbox,
)

EMAIL = "hanako@example.jp"


async def test_a_holder_claims_a_refund_from_the_wallet(tmp_path: Path) -> None:
    clock = FakeClock()
    async with (
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", clock, smtp_port) as s,
        chromium() as browser,
    ):
        customer = await s.call("POST", "customers", {"name": "佐藤花子", "email": EMAIL})
        voucher = await s.call(
            "POST", "vouchers", {"amount": 7_000, "customer_id": customer["customer_id"]}
        )
        voucher_id = str(voucher["voucher_id"])
        other = await s.call("POST", "vouchers", {"amount": 3_000})  # sold before the notice
        window = {"notice_date": "2026-11-24", "claim_until": "2027-01-31"}
        await s.call("POST", "compliance/abolition", window)
        clock.set(datetime(2026, 11, 24, 3, 0, tzinfo=UTC))

        page = await phone(browser)
        await page.goto(f"{s.base_url}/wallet/login?next=/wallet/v/{voucher_id}")
        await sign_in_by_link(page, inbox, EMAIL)
        await expect(page.locator("#refund-offer")).to_be_visible()
        await check_page(page, "refund-offer")
        await page.goto(f"{s.base_url}/wallet")
        await expect(page.locator("#refund-home")).to_contain_text("2027-01-31")
        await check_page(page, "refund-wallet-home")
        await page.goto(f"{s.base_url}/wallet/v/{voucher_id}")
        await page.click("#refund-claim")
        await expect(page.locator("#rw-amount")).to_have_text("¥7,000")
        await check_page(page, "refund-claim-form")

        await page.fill("input[name=bank_name]", "みずほ銀行")
        await page.fill("input[name=branch_name]", "渋谷支店")
        await page.fill("input[name=account_number]", "１２３")
        await page.fill("input[name=account_holder]", "ｻﾄｳ ﾊﾅｺ")
        await page.click("#rw-submit")
        await expect(page.locator("[role=alert]")).to_have_attribute(
            "data-code", "refund.invalid_bank_account"
        )
        await check_page(page, "refund-claim-refused")
        assert (await s.call("GET", f"vouchers/{voucher_id}"))["balance"] == 7_000

        await page.fill("input[name=account_number]", "１２３４５６７")
        await page.click("#rw-submit")
        await expect(page.locator("#rw-claim")).to_have_attribute("data-paid", "no")
        await check_page(page, "refund-claimed")
        claims = await s.call("GET", "compliance/refund-claims")
        assert [(c["account_number"], c["account_holder"]) for c in claims["claims"]] == [  # type: ignore[union-attr]
            ("1234567", "サトウ ハナコ")
        ]

        admin = await phone(browser)
        await sign_in_with_password(admin, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await admin.goto(f"{s.base_url}/admin")
        await expect(admin.locator("#abolition-notice")).to_have_attribute("data-state", "open")
        await check_page(admin, "refund-console-home")
        await admin.goto(f"{s.base_url}/admin/refunds")
        await expect(admin.locator("#claims tr[data-paid=no]")).to_have_count(1)
        await check_page(admin, "refund-console-claims")
        await admin.goto(f"{s.base_url}/admin/vouchers/{other['voucher_id']}")
        await admin.click("#rf-button")
        await expect(admin.locator("[data-code='refund.prohibited']")).to_be_visible()
        await check_page(admin, "refund-console-refused")
        assert (await s.call("GET", f"vouchers/{other['voucher_id']}"))["balance"] == 3_000
