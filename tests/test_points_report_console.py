"""The console's points report in Chromium (/admin/points/report): the roll-forward of this
month, the items the regulars carry, and a refused period shown in Japanese."""

from __future__ import annotations

from playwright.async_api import expect

from node.points import actions
from node.points.actions import Caller
from node.runtime import NODE, Node
from tests.browser import chromium
from tests.conftest import NodeFactory, RunningNode, ok
from tests.console_helpers import admin_of
from tests.page_checks import check_page
from tests.web_flow_helpers import PHONE

POS = Caller("key:ak_test")


def node_of(running: RunningNode) -> Node:
    assert running.runner is not None
    return running.runner.app[NODE]


async def test_the_console_shows_the_points_report(nodes: NodeFactory) -> None:
    running = await nodes.start("ベーカリー こむぎ")
    node = node_of(running)
    buyers = []
    for name in ("常連", "山田", "佐藤", "鈴木", "高橋"):
        made = await ok(running, "POST", "customers", {"name": name})
        buyers.append(await actions.member_of(node, str(made["customer_id"])))
    bread = {"sku": "BREAD", "name": "食パン", "quantity": 1, "amount_yen": 400}
    jam = {"sku": "JAM-7", "name": "自家製ジャム", "quantity": 1, "amount_yen": 900}
    await actions.earn(node, buyers[0].member_no, 30_000, "t0", POS, None, [bread, jam])
    for number, member in enumerate(buyers[1:], start=1):
        await actions.earn(node, member.member_no, 400, f"t{number}", POS, None, [bread])
    code = actions.card_code(node, buyers[0])
    await actions.use(node, str(code["payload"]), 100, "u0", POS)

    async with chromium() as browser, admin_of(browser, running, PHONE) as admin:
        page = admin.page
        await admin.open("/admin/points/report")
        await expect(page.locator("h1")).to_have_text("ポイントのレポート")
        rollforward = page.locator("#rollforward")
        await expect(rollforward).to_have_attribute("data-balanced", "yes")
        await expect(rollforward.locator("tr[data-row=earn] td")).to_have_text("+316")
        await expect(rollforward.locator("tr[data-row=use] td")).to_have_text("-100")
        await expect(rollforward.locator("tr[data-row=closing] td")).to_have_text("216")
        await expect(page.locator("#carried li[data-sku=JAM-7]")).to_contain_text("自家製ジャム")
        await expect(page.locator("[data-figure=regulars]")).to_have_text("1")
        await check_page(page, "admin-points-report")

        await page.fill("#from", "2027-01-10")
        await page.fill("#to", "2027-01-01")
        await page.click("#show")
        assert await admin.error_code() == "request.invalid_date"
        await check_page(page, "admin-points-report-refused")
