"""The live wallet's event stream (issue 15, item 4), over real HTTP against a real node.

- a redemption (by the API, as the counter makes it) reaches the open stream as `voucher` with
  `paid` and the balance left; a reconnect with Last-Event-ID still announces it;
- only the holder's own voucher streams; a customer has at most STREAMS_PER_ACCOUNT streams
  (a newer one replaces the oldest, which is told `replaced`);
- a suspension (which writes no journal entry) reaches the open page as not usable, a resumption
  as usable again; a signed-out page is told `signed_out` at its next wake, never the voucher;
- the journal is followed by whole entries: an entry posting to two vouchers wakes both;
- the connection guard: a stream outlives the idle and head timeouts, and is not the
  connection evicted when the node's connection total is reached.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from node.config import ListenAddress, render_config
from node.demo import free_port
from node.ledger import live_queries
from node.runtime import NODE
from node.server import load_node, start
from node.web.live import STREAMS_PER_ACCOUNT
from tests.conftest import (
    AsyncNode,
    FakeClock,
    NodeFactory,
    SeededRandomness,
    make_home,
    ok,
)
from tests.web_helpers import (
    Person,
    add_store,
    customer_signs_in,
    customer_with_voucher,
    redeem_by_api,
)

POINT = re.compile(r'data-point="(\d+)"')


@dataclass
class Event:
    name: str
    point: str | None
    data: dict[str, Any]


async def next_event(stream: aiohttp.ClientResponse) -> Event:
    """The next event on the stream (comments and `retry:` lines skipped)."""
    name, point, data = "message", None, ""
    while True:
        line = (await asyncio.wait_for(stream.content.readline(), 20)).decode().rstrip("\n")
        if not line:
            if data:
                return Event(name, point, json.loads(data))
            continue
        field, _, value = line.partition(": ")
        if field == "event":
            name = value
        elif field == "id":
            point = value
        elif field == "data":
            data = value


@contextlib.asynccontextmanager
async def shop(tmp_path: Path, server: dict[str, int] | None = None) -> AsyncIterator[AsyncNode]:
    home = make_home(tmp_path / "node")
    text = render_config("ライブ商店", ListenAddress("127.0.0.1", free_port()))
    for key, value in (server or {}).items():
        text, found = re.subn(rf"^#? ?{key} = .*$", f"{key} = {value}", text, flags=re.M)
        assert found == 1, key
    home.config_path.write_text(text, encoding="utf-8")
    clock = FakeClock()
    node = load_node(home, clock, SeededRandomness())
    runner, port = await start(node, "127.0.0.1", 0)
    try:
        async with aiohttp.ClientSession() as session:
            yield AsyncNode(f"http://127.0.0.1:{port}", node.admin_token, clock, session)
    finally:
        await runner.cleanup()


async def holder(
    anode: AsyncNode, http: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture, email: str
) -> tuple[Person, str, str]:
    """A signed-in customer with a ¥10,000 voucher, and the point its page was rendered at."""
    voucher_id = await customer_with_voucher(anode, email)
    person = await customer_signs_in(Person(anode.base_url, http), email, caplog)
    page = await person.get(f"/wallet/v/{voucher_id}")
    found = POINT.search(page.text)
    assert page.status == 200 and found, page.text
    return person, voucher_id, found.group(1)


def events_url(anode: AsyncNode, voucher_id: str, after: str) -> str:
    return f"{anode.base_url}/wallet/v/{voucher_id}/events?after={after}"


async def test_a_redemption_reaches_the_open_page_and_a_reconnect(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with (
        shop(tmp_path) as anode,
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http,
    ):
        store = await add_store(anode, "渋谷店")
        _, voucher_id, after = await holder(anode, http, caplog, "taro@example.jp")
        async with http.get(events_url(anode, voucher_id, after)) as stream:
            assert stream.status == 200
            assert stream.headers["Content-Type"] == "text/event-stream"
            hello = await next_event(stream)
            assert hello.name == "voucher" and hello.point == after
            assert hello.data["balance"] == 10_000 and hello.data["paid"] == 0
            await redeem_by_api(anode, voucher_id, store, 8_000)
            paid = await next_event(stream)
        assert paid.name == "voucher"
        assert paid.data["paid"] == 8_000 and paid.data["balance"] == 2_000
        assert paid.data["usable"] is True and paid.point is not None
        assert int(paid.point) > int(after)
        # The phone was offline when it happened: its reconnect names the point it had.
        async with http.get(
            events_url(anode, voucher_id, "0"), headers={"Last-Event-ID": after}
        ) as again:
            missed = await next_event(again)
        assert missed.data["paid"] == 8_000 and missed.point == paid.point
        # Up to date: nothing to announce.
        async with http.get(events_url(anode, voucher_id, str(paid.point))) as fresh:
            assert (await next_event(fresh)).data["paid"] == 0


async def test_only_the_holder_streams_and_streams_per_account_are_bounded(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with (
        shop(tmp_path) as anode,
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as taro_http,
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as hanako_http,
        aiohttp.ClientSession() as stranger,
    ):
        _, taro_voucher, after = await holder(anode, taro_http, caplog, "taro@example.jp")
        await holder(anode, hanako_http, caplog, "hanako@example.jp")
        async with hanako_http.get(
            events_url(anode, taro_voucher, after), allow_redirects=False
        ) as other:
            assert other.status == 404  # another customer's voucher is simply not there
        async with stranger.get(
            events_url(anode, taro_voucher, after), allow_redirects=False
        ) as nobody:
            assert nobody.status in (303, 401)
            assert "text/event-stream" not in nobody.headers.get("Content-Type", "")
        async with contextlib.AsyncExitStack() as stack:
            streams = []
            for _ in range(STREAMS_PER_ACCOUNT):
                stream = await stack.enter_async_context(
                    taro_http.get(events_url(anode, taro_voucher, after))
                )
                await next_event(stream)
                streams.append(stream)
            newest = await stack.enter_async_context(
                taro_http.get(events_url(anode, taro_voucher, after))
            )
            assert (await next_event(newest)).name == "voucher"
            assert (await next_event(streams[0])).name == "replaced"


async def test_a_stream_outlives_the_timeouts_and_is_not_evicted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server = {"idle_timeout_seconds": 1, "head_timeout_seconds": 1, "max_connections": 24}
    async with (
        shop(tmp_path, server) as anode,
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http,
    ):
        store = await add_store(anode, "渋谷店")
        _, voucher_id, after = await holder(anode, http, caplog, "taro@example.jp")
        async with http.get(events_url(anode, voucher_id, after)) as stream:
            await next_event(stream)
            await asyncio.sleep(2.5)  # past both timeouts, with nothing sent either way
            # Fill the node to its total with connections that wait for a request: each
            # newcomer evicts a waiting one, never the stream (a request under way).
            port = int(anode.base_url.rsplit(":", 1)[1])
            idle = [(await asyncio.open_connection("127.0.0.1", port))[1] for _ in range(30)]
            await asyncio.sleep(0.2)
            await redeem_by_api(anode, voucher_id, store, 1_000)
            paid = await next_event(stream)
            for writer in idle:
                writer.close()
        assert paid.data["paid"] == 1_000 and paid.data["balance"] == 9_000
        assert (await ok(anode, "GET", "ledger/check"))["ok"] is True


async def test_a_suspension_reaches_the_open_page_and_a_resumption_too(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with (
        shop(tmp_path) as anode,
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http,
    ):
        _, voucher_id, after = await holder(anode, http, caplog, "taro@example.jp")
        async with http.get(events_url(anode, voucher_id, after)) as stream:
            assert (await next_event(stream)).data["usable"] is True
            reason = {"reason": "スマホ紛失の連絡"}
            await ok(anode, "POST", f"vouchers/{voucher_id}/suspend", reason)
            stopped = await next_event(stream)
            assert stopped.name == "voucher" and stopped.data["usable"] is False
            assert stopped.data["balance"] == 10_000 and stopped.data["paid"] == 0
            await ok(anode, "POST", f"vouchers/{voucher_id}/resume", {"reason": "見つかった"})
            again = await next_event(stream)
        assert again.name == "voucher" and again.data["usable"] is True


async def test_a_signed_out_page_is_told_so_at_its_next_wake_not_the_voucher(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with (
        shop(tmp_path) as anode,
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http,
    ):
        store = await add_store(anode, "渋谷店")
        person, voucher_id, after = await holder(anode, http, caplog, "taro@example.jp")
        async with http.get(events_url(anode, voucher_id, after)) as stream:
            await next_event(stream)
            wallet = await person.get("/wallet")
            person.token = wallet.csrf
            assert (await person.signed_post("/logout")).status == 303
            await redeem_by_api(anode, voucher_id, store, 2_000)  # wakes the stream at once
            told = await next_event(stream)
        assert told.name == "signed_out" and told.data == {}


async def test_an_entry_posting_to_two_vouchers_is_read_whole(nodes: NodeFactory) -> None:
    running = await nodes.start("ライブ商店")
    assert running.runner is not None
    reader = running.runner.app[NODE].require_reader()
    giver = await ok(running, "POST", "vouchers", {"amount": 10_000})
    someone = await ok(running, "POST", "customers", {"name": "花子"})
    point = await live_queries.journal_end(reader)
    gift = await ok(
        running,
        "POST",
        f"vouchers/{giver['voucher_id']}/gift",
        {"to": someone["customer_id"], "amount": 3_000},
    )
    seen: set[str] = set()
    more = True
    while more:  # one entry at a time: the smallest batch there is
        point, touched, more = await live_queries.touched_since(reader, point, batch=1)
        seen |= touched
    assert seen == {giver["voucher_id"], gift["voucher_id"]}
    assert point == await live_queries.journal_end(reader)
