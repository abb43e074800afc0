"""Idle and half-sent connections (slowloris) cannot take the node down: timeouts, caps, quiet logs.

The flood tests run `kippu serve` in a child process whose descriptor limit (RLIMIT_NOFILE) is
lowered, so a few hundred sockets do what ~1,050 did to a node with the usual 1,024.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest

from node.admin_client import AdminClient
from node.config import ListenAddress, render_config
from node.demo import free_port, running_node
from node.server import load_node, start
from tests.conftest import FakeClock, SeededRandomness, make_home

HALF_A_REQUEST_LINE = b"GET /api/v1/status HT"
ATTACKERS = [f"127.0.0.{n}" for n in range(2, 8)]  # other loopback source addresses


def configured(port: int, settings: dict[str, int | str]) -> str:
    """config.toml as `kippu init` writes it, with the [server] settings named changed."""
    text = render_config("Slow Loris Shop", ListenAddress("127.0.0.1", port))
    for key, value in settings.items():
        text, found = re.subn(rf"^{key} = .*$", f"{key} = {value}", text, flags=re.M)
        assert found == 1, key
    return text


@contextlib.contextmanager
def served(
    tmp_path: Path, settings: dict[str, int | str] | None = None, limit: int = 256
) -> Iterator[AdminClient]:
    port = free_port()
    home = make_home(tmp_path / "node")
    home.config_path.write_text(configured(port, settings or {}), encoding="utf-8")
    with running_node(home, tmp_path / "node.log", descriptor_limit=limit) as api:
        yield api


async def hold_connections(
    port: int, per_address: int, stack: contextlib.AsyncExitStack
) -> list[asyncio.StreamReader]:
    """Open connections from several source addresses, each sending half a request line."""

    async def one(source: str) -> asyncio.StreamReader | None:
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0)), 5
            )
        except (OSError, TimeoutError):
            return None  # the listen backlog is full: the flood already did its work
        stack.push_async_callback(_close, writer)
        writer.write(HALF_A_REQUEST_LINE)
        return reader

    opened = await asyncio.gather(*(one(a) for a in ATTACKERS for _ in range(per_address)))
    return [reader for reader in opened if reader is not None]


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()


async def status_of(api: AdminClient) -> int:
    """One well-behaved request from 127.0.0.1, as the CLI or a counter would make it."""
    headers = {"Authorization": f"Bearer {api.token}"}
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session,
        session.get(f"{api.base_url}/api/v1/status", headers=headers) as response,
    ):
        return response.status


async def test_the_node_keeps_answering_while_idle_connections_pile_up(tmp_path: Path) -> None:
    with served(tmp_path, limit=256) as api:
        port = int(api.base_url.rsplit(":", 1)[1])
        async with contextlib.AsyncExitStack() as stack:
            held = await hold_connections(port, 60, stack)  # 360 > the 256 descriptors
            assert len(held) > 256 - 64
            for _ in range(5):
                assert await status_of(api) == 200
        assert await status_of(api) == 200


@pytest.fixture
async def node_url(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """A node in this event loop with the [server] settings the test names."""
    home = make_home(tmp_path / "node")
    home.config_path.write_text(configured(1, request.param), encoding="utf-8")
    node = load_node(home, FakeClock(), SeededRandomness())
    runner, port = await start(node, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


HEAD_QUICK = {"head_timeout_seconds": 1, "idle_timeout_seconds": 3600}
IDLE_QUICK = {"head_timeout_seconds": 300, "idle_timeout_seconds": 1}


@pytest.mark.parametrize("node_url", [HEAD_QUICK], indirect=True)
async def test_a_head_that_trickles_in_is_cut_off(node_url: str) -> None:
    port = int(node_url.rsplit(":", 1)[1])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for byte in HALF_A_REQUEST_LINE:  # one byte every 0.2 s: never a whole head
            writer.write(bytes([byte]))
            with contextlib.suppress(TimeoutError):
                if await asyncio.wait_for(reader.read(1), 0.2) == b"":
                    return  # closed by the node
        assert await asyncio.wait_for(reader.read(), 30) == b""
    finally:
        await _close(writer)


@pytest.mark.parametrize("node_url", [HEAD_QUICK], indirect=True)
async def test_a_keep_alive_connection_idle_past_the_head_timeout_stays_open(node_url: str) -> None:
    """The head timer covers a head in progress, not the idle time after an answer."""
    port = int(node_url.rsplit(":", 1)[1])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for pause_s in (0.0, 2.5):  # 2.5 s idle: past the 1 s head timeout, within idle's 3600
            await asyncio.sleep(pause_s)
            writer.write(b"GET /staff/login HTTP/1.1\r\n")  # a head in two parts, as
            await asyncio.sleep(0.1)  # a slow network delivers it: the head timer starts
            writer.write(b"Host: shop\r\n\r\n")
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            assert head.startswith(b"HTTP/1.1 200"), head
            length = re.search(rb"(?im)^content-length: *(\d+)", head)
            assert length is not None
            await reader.readexactly(int(length.group(1)))
    finally:
        await _close(writer)


@pytest.mark.parametrize("node_url", [IDLE_QUICK], indirect=True)
async def test_a_silent_connection_and_an_idle_keep_alive_are_closed(node_url: str) -> None:
    port = int(node_url.rsplit(":", 1)[1])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        assert await asyncio.wait_for(reader.read(), 30) == b""  # sent nothing at all
    finally:
        await _close(writer)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"GET /staff/login HTTP/1.1\r\nHost: shop\r\n\r\n")
        assert (await reader.readline()).startswith(b"HTTP/1.1 200")
        await asyncio.wait_for(reader.read(), 30)  # the answer, then EOF once idle
        assert reader.at_eof()
    finally:
        await _close(writer)


@pytest.mark.parametrize("node_url", [{"max_connections_per_address": 5}], indirect=True)
async def test_one_address_gets_at_most_its_share_of_connections(node_url: str) -> None:
    port = int(node_url.rsplit(":", 1)[1])
    async with contextlib.AsyncExitStack() as stack:
        for _ in range(5):
            _, writer = await asyncio.open_connection(
                "127.0.0.1", port, local_addr=(ATTACKERS[0], 0)
            )
            stack.push_async_callback(_close, writer)
        reader, writer = await asyncio.open_connection(
            "127.0.0.1", port, local_addr=(ATTACKERS[0], 0)
        )
        stack.push_async_callback(_close, writer)
        answer = await asyncio.wait_for(reader.read(), 30)
        assert answer.startswith(b"HTTP/1.1 503")
        assert b'"code": "server.too_many_connections"' in answer
        async with (  # another address is served as usual
            aiohttp.ClientSession() as session,
            session.get(f"{node_url}/staff/login") as response,
        ):
            assert response.status == 200


TRUSTED_PROXY = {"max_connections_per_address": 5, "trusted_proxies": f'["{ATTACKERS[0]}"]'}


@pytest.mark.parametrize("node_url", [TRUSTED_PROXY], indirect=True)
async def test_a_trusted_proxy_is_not_held_to_one_address_share(node_url: str) -> None:
    """Behind a reverse proxy every client's connection comes from the proxy's address."""
    port = int(node_url.rsplit(":", 1)[1])
    async with contextlib.AsyncExitStack() as stack:
        for _ in range(8):  # more than one address's share, all from the proxy
            _, writer = await asyncio.open_connection(
                "127.0.0.1", port, local_addr=(ATTACKERS[0], 0)
            )
            stack.push_async_callback(_close, writer)
        connector = aiohttp.TCPConnector(local_addr=(ATTACKERS[0], 0))
        async with (
            aiohttp.ClientSession(connector=connector) as session,
            session.get(f"{node_url}/staff/login") as response,
        ):
            assert response.status == 200


def test_accept_errors_are_logged_a_few_times_not_a_flood(tmp_path: Path) -> None:
    """With the total cap lifted the descriptors do run out; the log must stay short."""
    lift_cap = {"max_connections": 100_000, "max_connections_per_address": 100_000}
    with served(tmp_path, lift_cap, limit=128) as api:
        port = int(api.base_url.rsplit(":", 1)[1])

        async def flood() -> None:
            async with contextlib.AsyncExitStack() as stack:
                await hold_connections(port, 40, stack)  # 240 > 128 descriptors
                log = tmp_path / "node.log"
                for _ in range(100):  # until the node reports it (bounded: 10 s)
                    if "cannot accept connections" in log.read_text(encoding="utf-8"):
                        break
                    await asyncio.sleep(0.1)
                await hold_connections(port, 5, stack)  # and more, after the report

        asyncio.run(flood())
    text = (tmp_path / "node.log").read_text(encoding="utf-8")
    assert text.count("cannot accept connections") == 1
    assert "socket.accept() out of system resource" not in text
