"""Head office's campaigns console in Chromium, each page checked by tests/page_checks.py (375 and
1366 px, axe, language, tap targets): a store marked a small local shop, a premium campaign with
a 専用券 part created through the form (the kind's fields shown by script, a refusal beside its
field first), a customer found and granted a set, and the status with its reconciliation after
the 専用券 is spent at the local shop; the close step's page."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from playwright.async_api import Page, expect

from node.campaigns import actions
from tests.browser import chromium
from tests.conftest import FakeClock
from tests.page_checks import check_page
from tests.points_console_helpers import PointsShop, points_shop, typed_local
from tests.web_flow_helpers import ADMIN_PASSWORD, phone, sign_in_with_password


async def _mark_local(admin: Page, s: PointsShop, shop_id: str) -> None:
    await admin.goto(f"{s.base_url}/admin/campaigns/stores/classes")
    row = admin.locator(f"tr[data-store='{shop_id}']")
    await expect(row).to_have_attribute("data-local", "false")
    await row.locator("button.toggle").click()
    await expect(admin.locator("#notice")).to_contain_text("中小店舗に設定しました")
    await expect(row).to_have_attribute("data-local", "true")
    await check_page(admin, "campaigns-store-classes")


async def _create_premium(admin: Page, s: PointsShop, clock: FakeClock) -> str:
    await admin.goto(f"{s.base_url}/admin/campaigns")
    await expect(admin.locator("#no-campaigns")).to_be_visible()
    await admin.click("#new-campaign")
    form = admin.locator("#cp-new")
    await form.locator("[name='kind']").select_option("first-come")
    await expect(admin.locator("#rounds")).to_be_visible()
    await expect(form.locator("[name='price_yen']")).to_be_hidden()
    await admin.click("#add-round")
    await expect(form.locator("[name='round_opens_4']")).to_be_visible()
    await form.locator("[name='kind']").select_option("premium")
    await expect(admin.locator("#rounds")).to_be_hidden()
    await form.locator("[name='name']").fill("プレミアム付き商品券 2027")
    await form.locator("[name='face_yen']").fill("13000")
    await form.locator("[name='price_yen']").fill("13000")  # not below the face: refused
    await form.locator("[name='local_yen']").fill("3000")
    await form.locator("[name='stock']").fill("500")
    await form.locator("[name='budget_yen']").fill("6500000")
    await form.locator("[name='starts_at']").fill(typed_local(clock.now(), s.node))
    await form.locator("[name='ends_at']").fill(
        typed_local(clock.now() + timedelta(days=30), s.node)
    )
    await form.locator("[name='terms']").fill("専用券は中小店舗でのみ使えます。")
    await form.locator("[name='eligibility'][value='email']").check()
    await form.locator("[name='eligibility'][value='email']").uncheck()
    await admin.click("#create-campaign")
    await expect(admin.locator("#cp-new-price_yen-error")).to_contain_text("額面より低い")
    await expect(form.locator("[name='local_yen']")).to_have_value("3000")
    await check_page(admin, "campaigns-new-refused")
    await form.locator("[name='price_yen']").fill("10000")
    await admin.click("#create-campaign")
    await expect(admin.locator("#notice")).to_contain_text("キャンペーンを作成しました")
    return admin.url.rsplit("/", 1)[1].split("?", 1)[0]


async def _grant(admin: Page, s: PointsShop, customer_id: str) -> None:
    await admin.locator("#find-customer [name='q']").fill("hanako")
    await admin.click("#find")
    found = admin.locator(f"#found li[data-customer='{customer_id}']")
    await expect(found).to_contain_text("山田花子")
    await check_page(admin, "campaigns-status-found")
    await found.locator("button.grant-to").click()
    await expect(admin.locator("#notice")).to_contain_text("付与しました")
    await expect(admin.locator("#granted")).to_have_text("¥13,000")


async def test_head_office_runs_a_premium_campaign(tmp_path: Path) -> None:
    clock = FakeClock()
    async with points_shop(tmp_path / "node", clock) as s, chromium() as browser:
        shop_id = str((await s.call("POST", "stores", {"name": "商店街の八百屋"}))["store_id"])
        made = await s.call("POST", "customers", {"name": "山田花子", "email": "hanako@ex.jp"})
        customer_id = str(made["customer_id"])
        admin = await phone(browser)
        await sign_in_with_password(admin, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await admin.goto(f"{s.base_url}/admin/campaigns")
        await check_page(admin, "campaigns-empty")
        await _mark_local(admin, s, shop_id)
        campaign_id = await _create_premium(admin, s, clock)
        await expect(admin.locator("#local")).to_have_text("¥3,000")
        await check_page(admin, "campaigns-status-new")
        await _grant(admin, s, customer_id)

        [local] = [
            c for c in await actions.coupons_of(s.node, customer_id) if c["store_class"] == "local"
        ]
        code = await s.call("GET", f"vouchers/{local['voucher_id']}/code")
        body = {"payload": code["payload"], "amount": 3_000, "store_id": shop_id}
        await s.call("POST", "redemptions", body)
        await admin.reload()
        await expect(admin.locator("#used")).to_have_text("¥3,000")
        await expect(admin.locator("#outstanding")).to_have_text("¥10,000")
        await expect(admin.locator("#remaining")).to_have_text("¥6,487,000")
        await expect(admin.locator("#reconciled")).to_have_attribute("data-reconciled", "true")
        await check_page(admin, "campaigns-status-used")

        await admin.goto(f"{s.base_url}/admin/campaigns")
        row = admin.locator(f"tr[data-campaign='{campaign_id}']")
        await expect(row).to_contain_text("プレミアム商品券")
        await expect(row).to_contain_text("1 / 500")
        await check_page(admin, "campaigns-list")
        await admin.goto(f"{s.base_url}/admin/campaigns/{campaign_id}/close")
        await check_page(admin, "campaigns-close")
        await admin.click("#close-campaign")
        await expect(admin.locator("#campaign-state")).to_have_attribute("data-state", "closed")
