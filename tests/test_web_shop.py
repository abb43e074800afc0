"""The wallet's shop in Chromium on a 375-px phone, against a real node and localstripe (its
mock Stripe.js in the page, its API behind the node's SDK, its signed webhooks): a customer
buys a ¥10,000-for-¥9,500 voucher with 4242…, sees the 資金決済法 display before the pay button,
gets the voucher in the wallet and the purchase receipt, and pays with it at the counter; a
declined card issues nothing and says so; 3-D Secure confirmed issues, failed issues nothing;
head office sees the payments.
Every state reached goes through check_page (375 and 1366 px)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from playwright.async_api import Page, expect

from node import db
from node.home import NodeHome
from node.products import core as product_core
from node.products import operations as product_operations
from node.products.core import ProductTerms
from tests.browser import chromium
from tests.conftest import START, FakeClock
from tests.page_checks import check_page
from tests.stripe_server import (
    localstripe_in_loop,
    post_webhook,
    register_webhook,
    signed,
    with_stripe,
)
from tests.test_payments_webhooks import _reversal
from tests.web_flow_helpers import (
    ADMIN_PASSWORD,
    phone,
    shop,
    sign_in_by_link,
    sign_in_with_password,
    smtp_inbox,
)

EMAIL = "hanako@example.jp"


def _selling(api_base: str) -> Callable[[NodeHome, str], str]:
    """The node's config with [stripe] at localstripe, and one product in its database."""

    def configure(home: NodeHome, text: str) -> str:
        offers = (
            ("pr_sakura10000", ProductTerms("さくら商品券 1万円", 10_000, 9_500, valid_days=180)),
            ("pr_limited", ProductTerms("限定商品券", 5_000, 4_000, valid_days=90, limit_count=1)),
        )
        conn = db.connect(home.database_path)
        try:
            for product_id, terms in offers:
                product = product_core.new_product(terms, product_id, START, 100_000)
                product_operations.add_product(product)(conn)
        finally:
            conn.close()
        return with_stripe(text, api_base)

    return configure


async def _pay_with(page: Page, number: str) -> None:
    card = page.locator("#card-element")
    await card.locator("input[placeholder=number]").fill(number)
    await card.locator("input[placeholder=exp_month]").fill("12")
    await card.locator("input[placeholder=exp_year]").fill("31")
    await card.locator("input[placeholder=cvc]").fill("123")
    await card.locator("input[placeholder=postal_code]").fill("15000")
    await page.click("#pay-button")


