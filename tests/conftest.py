"""Shared fixtures: a fake clock, seeded randomness, and real nodes on 127.0.0.1 with temporary homes."""

from __future__ import annotations

import asyncio
import gc
import logging
import random
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from node.admin_client import AdminClient
from node.app import prepare_database
from node.config import ListenAddress, render_config
from node.home import NodeHome, init_home
from node.server import load_node, start

START = datetime(2026, 11, 24, 1, 0, 0, tzinfo=UTC)  # 10:00 in Tokyo


class FakeClock:
    """A clock the test moves by hand; safe to read from the node's threads."""

    def __init__(self, start: datetime = START) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, **delta: float) -> None:
        with self._lock:
            self._now += timedelta(**delta)

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment


class SeededRandomness:
    def __init__(self, seed: int = 1) -> None:
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def token_bytes(self, count: int) -> bytes:
        with self._lock:
            return self._random.randbytes(count)


def make_home(root: Path, name: str = "Test Izakaya") -> NodeHome:
    home = NodeHome(root)
    init_home(home, name, ListenAddress("127.0.0.1", 1))  # the real port is known once bound
    prepare_database(home.database_path)
    return home


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def home(tmp_path: Path) -> NodeHome:
    return make_home(tmp_path / "node")


@dataclass
class NodeHandle:
    home: NodeHome
    base_url: str
    token: str
    clock: FakeClock

    @property
    def client(self) -> AdminClient:
        return AdminClient(self.base_url, self.token)


class NodeThread:
    """A real node serving on 127.0.0.1 from its own thread and event loop (for sync callers)."""

    def __init__(self, home: NodeHome, clock: FakeClock) -> None:
        self.home, self.clock = home, clock
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None

    def start(self) -> NodeHandle:
        self._thread.start()
        node = load_node(self.home, self.clock, SeededRandomness())
        future = asyncio.run_coroutine_threadsafe(start(node, "127.0.0.1", 0), self._loop)
        self._runner, port = future.result(timeout=30)
        # The CLI finds the node through config.toml and admin.token, as it does in production.
        self.home.config_path.write_text(
            render_config(node.config.node.name, ListenAddress("127.0.0.1", port)),
            encoding="utf-8",
        )
        self.home.token_path.write_text(node.admin_token + "\n", encoding="ascii")
        self.home.token_path.chmod(0o600)
        return NodeHandle(self.home, f"http://127.0.0.1:{port}", node.admin_token, self.clock)

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop.close()


@pytest.fixture
def node(home: NodeHome, clock: FakeClock) -> Iterator[NodeHandle]:
    """A running node for synchronous tests (CLI through click.testing, AdminClient)."""
    thread = NodeThread(home, clock)
    handle = thread.start()
    try:
        yield handle
    finally:
        thread.stop()


@dataclass
class AsyncNode:
    base_url: str
    token: str
    clock: FakeClock
    session: aiohttp.ClientSession

    async def call(
        self, method: str, path: str, body: object = None, token: str | None = "default"
    ) -> tuple[int, dict[str, Any]]:
        headers = {}
        if token == "default":
            headers["Authorization"] = f"Bearer {self.token}"
        elif token is not None:
            headers["Authorization"] = f"Bearer {token}"
        async with self.session.request(
            method, f"{self.base_url}/api/v1/{path}", json=body, headers=headers
        ) as response:
            return response.status, await response.json()


@pytest.fixture
async def anode(home: NodeHome, clock: FakeClock) -> AsyncIterator[AsyncNode]:
    """A running node in the test's own event loop, with an HTTP client session."""
    loop = asyncio.get_running_loop()
    # A full garbage collection of everything earlier tests left alive (Hypothesis, Chromium
    # sessions) can pause the loop for over BLOCKING_LIMIT_S inside whatever callback runs then,
    # which is no blocking call of ours. Frozen objects are not scanned; they are given back to the
    # collector after the test, outside the checked window.
    gc.freeze()
    loop.set_debug(True)  # reports any callback that blocks the loop; checked at teardown
    loop.slow_callback_duration = BLOCKING_LIMIT_S
    slow = _SlowCallbackLog()
    logging.getLogger("asyncio").addHandler(slow)
    node = load_node(home, clock, SeededRandomness())
    runner, port = await start(node, "127.0.0.1", 0)
    connector = aiohttp.TCPConnector(limit=200)
    try:
        async with aiohttp.ClientSession(connector=connector) as session:
            try:
                yield AsyncNode(f"http://127.0.0.1:{port}", node.admin_token, clock, session)
            finally:
                await runner.cleanup()
    finally:
        logging.getLogger("asyncio").removeHandler(slow)
        loop.set_debug(False)
        gc.unfreeze()
    assert not slow.messages, (
        f"the event loop was blocked {len(slow.messages)}x: {slow.messages[:2]}"
    )


BLOCKING_LIMIT_S = 0.25


class _SlowCallbackLog(logging.Handler):
    """Collects asyncio's debug-mode reports of callbacks that ran longer than the limit."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "took" in message and "seconds" in message:
            self.messages.append(message)


@dataclass
class RunningNode(AsyncNode):
    """One of several nodes in the test's event loop, each with its own home and port."""

    home: NodeHome
    node_id: str
    fingerprint: str
    port: int
    runner: web.AppRunner | None = None
    restarts: int = 0

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None

    async def restart(self) -> None:
        await self.stop()
        self.restarts += 1  # a fresh seed: a restarted node must not draw the same ids again
        node = load_node(self.home, self.clock, SeededRandomness(self.port * 1000 + self.restarts))
        self.runner, _ = await start(node, "127.0.0.1", self.port)
        self.token = node.admin_token


class NodeFactory:
    def __init__(self, root: Path, session: aiohttp.ClientSession) -> None:
        self.root, self.session = root, session
        self.clock = FakeClock()  # one machine, one time: every node reads this clock
        self.nodes: list[RunningNode] = []

    async def start(
        self, name: str, clock: FakeClock | None = None, *, advertise: bool = False
    ) -> RunningNode:
        from node.demo import free_port

        port = free_port()
        home = make_home(self.root / name, name)
        home.config_path.write_text(
            render_config(name, ListenAddress("127.0.0.1", port)), encoding="utf-8"
        )
        node = load_node(home, clock or self.clock, SeededRandomness(port))
        node.advertise = advertise
        runner, _ = await start(node, "127.0.0.1", port)
        running = RunningNode(
            f"http://127.0.0.1:{port}",
            node.admin_token,
            node.clock,
            self.session,  # type: ignore[arg-type]
            home,
            node.identity.node_id,
            node.identity.fingerprint,
            port,
            runner,
        )
        self.nodes.append(running)
        return running


@pytest.fixture
async def nodes(tmp_path: Path) -> AsyncIterator[NodeFactory]:
    """Start any number of real nodes on 127.0.0.1 in this event loop; all stopped at the end."""
    async with aiohttp.ClientSession() as session:
        factory = NodeFactory(tmp_path, session)
        try:
            yield factory
        finally:
            for running in factory.nodes:
                await running.stop()


async def ok(node: AsyncNode, method: str, path: str, body: object = None) -> dict[str, Any]:
    """Call the admin API and insist it succeeded."""
    status, answer = await node.call(method, path, body)
    assert status in (200, 201), answer
    return answer
