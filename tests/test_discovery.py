"""Zeroconf on the loopback interface: a node announces itself; discovery lists it, trusting nothing."""

from __future__ import annotations

import json

from click.testing import CliRunner

from cli import main
from node.peering.discovery import discover
from tests.conftest import NodeFactory

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
