"""The test tiers hold: each test gets one tier, the guard refuses what is above it, and the loop
watchdog of the multi-node fixture reports a blocked event loop (docs/architecture.md, "Test tiers")."""

from __future__ import annotations

import asyncio
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from node.demo import running_node
from tests.browser import chromium
from tests.conftest import BLOCKING_LIMIT_S, GUARD, loop_watchdog, make_home, ok, running_nodes
from tests.tiers import TIERS, TierFinder, TierViolation, tier_of_item

# -- planted uses, one per tier, for the finder (never called) ---------------------------------


def _pure(numbers: list[int]) -> int:
    return sum(n * n for n in numbers)


def _makes_a_home(root: Path) -> object:
    return make_home(root)


def _reaches_a_home_through_a_helper(root: Path) -> object:
    return [_makes_a_home(root / name) for name in ("a", "b")]


def _imports_the_server_inside() -> object:
    from node.server import load_node

    return load_node


def _opens_a_database_file(path: Path) -> object:
    return sqlite3.connect(path)


def _starts_a_child() -> None:
    subprocess.run([sys.executable, "-c", "pass"], check=True)


class _Harness:
    def serve(self, root: Path) -> object:
        return running_node(make_home(root), root / "log")


async def _drives_chromium() -> None:
    async with chromium() as browser:
        await browser.new_page()


@pytest.mark.core  # it only reads the planted functions above, which would make it `browser`
def test_the_finder_puts_each_planted_use_in_its_tier() -> None:
    finder = TierFinder()
    assert finder.tier_of(_pure) == "core"
    assert finder.tier_of(_makes_a_home) == "node"
    assert finder.tier_of(_reaches_a_home_through_a_helper) == "node"
    assert finder.tier_of(_imports_the_server_inside) == "node"
    assert finder.tier_of(_opens_a_database_file) == "node"
    assert finder.tier_of(_starts_a_child) == "process"
    assert finder.tier_of(_Harness) == "process"
    assert finder.tier_of(_drives_chromium) == "browser"
    # The highest of the test and its fixtures wins; a mark overrides what is found.
    assert tier_of_item(finder, _pure, [_makes_a_home, _starts_a_child], []) == "process"
    assert tier_of_item(finder, _drives_chromium, [], ["core"]) == "core"
    assert tier_of_item(finder, _pure, [], ["node", "process"]) == "process"


def test_every_collected_test_carries_exactly_one_tier(request: pytest.FixtureRequest) -> None:
    for item in request.session.items:
        tiers = [mark.name for mark in item.iter_markers() if mark.name in TIERS]
        assert len(tiers) == 1, f"{item.nodeid} has tiers {tiers}"


@pytest.mark.core  # under the core guard, the planted uses below must all be refused
def test_the_guard_refuses_what_the_running_tier_may_not_do(tmp_path: Path) -> None:
    database = tmp_path / "planted.db"
    with GUARD.enforcing("core") as refused:
        sqlite3.connect(":memory:").close()  # pure: allowed
        with pytest.raises(TierViolation, match=r"core test opened the SQLite file .*planted\.db"):
            sqlite3.connect(database)
        with socket.socket() as listener, pytest.raises(TierViolation, match="socket"):
            listener.bind(("127.0.0.1", 0))
        with pytest.raises(TierViolation, match="needs the process tier"):
            subprocess.run([sys.executable, "-c", "pass"], check=True)
    assert not database.exists()
    assert len(refused) == 3, refused
    with GUARD.enforcing("node") as refused:
        sqlite3.connect(database).close()  # the node tier may
        with pytest.raises(TierViolation, match="needs the process tier"):
            subprocess.run([sys.executable, "-c", "pass"], check=True)
    with (
        GUARD.enforcing("process") as refused,
        pytest.raises(TierViolation, match="needs the browser tier"),
    ):
        subprocess.run(["/nowhere/playwright/driver/node", "run-driver"], check=True)
    assert len(refused) == 1, refused


async def test_the_multi_node_fixture_reports_a_blocked_event_loop(tmp_path: Path) -> None:
    """`running_nodes` is the `nodes` fixture's body: a planted blocking call fails the test."""
    with pytest.raises(AssertionError, match=r"event loop was blocked \d+x: .*sleep"):
        async with running_nodes(tmp_path) as factory:
            a = await factory.start("Izakaya A")
            await ok(a, "GET", "ledger/check")
            asyncio.get_running_loop().call_soon(time.sleep, 2 * BLOCKING_LIMIT_S)  # planted
            await asyncio.sleep(0)
            await ok(a, "GET", "ledger/check")


async def test_the_watchdog_names_the_callback_that_blocked_the_loop() -> None:
    loop = asyncio.get_running_loop()
    with loop_watchdog():  # the `anode` fixture's watchdog, alone
        await asyncio.sleep(0.01)
    with (
        pytest.raises(AssertionError, match=r"blocked 1x: .*sleep\(0\.5\).* took 0\.5"),
        loop_watchdog(),
    ):
        loop.call_soon(time.sleep, 2 * BLOCKING_LIMIT_S)  # planted
        await asyncio.sleep(0)
