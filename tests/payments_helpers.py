"""A node selling products by card against localstripe, both in the test's event loop (node
tier): the node's `Node`, its Stripe gateway, a customer, and the products it sells."""

from __future__ import annotations

import asyncio
import platform
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import aiohttp

from node.clock import new_id
from node.config.model import ListenAddress
from node.config.template import render_config
from node.ledger import operations as ledger_operations
from node.payments.gateway import GATEWAY, StripeGateway
from node.products import core as product_core
from node.products import operations as product_operations
from node.products.core import ProductTerms
from node.products.model import Product
from node.runtime import NODE, Node
from node.server import load_node, start
from tests.conftest import FakeClock, SeededRandomness, loop_watchdog, make_home
from tests.stripe_server import SECRET_KEY, free_port, localstripe_in_loop, with_stripe

# The stripe SDK's first request describes the platform (platform.platform()), which runs
# `uname -p` once per process: a child process the node tier refuses. Asked here, at import.
platform.platform()


@dataclass
class Shop:
    node: Node
    gateway: StripeGateway
    base_url: str
    api_base: str
    session: aiohttp.ClientSession
    clock: FakeClock

    async def product(self, face_yen: int, price_yen: int, **terms: object) -> Product:
        now = self.clock.now()
        wanted = replace(
            ProductTerms(f"商品券 {face_yen}", face_yen, price_yen, valid_days=180), **terms
        )
        product = product_core.new_product(
            wanted, new_id(self.node.rng, "pr"), now, self.node.settings.policy.max_voucher_yen
        )
        return await self.node.require_writer().submit(product_operations.add_product(product))

    async def customer(self, name: str = "山田花子") -> str:
        customer_id = new_id(self.node.rng, "cu")
        email = f"{customer_id}@example.com"
        unit = ledger_operations.add_customer(customer_id, name, email, self.clock.now())
        return await self.node.require_writer().submit(unit)


@asynccontextmanager
async def card_shop(root: Path, clock: FakeClock | None = None) -> AsyncIterator[Shop]:
    """localstripe and one node configured for it, in this loop, under the loop watchdog."""
    clock = clock or FakeClock()
    with loop_watchdog():
        async with localstripe_in_loop() as api_base, aiohttp.ClientSession() as session:
            port = free_port()
            home = await asyncio.to_thread(make_home, root / "shop", "さくら商店")
            config = render_config("さくら商店", ListenAddress("127.0.0.1", port))
            home.config_path.write_text(with_stripe(config, api_base), encoding="utf-8")
            node = load_node(home, clock, SeededRandomness(port))
            runner, _ = await start(node, "127.0.0.1", port)
            try:
                gateway = runner.app[GATEWAY].gateway
                assert gateway is not None, "the node did not take [stripe]"
                app_node = runner.app[NODE]
                url = f"http://127.0.0.1:{port}"
                yield Shop(app_node, gateway, url, api_base, session, clock)
            finally:
                await runner.cleanup()


async def stripe_get(shop: Shop, path: str) -> dict[str, object]:
    """An object as localstripe holds it (a PaymentIntent, a refund list), read with the key."""
    headers = {"Authorization": f"Bearer {SECRET_KEY}"}
    async with shop.session.get(f"{shop.api_base}{path}", headers=headers) as response:
        response.raise_for_status()
        found: dict[str, object] = await response.json()
        return found


async def account_balances(shop: Shop) -> dict[str, int]:
    """Every journal account's sum (debits positive), read as the ledger check reads them."""
    rows = await shop.node.require_reader().execute_fetchall(
        "SELECT account, SUM(amount_yen) AS total FROM postings GROUP BY account"
    )
    return {str(r["account"]): int(r["total"]) for r in rows}
