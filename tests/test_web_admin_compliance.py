"""The console's 資金決済法 page and the 基準日 warnings on its home, in Chromium: the figures of the
last and next 基準日, the downloads, a refused date, and each warning as the days and the unused
balance move (near ¥10,000,000, above it, 30 days before a 基準日, the filing still open), and
the mark on a past 基準日's report once a partner has changed since."""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.async_api import Page, expect

from node.identity import encode_node_id
from tests.browser import chromium
from tests.conftest import NodeFactory, RunningNode, ok
from tests.console_helpers import ADMIN_PASSWORD, admin_of
from tests.page_checks import check_page
from tests.web_flow_helpers import PHONE, sign_in_with_password


async def sell(node: RunningNode, store_id: str, face: int, count: int) -> None:
    for _ in range(count):
        await ok(node, "POST", "vouchers", {"amount": face, "store_id": store_id})


async def sign_in_again(page: Page, node: RunningNode) -> None:
    """Months pass on the node's clock: the session has ended."""
    await sign_in_with_password(page, node.base_url, "admin", "admin", ADMIN_PASSWORD)


async def test_the_console_shows_the_report_and_warns(nodes: NodeFactory) -> None:
    node = await nodes.start("居酒屋 さくら")  # the clock: 2026-11-24 10:00 in Tokyo
    store = (await ok(node, "POST", "stores", {"name": "本店"}))["store_id"]
    async with chromium() as browser, admin_of(browser, node, PHONE) as admin:
        page = admin.page
        await admin.open("/admin")
        await expect(page.locator("#kijunbi-warnings")).to_have_count(0)

        await sell(node, store, 900_000, 9)  # ¥8,100,000: 81 % of the 基準額
        await admin.open("/admin")
        near = page.locator("[data-warning=near_threshold]")
        await expect(near).to_contain_text("¥8,100,000")
        await check_page(page, "admin-home-compliance-near")
        await page.click("#compliance-link")

        await expect(page.locator("h1")).to_have_text("資金決済法: 基準日の報告")
        latest, coming = page.locator("#kijunbi-2026-09-30"), page.locator("#kijunbi-2027-03-31")
        await expect(latest.locator("[data-figure=unused]")).to_have_text("¥0")
        await expect(coming.locator("[data-figure=unused]")).to_have_text("¥8,100,000")
        await expect(coming).to_have_attribute("data-final", "no")
        await expect(coming.locator("[data-figure=deadline]")).to_have_text("2027-05-31")
        await expect(coming.locator("tr[data-row=issued] td").first).to_have_text("¥8,100,000")
        await check_page(page, "admin-compliance")

        pdf_link = coming.locator("[data-download=pdf]")
        async with page.expect_download() as download_info:
            await pdf_link.click()
        download = await download_info.value
        assert download.suggested_filename == "kijunbi-2027-03-31.pdf"
        answer = await page.request.get(
            f"{node.base_url}/admin/compliance/report.csv?date=2027-03-31"
        )
        assert answer.status == 200 and "8100000" in await answer.text()

        await page.fill("#date", "2027-03-30")
        await page.evaluate("document.querySelector('#pick-form').noValidate = true")
        await page.click("#show")
        assert await admin.error_code() == "compliance.not_reference_date"
        await check_page(page, "admin-compliance-refused-date")

        await sell(node, store, 1_000_000, 2)  # ¥10,100,000: above the 基準額
        node.clock.set(datetime(2027, 3, 5, 1, tzinfo=UTC))  # 26 days before 31 March
        await sign_in_again(admin.page, node)
        await admin.open("/admin")
        await expect(page.locator("[data-warning=due_soon]")).to_contain_text("あと26日")
        await expect(page.locator("[data-warning=over_threshold_so_far]")).to_contain_text(
            "¥5,050,000"
        )
        await check_page(page, "admin-home-compliance-due")

        node.clock.set(datetime(2027, 4, 10, 1, tzinfo=UTC))  # 31 March has ended
        await sign_in_again(admin.page, node)
        await admin.open("/admin/compliance")
        over = page.locator("[data-warning=over_threshold]")
        await expect(over).to_contain_text("¥10,100,000")
        await expect(over).to_contain_text("2027-05-31")
        await expect(page.locator("[data-warning=filing_open]")).to_contain_text("2027-05-31")
        final = page.locator("#kijunbi-2027-03-31")
        await expect(final).to_have_attribute("data-final", "yes")
        await expect(final.locator("[data-figure=deposit]")).to_have_text("¥5,050,000")
        await check_page(page, "admin-compliance-over")

        await admin.open("/admin/compliance?date=2026-09-30")
        await expect(page.locator("#kijunbi-2026-09-30 [data-figure=unused]")).to_have_text("¥0")
        await expect(page.locator("#back")).to_be_visible()
        await expect(page.locator("#acceptance-changed-2026-09-30")).to_have_count(0)

        partner = {"node_id": encode_node_id(bytes(range(32))), "url": "http://127.0.0.1:9"}
        await ok(node, "POST", "peers/import", {"peers": [partner]})  # after the 基準日
        await admin.open("/admin/compliance?date=2026-09-30")
        await expect(page.locator("#acceptance-changed-2026-09-30")).to_contain_text(
            "提出済みの報告書と異なることがあります"
        )
        await check_page(page, "admin-compliance-acceptance-changed")
