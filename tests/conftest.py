"""Shared fixtures: a fake clock, seeded randomness, and real nodes on 127.0.0.1 with temporary homes."""

from __future__ import annotations

import asyncio
import gc
import random
import threading
import time
from asyncio.base_events import _format_handle  # type: ignore[attr-defined]
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
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
from tests.hang_report import HangReport
from tests.tiers import RANK, TIERS, TierFinder, TierGuard, TierViolation, tier_of_item

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


# Test homes accept partners, so they carry a 第三者型 registration (資金決済法7条); a test of the
# refusal without one passes registration_number="".
TEST_REGISTRATION = "テスト財務局長第00000号"


def make_home(
    root: Path, name: str = "Test Izakaya", *, registration_number: str = TEST_REGISTRATION
) -> NodeHome:
    home = NodeHome(root)
    listen = ListenAddress("127.0.0.1", 1)  # the real port is known once bound
    init_home(home, name, listen, registration_number=registration_number)
    prepare_database(home.database_path)
    return home


# -- test tiers (tests/tiers.py): each test is marked core, node, process or browser ----------------

GUARD = TierGuard()
TIER = pytest.StashKey[str]()
TIER_TIMES = {tier: [0.0, 0.0] for tier in TIERS}  # tests run, seconds (setup+call+teardown)


def pytest_configure(config: pytest.Config) -> None:
    GUARD.install()
    config.pluginmanager.register(HangReport(), "kippu-hang-report")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by the marks added here
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    finder = TierFinder()
    for item in items:
        assert isinstance(item, pytest.Function)
        explicit = [mark.name for mark in item.iter_markers() if mark.name in TIERS]
        fixtures = [d.func for defs in item._fixtureinfo.name2fixturedefs.values() for d in defs]
        tier = tier_of_item(finder, item.obj, fixtures, explicit)
        item.stash[TIER] = tier
        if not explicit:
            item.add_marker(tier)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    return (yield from _within_tier(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    return (yield from _within_tier(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    return (yield from _within_tier(item))


def _within_tier(item: pytest.Item) -> Iterator[None]:
    """Run a test phase (fixtures included) under the guard of the test's tier."""
    tier = item.stash.get(TIER, "browser")
    with GUARD.enforcing(tier) as refused:
        result = yield
    if refused:
        higher = [t for t in TIERS if RANK[t] > RANK[tier] and any(t in r for r in refused)]
        raise TierViolation(
            f"{refused[0]} ({len(refused)} refused in all); mark the test"
            f" @pytest.mark.{(higher or ['node'])[0]} if that is what it must do"
        )
    return result


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Adds up each tier's time (setup, call and teardown) for the summary."""
    tier = next((t for t in TIERS if t in report.keywords), None)
    if tier is not None:
        TIER_TIMES[tier][0] += report.when == "call"
        TIER_TIMES[tier][1] += report.duration


def pytest_terminal_summary(terminalreporter: Any) -> None:
    ran = [f"{tier} {int(n)} tests {s:.1f} s" for tier, (n, s) in TIER_TIMES.items() if n]
    if ran:
        terminalreporter.write_line("test tiers: " + "; ".join(ran))


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
            render_config(
                node.config.node.name,
                ListenAddress("127.0.0.1", port),
                registration_number=node.config.issuer.registration_number,
            ),
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
    with loop_watchdog():
        node = load_node(home, clock, SeededRandomness())
        runner, port = await start(node, "127.0.0.1", 0)
        connector = aiohttp.TCPConnector(limit=200)
        async with aiohttp.ClientSession(connector=connector) as session:
            try:
                yield AsyncNode(f"http://127.0.0.1:{port}", node.admin_token, clock, session)
            finally:
                await runner.cleanup()


@contextmanager
def loop_watchdog() -> Iterator[None]:
    """Fails the test (at the end of the block) if any callback blocked the running event loop for
    over BLOCKING_LIMIT_S: a blocking call in a handler, or a test's helper, that stalls every node
    in the loop. Used by the `anode` and `nodes` fixtures.

    Each callback of the watched loop is timed (asyncio's debug mode does the same, but also records
    a stack for every callback and coroutine, which made the multi-node tests ~50 % slower)."""
    loop = asyncio.get_running_loop()
    # A full garbage collection of everything earlier tests left alive (Hypothesis, Chromium
    # sessions) can pause the loop for over BLOCKING_LIMIT_S inside whatever callback runs then,
    # which is no blocking call of ours. Frozen objects are not scanned; they are given back to the
    # collector after the test, outside the checked window.
    gc.freeze()
    slow = _WATCHED.setdefault(loop, [])
    try:
        yield
    finally:
        del _WATCHED[loop]
        gc.unfreeze()
    assert not slow, f"the event loop was blocked {len(slow)}x: {slow[:2]}"


BLOCKING_LIMIT_S = 0.25
_WATCHED: dict[asyncio.AbstractEventLoop, list[str]] = {}  # loop -> its slow callbacks
_run_callback = asyncio.Handle._run


def _timed_run(handle: asyncio.Handle) -> None:
    """Handle._run, timed when its loop is watched (every callback and task step goes through it)."""
    slow = _WATCHED.get(handle._loop)  # type: ignore[attr-defined]
    if slow is None:
        _run_callback(handle)
        return
    started = time.monotonic()
    _run_callback(handle)
    took = time.monotonic() - started
    if took > BLOCKING_LIMIT_S:
        slow.append(f"Executing {_format_handle(handle)} took {took:.3f} seconds")


asyncio.Handle._run = _timed_run  # type: ignore[method-assign]


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
        self,
        name: str,
        clock: FakeClock | None = None,
        *,
        advertise: bool = False,
        registration_number: str = TEST_REGISTRATION,
    ) -> RunningNode:
        from node.demo import free_port

        port = free_port()
        # Keys, migrations and fsyncs: in a thread, so the nodes already serving in this loop
        # are not stalled (the loop watchdog would rightly report it).
        home = await asyncio.to_thread(make_home, self.root / name, name)
        home.config_path.write_text(
            render_config(
                name, ListenAddress("127.0.0.1", port), registration_number=registration_number
            ),
            encoding="utf-8",
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


@asynccontextmanager
async def running_nodes(root: Path) -> AsyncIterator[NodeFactory]:
    """Any number of real nodes on 127.0.0.1 in this event loop, under the loop watchdog; all
    stopped at the end."""
    with loop_watchdog():
        async with aiohttp.ClientSession() as session:
            factory = NodeFactory(root, session)
            try:
                yield factory
            finally:
                for running in factory.nodes:
                    await running.stop()


@pytest.fixture
async def nodes(tmp_path: Path) -> AsyncIterator[NodeFactory]:
    """Start any number of real nodes on 127.0.0.1 in this event loop; all stopped at the end."""
    async with running_nodes(tmp_path) as factory:
        yield factory


async def ok(node: AsyncNode, method: str, path: str, body: object = None) -> dict[str, Any]:
    """Call the admin API and insist it succeeded."""
    status, answer = await node.call(method, path, body)
    assert status in (200, 201), answer
    return answer
