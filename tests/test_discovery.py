"""Zeroconf on the loopback interface: a node announces itself; discovery lists it, trusting nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from node.peering.discovery import discover
from tests.conftest import TEST_REGISTRATION, NodeFactory

LOOPBACK = ("127.0.0.1",)


async def test_a_serving_node_is_seen_with_its_fingerprint(nodes: NodeFactory) -> None:
    izakaya = await nodes.start("居酒屋 Hanako", advertise=True)
    quiet = await nodes.start("Quiet", advertise=False)
    seen = {s.node_id: s for s in await discover(2.0, LOOPBACK)}
    assert izakaya.node_id in seen
    assert quiet.node_id not in seen
    found = seen[izakaya.node_id]
    assert (found.name, found.url, found.fingerprint) == (
        "居酒屋 Hanako",
        izakaya.base_url,
        izakaya.fingerprint,
    )
    status, peers = await izakaya.call("GET", "peers")
    assert status == 200 and peers["peers"] == []  # being seen registered nothing


async def test_the_cli_lists_discovered_nodes(nodes: NodeFactory) -> None:
    hotel = await nodes.start("Hotel Sakura", advertise=True)
    result = await _run_cli(
        [
            "peer",
            "discover",
            "--timeout",
            "2",
            "--interface",
            "127.0.0.1",
            "--json",
            "--home",
            str(hotel.home.root),
        ]
    )
    rows = json.loads(result)["nodes"]
    assert {
        "name": "Hotel Sakura",
        "url": hotel.base_url,
        "fingerprint": hotel.fingerprint,
        "node_id": hotel.node_id,
    } in rows


async def _run_cli(args: list[str]) -> str:
    import asyncio

    result = await asyncio.to_thread(CliRunner().invoke, main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


async def test_a_stopping_node_says_goodbye_to_other_browsers(nodes: NodeFactory) -> None:
    """An independent browser (its own Zeroconf on loopback) sees the node leave when it stops."""
    import asyncio

    from zeroconf import IPVersion, ServiceStateChange, Zeroconf
    from zeroconf.asyncio import AsyncServiceBrowser, AsyncZeroconf

    from node.peering.discovery import SERVICE_TYPE

    added: asyncio.Event = asyncio.Event()
    removed: asyncio.Event = asyncio.Event()
    node = await nodes.start("Goodbye Cafe", advertise=True)
    wanted = node.node_id[:8]

    def on_change(
        zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
    ) -> None:
        if wanted in name:
            (removed if state_change is ServiceStateChange.Removed else added).set()

    browser_zc = AsyncZeroconf(interfaces=list(LOOPBACK), ip_version=IPVersion.V4Only)
    browser = AsyncServiceBrowser(browser_zc.zeroconf, SERVICE_TYPE, handlers=[on_change])
    try:
        await asyncio.wait_for(added.wait(), 10)
        await node.stop()
        # Without a goodbye the entry would stay for its TTL (75 minutes for the SRV record).
        await asyncio.wait_for(removed.wait(), 10)
    finally:
        await browser.async_cancel()
        await browser_zc.async_close()


LONG_NAME = "株式会社" + "あ" * 100  # 312 UTF-8 bytes: more than one TXT string can hold


async def test_a_node_with_a_long_name_serves_and_advertises_it_shortened(tmp_path: Path) -> None:
    from node.config import ListenAddress, render_config
    from node.demo import free_port
    from node.server import load_node, start
    from tests.conftest import FakeClock, SeededRandomness, make_home

    port = free_port()
    home = make_home(tmp_path / "long", LONG_NAME)
    home.config_path.write_text(
        render_config(
            LONG_NAME, ListenAddress("127.0.0.1", port), registration_number=TEST_REGISTRATION
        ),
        encoding="utf-8",
    )
    shop = load_node(home, FakeClock(), SeededRandomness())
    shop.advertise = True
    runner, _ = await start(shop, "127.0.0.1", port)
    try:
        seen = {s.node_id: s for s in await discover(2.0, LOOPBACK)}
    finally:
        await runner.cleanup()
    advertised = seen[shop.identity.node_id].name
    assert LONG_NAME.startswith(advertised)
    assert 240 <= len(advertised.encode("utf-8")) <= 250  # cut at a character boundary


def test_init_accepts_a_long_name_and_serve_starts_with_it(tmp_path: Path) -> None:
    """The real commands: `kippu init` then `kippu serve` (discovery on, loopback) in a process."""
    from node.demo import free_port, running_node
    from node.home import NodeHome

    home = tmp_path / "long"
    result = CliRunner().invoke(
        main,
        ["init", "--home", str(home), "--name", LONG_NAME, "--listen", f"127.0.0.1:{free_port()}"],
    )
    assert result.exit_code == 0, result.output
    with running_node(NodeHome(home), tmp_path / "node.log") as api:
        assert api.get("status")["name"] == LONG_NAME


async def test_a_url_too_long_to_announce_leaves_the_node_serving_unannounced(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from node.config import ListenAddress, render_config
    from node.demo import free_port
    from node.server import load_node, start
    from tests.conftest import FakeClock, SeededRandomness, make_home

    port = free_port()
    home = make_home(tmp_path / "url")
    long_url = f"http://127.0.0.1:{port}/" + "k" * 260
    text = render_config(
        "Long URL", ListenAddress("127.0.0.1", port), registration_number=TEST_REGISTRATION
    )
    home.config_path.write_text(
        text.replace(f'public_url = "http://127.0.0.1:{port}"', f'public_url = "{long_url}"'),
        encoding="utf-8",
    )
    shop = load_node(home, FakeClock(), SeededRandomness())
    assert shop.config.node.public_url == long_url
    shop.advertise = True
    runner, _ = await start(shop, "127.0.0.1", port)
    try:
        assert "LAN discovery is off: node.public_url is longer than 251 bytes" in caplog.text
        seen = {s.node_id for s in await discover(1.0, LOOPBACK)}
        assert shop.identity.node_id not in seen
    finally:
        await runner.cleanup()