async def test_a_customer_buys_a_voucher_by_card_on_a_phone(tmp_path: Path) -> None:
    clock = FakeClock()
    async with (
        localstripe_in_loop() as api_base,
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", clock, smtp_port, _selling(api_base)) as s,
        chromium() as browser,
    ):
        await register_webhook(api_base, f"{s.base_url}/stripe/webhook")
        await s.call("POST", "customers", {"name": "山田花子", "email": EMAIL})
        page = await phone(browser)
        await page.goto(f"{s.base_url}/wallet/login?next=/wallet")
        await sign_in_by_link(page, inbox, EMAIL)
        await page.click("#shop-link")
        products = page.locator("#products .product")
        await expect(products).to_have_count(2)
        sakura = page.locator("#products .product[data-product=pr_sakura10000]")
        await expect(sakura.locator(".premium")).to_have_text("+¥500")
        await check_page(page, "shop-list")

        await sakura.locator("a.button").click()
        await expect(page.locator("#total")).to_have_text("¥9,500")
        await expect(page.locator("#card-element input")).to_have_count(5)
        legal = await page.locator("#legal-display").bounding_box()
        pay = await page.locator("#pay-button").bounding_box()
        assert legal is not None and pay is not None and legal["y"] + legal["height"] < pay["y"]
        await expect(page.locator("#lg-amount")).to_contain_text("¥10,000")
        await check_page(page, "shop-product")

        await _pay_with(page, "4242424242424242")
        result = page.locator("#payment-result")
        await expect(result).to_have_attribute("data-state", "issued")
        await expect(page.locator("#paid-amount")).to_have_text("¥9,500")
        await check_page(page, "shop-issued")
        async with page.expect_download() as download:
            await page.click("#purchase-receipt")
        pdf = await (await download.value).path()
        assert (await asyncio.to_thread(Path(pdf).read_bytes)).startswith(b"%PDF")
        await page.click("#open-voucher")
        await expect(page.locator("#voucher")).to_be_visible()

        # ... and uses it: the counter redeems the QR on the screen; the page shows the payment.
        await expect(page.locator("#qr svg")).to_be_visible()
        payload = await page.locator("#qr").get_attribute("data-payload")
        assert payload and payload.startswith("KIPPU1:")
        await s.call(
            "POST", "redemptions", {"payload": payload, "amount": 3_000, "store_id": s.store_id}
        )
        await expect(page.locator("#paid-balance")).to_have_text("¥7,000")
        await page.goto(f"{s.base_url}/wallet")
        await expect(page.locator("#vouchers .voucher")).to_have_count(1)
        await expect(page.locator("#vouchers .voucher .balance")).to_have_text("¥7,000")

        # A declined card: the form says so, nothing is issued.
        await page.goto(f"{s.base_url}/wallet/shop/pr_sakura10000")
        await _pay_with(page, "4000000000000341")
        await expect(page.locator("#pay-error")).to_have_attribute("data-code", "payment.declined")
        await check_page(page, "shop-declined")
        await page.goto(f"{s.base_url}/wallet")
        await expect(page.locator("#vouchers .voucher")).to_have_count(1)

        # 3-D Secure: failed issues nothing; confirmed issues.
        for outcome, state, count in (("Fail", "failed", 1), ("Complete", "issued", 2)):
            await page.goto(f"{s.base_url}/wallet/shop/pr_sakura10000")
            await _pay_with(page, "4000002500003155")
            await expect(page.locator("#confirm-3ds")).to_be_visible()
            await check_page(page, f"shop-3ds-{state}")
            await page.click("#confirm-go")
            await page.get_by_role("button", name=f"{outcome} authentication").click()
            await expect(result).to_have_attribute("data-state", state)
            await check_page(page, f"shop-3ds-result-{state}")
            await page.goto(f"{s.base_url}/wallet")
            await expect(page.locator("#vouchers .voucher")).to_have_count(count)

        # Head office sees each sale and its payment.
        admin = await phone(browser)
        await sign_in_with_password(admin, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await admin.goto(f"{s.base_url}/admin/payments")
        rows = admin.locator("#payments tbody tr[data-payment]")
        await expect(rows).to_have_count(4)
        await expect(admin.locator("tr[data-status=issued]")).to_have_count(2)
        await expect(admin.locator("tr[data-status=failed]")).to_have_count(2)
        await check_page(admin, "admin-payments")
        await admin.locator("tr[data-status=issued] a").first.click()
        await expect(admin.locator("#payment")).to_have_attribute("data-status", "issued")
        await check_page(admin, "admin-payment")

        # A dispute at Stripe: the voucher is suspended and head office sees it needs attention.
        issued = await s.call("GET", "payments?status=issued")
        disputed = issued["payments"][0]  # type: ignore[index]
        dispute = _reversal("evt_dispute_1", "charge.dispute.created", disputed["intent_id"])
        status, _ = await post_webhook(s.api, s.base_url, *signed(dispute))
        assert status == 200
        await admin.goto(f"{s.base_url}/admin/payments")
        flagged = admin.locator(f"tr[data-payment='{disputed['payment_id']}'] .attention")
        await expect(flagged).to_have_attribute("data-attention", "charge.dispute.created")
        await check_page(admin, "admin-payments-attention")
        await admin.goto(f"{s.base_url}/admin/payments/{disputed['payment_id']}")
        await expect(admin.locator("#attention")).to_have_text("charge.dispute.created")
        await check_page(admin, "admin-payment-attention")


async def test_pending_refunded_and_abandoned_payments_on_a_phone(tmp_path: Path) -> None:
    """3-D Secure left open is pending, and counts against the limit: another tab buying the
    one allowed is refused before any charge; the product retired meanwhile refunds the
    pending one when it is confirmed; a payment left an hour is cancelled."""
    clock = FakeClock()
    async with (
        localstripe_in_loop() as api_base,
        smtp_inbox() as (inbox, smtp_port),
        shop(tmp_path / "node", clock, smtp_port, _selling(api_base)) as s,
        chromium() as browser,
    ):
        await s.call("POST", "customers", {"name": "山田花子", "email": EMAIL})
        first = await phone(browser)
        await first.goto(f"{s.base_url}/wallet/login?next=/wallet/shop/pr_limited")
        await sign_in_by_link(first, inbox, EMAIL)
        await _pay_with(first, "4000002500003155")
        confirm = first.locator("#confirm-3ds")
        await expect(confirm).to_be_visible()
        result_url = f"{s.base_url}{await confirm.get_attribute('data-return-url')}"

        second = await first.context.new_page()  # the same customer, another tab
        await second.goto(result_url)
        result = second.locator("#payment-result")
        await expect(result).to_have_attribute("data-state", "pending")
        await check_page(second, "shop-pending")
        await second.goto(f"{s.base_url}/wallet/shop/pr_limited")
        await _pay_with(second, "4242424242424242")
        await expect(second.get_by_role("alert")).to_contain_text("購入上限")
        await check_page(second, "shop-limit-while-pending")
        await s.call("POST", "products/pr_limited/retire", {})

        await first.click("#confirm-go")
        await first.get_by_role("button", name="Complete authentication").click()
        await expect(first.locator("#payment-result")).to_have_attribute("data-state", "refunded")
        await check_page(first, "shop-refunded")
        await first.goto(f"{s.base_url}/wallet")
        await expect(first.locator("#vouchers .voucher")).to_have_count(0)

        await first.goto(f"{s.base_url}/wallet/shop/pr_sakura10000")
        await _pay_with(first, "4000002500003155")
        await expect(confirm).to_be_visible()
        left = f"{s.base_url}{await confirm.get_attribute('data-return-url')}"
        clock.advance(minutes=61)
        await first.goto(left)
        await expect(first.locator("#payment-result")).to_have_attribute("data-state", "cancelled")
        await check_page(first, "shop-cancelled")
        await first.goto(f"{s.base_url}/wallet")
        await expect(first.locator("#vouchers .voucher")).to_have_count(0)
