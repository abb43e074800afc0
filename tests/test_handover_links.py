"""Hand-over links against a real node on 127.0.0.1: a gift's link is never renewed (only a
counter sale's is), and a sale cancelled while its customer was about to receive it shows the
link page's 取消 state, not an error page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import aiohttp
import pytest

from node.errors import LinkInvalid
from node.home import NodeHome
from node.ledger.model import PaymentMethod
from node.products import actions as product_actions
from node.runtime import Node
from node.server import load_node, start
from node.web import handover
from tests.conftest import FakeClock, SeededRandomness, loop_watchdog
from tests.web_helpers import Person, customer_signs_in


@asynccontextmanager
async def running(home: NodeHome, clock: FakeClock) -> AsyncIterator[tuple[Node, str]]:
    with loop_watchdog():
        node = load_node(home, clock, SeededRandomness())
        runner, port = await start(node, "127.0.0.1", 0)
        try:
            yield node, f"http://127.0.0.1:{port}"
        finally:
            await runner.cleanup()


async def admin(
    http: aiohttp.ClientSession, node: Node, base: str, path: str, body: object
) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {node.admin_token}"}
    async with http.post(f"{base}/api/v1/{path}", json=body, headers=headers) as answer:
        assert answer.status == 201, await answer.text()
        made: dict[str, str] = await answer.json()
        return made


def path_of(link: str) -> str:
    return urlsplit(link).path  # the home's public_url is no server


async def test_a_gift_link_is_never_renewed(home: NodeHome, clock: FakeClock) -> None:
    async with running(home, clock) as (node, base), aiohttp.ClientSession() as http:
        giver = await admin(http, node, base, "customers", {"name": "山田花子"})
        voucher = await admin(
            http, node, base, "vouchers", {"amount": 5000, "customer_id": giver["customer_id"]}
        )
        gift = await handover.gift(node, voucher["voucher_id"], giver["customer_id"], 2000)
        with pytest.raises(LinkInvalid):  # the counter's "show the QR again" with its number
            await handover.renew_link(node, gift.voucher.voucher_id)
        assert await handover.shown_again(node, gift.voucher.voucher_id) == gift.link
        async with http.get(base + path_of(gift.link)) as landing:
            assert landing.status == 200 and 'data-state="pending"' in await landing.text()


async def test_a_sale_cancelled_before_receiving_shows_the_cancelled_state(
    home: NodeHome, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    async with (
        running(home, clock) as (node, base),
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http,
    ):
        store = await admin(http, node, base, "stores", {"name": "渋谷店"})
        sold = await handover.sell(node, 3000, store["store_id"], PaymentMethod.CASH, "yamada")
        assert sold.link is not None
        renewed = await handover.renew_link(node, sold.voucher.voucher_id)  # a sale's: renewed
        customer = await customer_signs_in(Person(base, http), "taro@example.jp", caplog)
        landing = await customer.get(path_of(renewed))
        assert landing.status == 200 and 'data-state="pending"' in landing.text
        customer.token = landing.csrf
        await handover.cancel_sale(node, sold.voucher.voucher_id, None, "api")  # refunded there
        answer = await customer.signed_post(path_of(renewed))
        assert answer.status == 410 and 'data-state="cancelled"' in answer.text, answer.text


async def test_cancelling_a_product_sale_gives_its_stock_back(
    home: NodeHome, clock: FakeClock
) -> None:
    """The cancel the counter, the console and the API share (handover.cancel_sale) goes through
    the products' unit: the last one in stock comes back, and the sold counts leave it out."""
    async with running(home, clock) as (node, base), aiohttp.ClientSession() as http:
        store = await admin(http, node, base, "stores", {"name": "渋谷店"})
        made = await admin(
            http, node, base, "products", {"name": "券", "face_yen": 3000, "stock": 1}
        )
        sold = await handover.sell_product(
            node, made["product_id"], store["store_id"], PaymentMethod.CASH, "yamada"
        )
        assert (await product_actions.show_product(node, made["product_id"])).product.stock == 0
        await handover.cancel_sale(node, sold.voucher.voucher_id, store["store_id"], "yamada")
        shown = await product_actions.show_product(node, made["product_id"])
        assert (shown.product.stock, shown.sold, shown.sold_yen) == (1, 0, 0)
        assert [p.product_id for p in await product_actions.on_sale_at_counter(node)] == [
            made["product_id"]
        ]
