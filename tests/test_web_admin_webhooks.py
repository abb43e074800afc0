"""The console's webhooks page in Chromium at 375 px: add one (the secret shown once), a bad
address refused inline, a test event received and verified by a real receiver, a failed
delivery seen with its attempts and error and sent again, disable after a confirm (issue 17)."""

from __future__ import annotations

from playwright.async_api import expect

from tests.browser import chromium
from tests.conftest import NodeFactory
from tests.console_helpers import admin_of
from tests.page_checks import check_page
from tests.web_flow_helpers import PHONE
from tests.webhook_helpers import earn, member, receiver


async def test_head_office_adds_tests_retries_and_disables_a_webhook(nodes: NodeFactory) -> None:
    shop = await nodes.start("居酒屋 さくら")
    async with (
        receiver(shop.clock) as pos,
        chromium() as browser,
        admin_of(browser, shop, PHONE) as admin,
    ):
        page = admin.page
        await admin.open("/admin/webhooks")
        await expect(page.locator("#hooks")).to_contain_text("Webhookはまだありません")
        await check_page(page, "admin-webhooks-empty")

        await page.fill("#hook-url", "http://pos.example.com/hooks")
        await page.check("input[name='event:points.earned']")
        await page.click("#add")
        await expect(page.locator("#hook-error")).to_contain_text("https://")
        await expect(page.locator("#hook-url")).to_have_value("http://pos.example.com/hooks")
        await expect(page.locator("input[name='event:points.earned']")).to_be_checked()
        await check_page(page, "admin-webhooks-refused")

        await page.fill("#hook-url", pos.url)
        await page.uncheck("input[name='event:points.earned']")
        await page.click("#add")
        await expect(page.locator("#hook-error")).to_contain_text("イベントを1つ以上")
        await page.check("input[name='event:points.earned']")
        await page.check("input[name='event:points.expiring']")
        await page.click("#add")
        await expect(page.locator("#new-hook")).to_contain_text("今だけ表示されます")
        pos.secret = await page.locator("#new-secret").input_value()
        assert pos.secret.startswith("whsec_")
        row = page.locator("#hooks tbody tr").first
        await expect(row).to_contain_text("ポイント付与")
        await expect(row).to_contain_text("ポイント失効予定")
        await check_page(page, "admin-webhooks-added")

        await row.locator("a.deliveries").click()
        await page.click("#send-test")
        await admin.notice("テスト通知を送信キューに入れました。")
        [ping] = await pos.next(1)
        assert ping.signature_ok and ping.event["type"] == "webhook.ping"

        pos.answers = [500]
        await earn(shop, await member(shop, "花子"), 1_000, "pos-1")
        await pos.next(2)
        failed = page.locator("#deliveries tr[data-state='pending']")
        for _ in range(50):  # the outcome is written just after the answer: look again
            await page.reload()
            if await failed.count():
                break
        await expect(failed).to_contain_text("HTTP 500")
        await expect(failed).to_contain_text("ポイント付与")
        await check_page(page, "admin-webhook-deliveries")
        await failed.locator("button.retry").click()
        await admin.notice("再送を予約しました。")
        await pos.next(3)
        assert all(r.signature_ok for r in pos.received)
        assert pos.received[2].event["id"] == pos.received[1].event["id"]

        await page.click("#disable-link")
        await expect(page.locator("#disable-url")).to_have_text(pos.url)
        await check_page(page, "admin-webhook-disable")
        await page.click("#disable")
        await admin.notice("Webhookを停止しました。")
        await expect(page.locator("#hooks tbody tr").first).to_have_attribute(
            "data-state", "disabled"
        )
        await check_page(page, "admin-webhooks-disabled")
