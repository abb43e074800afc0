"""A hand-over link's page says what became of the voucher: waiting, expired before anyone took
it, or an unknown link; never a bare status. (Received by someone else, or by the reader, is walked
in Chromium by tests/test_web_error_pages.py.)"""

from __future__ import annotations

from urllib.parse import urlsplit

import aiohttp

from node.home import NodeHome
from node.server import load_node, start
from node.web import handover
from node.web.i18n import TEXTS
from tests.conftest import FakeClock, SeededRandomness, loop_watchdog


async def landing(session: aiohttp.ClientSession, link: str) -> tuple[int, str]:
    async with session.get(link, allow_redirects=False) as response:
        return response.status, await response.text()


async def test_a_gift_link_past_its_expiry_says_so(home: NodeHome, clock: FakeClock) -> None:
    with loop_watchdog():
        node = load_node(home, clock, SeededRandomness())
        runner, port = await start(node, "127.0.0.1", 0)
        base = f"http://127.0.0.1:{port}"
        headers = {"Authorization": f"Bearer {node.admin_token}"}
        try:
            async with aiohttp.ClientSession() as session:
                async with session.post(
                    f"{base}/api/v1/customers", json={"name": "山田花子"}, headers=headers
                ) as answer:
                    customer_id = (await answer.json())["customer_id"]
                async with session.post(
                    f"{base}/api/v1/vouchers",
                    json={"amount": 5000, "customer_id": customer_id},
                    headers=headers,
                ) as answer:
                    voucher_id = (await answer.json())["voucher_id"]
                gift = await handover.gift(node, voucher_id, customer_id, 2000)
                link = base + urlsplit(gift.link).path  # the home's public_url is no server
                status, text = await landing(session, link)
                assert status == 200 and 'data-state="pending"' in text
                assert 'id="take-amount">¥2,000<' in text

                clock.advance(days=200)  # a gift is valid for 6 months
                status, text = await landing(session, link)
                assert status == 410
                assert 'data-state="expired"' in text
                assert TEXTS["take_expired_hint"][0] in text
                assert 'href="/wallet" class="button wide" id="take-way-on"' in text
                assert "404" not in text and "410" not in text

                status, text = await landing(session, f"{base}/take/not-a-link")
                assert status == 404 and 'data-state="unknown"' in text
        finally:
            await runner.cleanup()
