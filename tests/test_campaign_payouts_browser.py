"""Head office pays the stores in Chromium, each new page checked by tests/page_checks.py (375 and
1366 px, axe, language, tap targets): a store's bank account set through its form (the holder's
kana converted, the number masked), a payout for the day before previewed and confirmed, its
全銀 file downloaded and read back field by field; then the paid coupon voided, so the store owes
it back, and that carry written off with its reason."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
from playwright.async_api import Page, expect

from node.campaigns.zengin import read_zengin
from node.runtime import Node
from node.server import load_node, start
from tests.browser import chromium
from tests.campaign_helpers import terms
from tests.conftest import FakeClock, SeededRandomness, make_home
from tests.page_checks import check_page
from tests.test_campaign_payouts import configure
from tests.web_flow_helpers import (
    ADMIN_PASSWORD,
    API_TIMEOUT,
    free_port,
    phone,
    sign_in_with_password,
    web_config,
)

DAY = "2026-11-24"  # the fake clock's first day


@asynccontextmanager
async def office_node(root: Path, clock: FakeClock) -> AsyncIterator[tuple[str, Node, Api]]:
    """A node with the office's account in [campaigns.payout] and pages on a free port."""
    home = make_home(root)
    configure(home)
    port = free_port()
    text = home.config_path.read_text(encoding="utf-8")
    home.config_path.write_text(web_config(text, port, None), encoding="utf-8")
    node = load_node(home, clock, SeededRandomness())
    runner, _ = await start(node, "127.0.0.1", port)
    headers = {"Authorization": f"Bearer {node.admin_token}"}
    try:
        async with aiohttp.ClientSession(headers=headers, timeout=API_TIMEOUT) as http:
            yield f"http://127.0.0.1:{port}", node, Api(f"http://127.0.0.1:{port}/api/v1", http)
    finally:
        await runner.cleanup()


class Api:
    def __init__(self, base: str, http: aiohttp.ClientSession) -> None:
        self.base, self.http = base, http

    async def call(self, method: str, path: str, body: object = None) -> dict[str, object]:
        async with self.http.request(method, f"{self.base}/{path}", json=body) as answer:
            found: dict[str, object] = await answer.json()
            assert answer.status in (200, 201), found
            return found


async def used_at(api: Api, campaign_id: str, store_id: str, amount: int) -> str:
    person = await api.call("POST", "customers", {"name": "市民"})
    granted = await api.call(
        "POST", f"campaigns/{campaign_id}/grants", {"customer_id": person["customer_id"]}
    )
    voucher = granted["voucher_ids"][0]  # type: ignore[index]
    code = await api.call("GET", f"vouchers/{voucher}/code")
    body = {"payload": code["payload"], "amount": amount, "store_id": store_id}
    return str((await api.call("POST", "redemptions", body))["redemption_id"])


async def _set_account(admin: Page, base_url: str, store_id: str) -> None:
    await admin.goto(f"{base_url}/admin/campaigns/stores/banks")
    card = admin.locator(f"section[data-store='{store_id}']")
    await expect(card).to_have_attribute("data-account", "false")
    await card.locator("summary").click()
    form = card.locator("form")
    await form.locator("[name='bank_code']").fill("0005")
    await form.locator("[name='branch_code']").fill("001")
    await form.locator("[name='account_number']").fill("7654321")
    await form.locator("[name='holder_kana']").fill("株式会社カギヤ")
    await form.locator("button.save-bank").click()
    await expect(admin.locator("#notice")).to_contain_text("振込先口座を保存しました")
    await expect(card).to_have_attribute("data-account", "true")
    await expect(card.locator(".holder")).to_have_text("ｶ)ｶｷﾞﾔ")
    await expect(card.locator(".masked")).to_have_text("••••321")
    await check_page(admin, "campaign-banks")


async def test_head_office_sets_an_account_runs_a_payout_and_downloads_its_file(
    tmp_path: Path,
) -> None:
    clock = FakeClock()
    async with office_node(tmp_path / "node", clock) as (base_url, _, api), chromium() as browser:
        made = await api.call("POST", "campaigns", terms(clock, stock=10))
        kagiya = str((await api.call("POST", "stores", {"name": "鍵屋"}))["store_id"])
        redemption = await used_at(api, str(made["campaign_id"]), kagiya, 800)
        clock.advance(days=1)
        await api.call("PUT", "admin/password", {"password": ADMIN_PASSWORD})
        admin = await phone(browser)
        await sign_in_with_password(admin, base_url, "admin", "admin", ADMIN_PASSWORD)
        await _set_account(admin, base_url, kagiya)

        await admin.goto(f"{base_url}/admin/campaigns/payouts")
        await expect(admin.locator("#no-runs")).to_be_visible()
        await admin.fill("#cp-preview [name='from']", DAY)
        await admin.fill("#cp-preview [name='to']", DAY)
        await admin.click("#preview")
        await expect(admin.locator("#ready")).to_be_visible()
        await expect(admin.locator("#preview-total")).to_have_text("¥800")
        await check_page(admin, "campaign-payout-preview")
        await admin.click("#confirm-run")
        await expect(admin.locator("#notice")).to_contain_text("支払を記録しました")
        await expect(admin.locator("#run-total")).to_have_text("¥800")
        await expect(admin.locator("#books-state")).to_have_attribute("data-reconciled", "true")
        await check_page(admin, "campaign-payout-run")

        async with admin.expect_download() as started:
            await admin.click("#download-zengin")
        download = await started.value
        saved = await download.path()
        transfer = read_zengin(await asyncio.to_thread(Path(saved).read_bytes))
        [line] = transfer.data
        assert (int(line["amount"]), line["account_number"]) == (800, "7654321")
        assert line["holder_name"].rstrip() == "ｶ)ｶｷﾞﾔ"
        assert (int(transfer.trailer["count"]), int(transfer.trailer["total"])) == (1, 800)

        # The paid ¥800 is voided the next day: the next run transfers nothing and 鍵屋 owes it.
        await api.call("POST", f"redemptions/{redemption}/void")
        clock.advance(days=1)
        await api.call("POST", "payouts", {"from": "2026-11-25", "to": "2026-11-25"})
        await sign_in_with_password(admin, base_url, "admin", "admin", ADMIN_PASSWORD)  # next day
        await admin.goto(f"{base_url}/admin/campaigns/payouts/carries")
        owing = admin.locator(f"li[data-store='{kagiya}']")
        await expect(owing).to_have_attribute("data-carry", "800")
        await check_page(admin, "campaign-payout-carries")
        await owing.locator(f"#cw-{kagiya} [name='reason']").fill("退店のため回収しない")
        await owing.locator(f"#write-off-{kagiya}").click()
        await expect(admin.locator("#notice")).to_contain_text("償却を記録しました")
        await expect(admin.locator("#no-carries")).to_be_visible()
        await expect(admin.locator("#write-offs")).to_contain_text("退店のため回収しない")
