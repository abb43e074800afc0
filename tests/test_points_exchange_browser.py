"""The exchange catalogue and a point lottery in Chromium, every state through
tests/page_checks.py's check_page at 375 and 1366 px: head office adds an item (a bad cost refused
beside its field) and sets a lottery up (a prize over the 景品表示法 limit refused beside its
field, in Japanese); a member orders the item through the confirm step (a bad postcode refused
first) and head office ships it; the member enters the lottery through its confirm step, head
office closes it (the entries' hash published) and draws it (the seed revealed), the member
sees the result and the same hash, and the downloaded draw file recomputes offline."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import aiohttp
from playwright.async_api import Page, expect

from node.points import actions, exchange_actions, lottery_actions
from node.points.actions import ADMIN
from node.points.exchange_model import ItemTerms
from node.points.lottery_draw import differences
from node.points.lottery_model import LotteryTerms, Prize
from node.runtime import Node
from node.server import load_node, start
from tests.browser import chromium
from tests.conftest import FakeClock, SeededRandomness, make_home
from tests.page_checks import check_page
from tests.web_flow_helpers import (
    ADMIN_PASSWORD,
    Inbox,
    free_port,
    phone,
    sign_in_by_link,
    sign_in_with_password,
    smtp_inbox,
    web_config,
)

EMAIL = "hanako@example.jp"


@dataclass
class Running:
    node: Node
    base_url: str
    clock: FakeClock
    customer_id: str


@asynccontextmanager
async def running_shop(root: Path, clock: FakeClock, smtp_port: int) -> AsyncIterator[Running]:
    """A node serving pages (mail to the test's SMTP sink), with its `Node` at hand."""
    home = make_home(root, "雑貨 つばめ")
    port = free_port()
    home.config_path.write_text(
        web_config(home.config_path.read_text(encoding="utf-8"), port, smtp_port),
        encoding="utf-8",
    )
    node = load_node(home, clock, SeededRandomness())
    runner, _ = await start(node, "127.0.0.1", port)
    base_url = f"http://127.0.0.1:{port}"
    try:
        headers = {"Authorization": f"Bearer {node.admin_token}"}
        async with aiohttp.ClientSession(headers=headers) as api:
            async with api.put(
                f"{base_url}/api/v1/admin/password", json={"password": ADMIN_PASSWORD}
            ) as r:
                assert r.status < 300, await r.text()
            async with api.post(
                f"{base_url}/api/v1/customers", json={"name": "山田花子", "email": EMAIL}
            ) as r:
                customer_id = str((await r.json())["customer_id"])
        member = await actions.member_of(node, customer_id)
        await actions.adjust(node, member.member_no, 1_000, "開店記念", ADMIN)
        yield Running(node, base_url, clock, customer_id)
    finally:
        await runner.cleanup()


async def _admin_adds_an_item(admin: Page, s: Running) -> None:
    await admin.goto(f"{s.base_url}/admin/points/exchange")
    await expect(admin.locator("#no-items")).to_be_visible()
    await check_page(admin, "points-exchange-empty")
    await admin.fill("#add-item [name='name']", "オリジナルタオル")
    await admin.fill("#add-item [name='points']", "たくさん")
    await admin.click("#add")
    await expect(admin.locator("#add-item-points-error")).to_contain_text("ポイント")
    await expect(admin.locator("#add-item [name='name']")).to_have_value("オリジナルタオル")
    await check_page(admin, "points-exchange-item-refused")
    await admin.fill("#add-item [name='points']", "６００")
    await admin.fill("#add-item [name='stock']", "3")
    await admin.click("#add")
    await expect(admin.locator("#notice")).to_contain_text("交換商品を追加しました")
    await expect(admin.locator("#items tr[data-state='on_offer']")).to_contain_text("600pt")
    await check_page(admin, "points-exchange-items")


async def _admin_sets_up_a_lottery(admin: Page, s: Running) -> str:
    await admin.goto(f"{s.base_url}/admin/points/lotteries")
    await check_page(admin, "points-lotteries-empty")
    form = "#add-lottery"
    for name, value in (
        ("name", "年末ポイント抽選"),
        ("entry_points", "100"),  # ¥100 a entry: one prize at most ¥2,000
        ("opens_at", "2026-11-24T09:00"),
        ("closes_at", "2026-11-24T12:00"),
        ("related_sales_yen", "1000000"),
        ("prize_name_0", "お米券"),
        ("prize_value_0", "3000"),
        ("prize_count_0", "1"),
    ):
        await admin.fill(f"{form} [name='{name}']", value)
    await admin.click("#add")
    error = admin.locator("#add-lottery-prize_value_0-error")
    await expect(error).to_contain_text("景品表示法")
    await expect(error).to_have_attribute("data-code", "points.prize_limit")
    await check_page(admin, "points-lottery-prize-refused")
    await admin.fill(f"{form} [name='prize_value_0']", "2000")
    await admin.click("#add")
    await expect(admin.locator("#notice")).to_contain_text("抽選を設定しました")
    await expect(admin.locator("#state")).to_have_text("受付中")
    await expect(admin.locator("#commitment")).to_have_text(re_hex())
    await check_page(admin, "points-lottery-open")
    return admin.url.split("/")[-1].split("?")[0]


def re_hex() -> object:
    import re

    return re.compile(r"^[0-9a-f]{64}$")


async def _member_orders(member: Page, s: Running) -> None:
    await member.goto(f"{s.base_url}/wallet")
    await member.click("#points-exchange-link")
    await expect(member.locator("#points-balance")).to_contain_text("1,000pt")
    await check_page(member, "wallet-points-exchange")
    await member.click("#items li[data-item] a")
    await member.fill("#ship_name", "山田 花子")
    await member.fill("#ship_postcode", "15-1")
    await member.fill("#ship_address", "東京都渋谷区神宮前1-2-3")
    await member.click("#order-next")
    await expect(member.locator("[data-code='points.invalid']")).to_contain_text("郵便番号")
    await expect(member.locator("#ship_name")).to_have_value("山田 花子")
    await check_page(member, "wallet-points-order-refused")
    await member.fill("#ship_postcode", "1500001")
    await member.click("#order-next")
    await expect(member.locator("#confirm-address")).to_contain_text("〒150-0001")
    await expect(member.locator("#confirm-after")).to_have_text("400pt")
    await check_page(member, "wallet-points-order-confirm")
    action, form = await _form_of(member, "#place-order")
    assert form["txn"]
    await member.click("#place-order")
    await expect(member.locator("#ordered")).to_be_visible()
    again = await member.request.post(f"{s.base_url}{action}", form=form)
    assert again.ok  # a second tap answers the first order: nothing more taken
    await member.reload()
    await expect(member.locator("#my-orders li[data-order]")).to_have_count(1)
    await expect(member.locator("#points-balance")).to_contain_text("400pt")
    await expect(member.locator("#my-orders li[data-status='ordered']")).to_contain_text(
        "オリジナルタオル"
    )
    await check_page(member, "wallet-points-ordered")


async def _admin_ships(admin: Page, s: Running) -> None:
    await admin.goto(f"{s.base_url}/admin/points/exchange")
    order = admin.locator("#orders tr[data-status='ordered']")
    await expect(order).to_contain_text("〒150-0001")
    await check_page(admin, "points-exchange-to-ship")
    await order.locator("button.ship").click()
    await expect(admin.locator("#notice")).to_contain_text("発送済みにしました")
    await expect(admin.locator("#no-orders")).to_be_visible()
    await admin.click("#orders-shipped")
    await expect(admin.locator("#orders tr[data-status='shipped']")).to_contain_text(
        "オリジナルタオル"
    )
    await check_page(admin, "points-exchange-shipped")


async def _admin_cancels(admin: Page, s: Running) -> None:
    """An order cancelled through its confirm page: the points back, the stock back."""
    sticker = await exchange_actions.add_item(s.node, ItemTerms("ステッカー", 100, 5, ""), "admin")
    item_id = str(sticker["item_id"])
    address = {"ship_name": "山田 花子", "ship_postcode": "150-0001", "ship_address": "東京都"}
    placed = await exchange_actions.order_for_customer(s.node, s.customer_id, item_id, address)
    assert placed["balance"] == 300
    await admin.goto(f"{s.base_url}/admin/points/exchange")
    await admin.locator(f"#orders tr[data-order='{placed['order_id']}'] a.cancel").click()
    await expect(admin.locator("#confirm-title")).to_have_text("交換注文を取り消す")
    await check_page(admin, "points-exchange-cancel-confirm")
    await admin.click("#confirm")
    await expect(admin.locator("#notice")).to_contain_text("ポイントと在庫を戻しました")
    assert await exchange_actions.member_balance(s.node, s.customer_id) == 400
    assert (await exchange_actions.show_item(s.node, item_id))["stock"] == 5


async def _member_enters(member: Page, s: Running, lottery_id: str) -> None:
    await member.goto(f"{s.base_url}/wallet")
    await member.click("#points-lotteries-link")
    await check_page(member, "wallet-points-lotteries")
    await member.click(f"#lotteries li[data-lottery='{lottery_id}'] a")
    await member.click("#enter-next")
    await expect(member.locator("#confirm-lottery")).to_have_text("年末ポイント抽選")
    await check_page(member, "wallet-points-lottery-confirm")
    action, form = await _form_of(member, "#enter")
    await member.click("#enter")
    await expect(member.locator("#entered")).to_be_visible()
    again = await member.request.post(f"{s.base_url}{action}", form=form)
    assert again.ok  # a second tap answers the first entry
    await member.reload()
    await expect(member.locator("#lottery-balance")).to_have_text("300pt")
    await expect(member.locator("#my-entry-count")).to_have_text("1 / 1")
    await expect(member.locator("#enter-next")).to_have_count(0)  # the cap of one entry
    await check_page(member, "wallet-points-lottery-entered")


async def _admin_draws(admin: Page, s: Running, lottery_id: str, tmp_path: Path) -> str:
    await admin.goto(f"{s.base_url}/admin/points/lotteries/{lottery_id}")
    await admin.click("#close")
    await expect(admin.locator("#notice")).to_contain_text("ハッシュを公開しました")
    published = await admin.locator("#entries-hash").inner_text()
    await expect(admin.locator("#seed")).to_have_text("抽選時に公開")
    await check_page(admin, "points-lottery-closed")
    await admin.click("#draw")
    await expect(admin.locator("#notice")).to_contain_text("抽選しました")
    await expect(admin.locator("#winners tbody tr")).to_have_count(1)
    await check_page(admin, "points-lottery-drawn")
    async with admin.expect_download() as download:
        await admin.click("#download")
    path = tmp_path / "draw.json"
    await (await download.value).save_as(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert differences(document) == [] and document["entries_hash"] == published
    return published


async def _member_sees_the_result(member: Page, published: str) -> None:
    await member.reload()
    await expect(member.locator("#result")).to_have_attribute("data-won", "yes")
    await expect(member.locator("#my-wins")).to_contain_text("お米券")
    await expect(member.locator("#entries-hash")).to_have_text(published)
    await check_page(member, "wallet-points-lottery-won")


async def test_an_exchange_order_ships_and_a_lottery_is_drawn(tmp_path: Path) -> None:
    clock = FakeClock()  # 2026-11-24 10:00 in Tokyo
    async with (
        smtp_inbox() as (inbox, smtp_port),
        running_shop(tmp_path / "node", clock, smtp_port) as s,
        chromium() as browser,
    ):
        admin, member = await phone(browser), await phone(browser)
        await sign_in_with_password(admin, s.base_url, "admin", "admin", ADMIN_PASSWORD)
        await _admin_adds_an_item(admin, s)
        lottery_id = await _admin_sets_up_a_lottery(admin, s)
        await member.goto(f"{s.base_url}/wallet")
        await _sign_in(member, inbox)
        await _member_orders(member, s)
        await _admin_ships(admin, s)
        await _admin_cancels(admin, s)
        await _member_enters(member, s, lottery_id)
        clock.advance(hours=3)
        published = await _admin_draws(admin, s, lottery_id, tmp_path)
        await _member_sees_the_result(member, published)
        await _admin_calls_one_off(admin, s)


async def _form_of(page: Page, button: str) -> tuple[str, dict[str, str]]:
    """Where the form `button` sends goes, and its hidden fields, to send it a second time."""
    form = page.locator(f"form:has({button})")
    names = await form.locator("input[type=hidden]").evaluate_all(
        "inputs => inputs.map(i => [i.name, i.value])"
    )
    return str(await form.get_attribute("action")), dict(names)


async def _sign_in(page: Page, inbox: Inbox) -> None:
    await sign_in_by_link(page, inbox, EMAIL)
    await expect(page.locator("#points-exchange-link")).to_be_visible()


async def _admin_calls_one_off(admin: Page, s: Running) -> None:
    """A lottery cancelled through its confirm page before its draw."""
    now = s.clock.now()
    terms = LotteryTerms(
        "春の抽選", 100, 1, now, now + timedelta(days=3), 1_000_000, (Prize("券", 1_000, 1),)
    )
    lottery = await lottery_actions.add_lottery(s.node, terms, "admin")
    await admin.goto(f"{s.base_url}/admin/points/lotteries/{lottery['lottery_id']}")
    await admin.click("#cancel")
    await expect(admin.locator("#confirm-title")).to_have_text("抽選を中止（全額返還）")
    await check_page(admin, "points-lottery-cancel-confirm")
    await admin.click("#confirm")
    await expect(admin.locator("#notice")).to_contain_text("応募ポイントを戻しました")
    await expect(admin.locator("#state")).to_have_text("中止")
