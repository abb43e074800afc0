"""`kippu peer ...`: register partners (invite/join, add, import), list, suspend, resume, remove."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

import click

from node.cli_support import client, command, print_list, print_result
from node.config import load_config
from node.errors import ConfigError
from node.home import NodeHome
from node.peering.discovery import discover
from node.peering.peerfile import load_peer_list

PEER_KEYS = (
    "node_id",
    "name",
    "status",
    "fingerprint",
    "url",
    "queued_messages",
    "last_error",
    "delivery",
    "note",
)
PARKED_KEYS = ("seq", "msg_type", "code", "message", "parked_at")


@click.group()
def peer() -> None:
    """Partner companies (提携先) whose vouchers you accept and who accept yours."""


@command(peer, "invite")
@click.option("--valid-hours", type=int, default=24, show_default=True)
def peer_invite(home: Path, as_json: bool, valid_hours: int) -> None:
    """Make a one-time invitation for a partner to paste into `kippu peer join`."""
    print_result(client(home).post("peers/invite", {"valid_hours": valid_hours}), as_json)


@command(peer, "join")
@click.argument("invite")
def peer_join(home: Path, as_json: bool, invite: str) -> None:
    """Accept a partner's invitation; both sides end active. A refused invitation (used,
    expired) exits 1 with the partner's reason and registers nothing; an unreachable partner
    leaves the join queued, retried until it answers."""
    print_result(client(home).post("peers/join", {"invite": invite}), as_json, PEER_KEYS)


@command(peer, "add")
@click.option("--node-id", required=True, help="The partner's node id (kippu status on its node).")
@click.option("--url", required=True, help="The partner node's URL.")
@click.option("--name", default=None)
@click.option("--max-receivable", type=int, default=None, help="Exposure limit in yen.")
def peer_add(
    home: Path, as_json: bool, node_id: str, url: str, name: str | None, max_receivable: int | None
) -> None:
    """Register a partner by key and URL; pending until it registers this node too."""
    body: dict[str, Any] = {"node_id": node_id, "url": url}
    if name is not None:
        body["name"] = name
    if max_receivable is not None:
        body["max_receivable"] = max_receivable
    print_result(client(home).post("peers", body), as_json, PEER_KEYS)


@command(peer, "import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def peer_import(home: Path, as_json: bool, file: Path) -> None:
    """Register every partner of a TOML list shaped like peers.example.toml."""
    entries = []
    for entry in load_peer_list(file):
        item: dict[str, Any] = {"node_id": entry.node_id, "url": entry.url, "name": entry.name}
        if entry.max_receivable_yen is not None:
            item["max_receivable"] = entry.max_receivable_yen
        entries.append(item)
    result = client(home).post("peers/import", {"peers": entries})
    print_list(result, "imported", as_json, ("node_id", "result"))


@command(peer, "list")
def peer_list(home: Path, as_json: bool) -> None:
    """Partners with status, fingerprint (compare it with the partner) and queued messages, then
    any message a partner refused for good (parked: see `kippu peer resign`, `drop`, `rewind`)."""
    result = client(home).get("peers")
    print_list(result, "peers", as_json, PEER_KEYS[:6])
    parked = [
        {"partner": p["node_id"][:8], **item} for p in result["peers"] for item in p["parked"]
    ]
    if parked and not as_json:
        click.echo("\nparked (refused for good; the channel waits for you):")
        print_list({"parked": parked}, "parked", False, ("partner", *PARKED_KEYS))


def _print_partner(result: dict[str, Any], as_json: bool) -> None:
    print_result(result, as_json, PEER_KEYS)
    if not as_json:
        for item in result.get("parked", []):
            click.echo(
                f"parked: #{item['seq']} {item['msg_type']}: {item['message']} [{item['code']}]"
            )


@command(peer, "resign")
@click.argument("node_id")
@click.argument("seq", type=click.IntRange(min=1))
def peer_resign(home: Path, as_json: bool, node_id: str, seq: int) -> None:
    """Sign the parked message SEQ (and what waits after it) again with a fresh validity window,
    at the same channel position, and send it now."""
    _print_partner(client(home).post(f"peers/{node_id}/parked/{seq}/resign"), as_json)


@command(peer, "drop")
@click.argument("node_id")
@click.argument("seq", type=click.IntRange(min=1))
def peer_drop(home: Path, as_json: bool, node_id: str, seq: int) -> None:
    """Drop the parked registration SEQ (register or join): never sent again; a partnership
    still waiting for the partner ends. Join again with a new invitation."""
    _print_partner(client(home).post(f"peers/{node_id}/parked/{seq}/drop"), as_json)


@command(peer, "rewind")
@click.argument("node_id")
@click.option("--from-seq", type=click.IntRange(min=1), required=True)
def peer_rewind(home: Path, as_json: bool, node_id: str, from_seq: int) -> None:
    """Send the channel again from position FROM_SEQ with the bytes already signed (for a partner
    that restored an older copy of its database)."""
    body = {"from_seq": from_seq}
    _print_partner(client(home).post(f"peers/{node_id}/rewind", body), as_json)


def _status_command(action: str, help_text: str) -> None:
    @command(peer, action, help=help_text)
    @click.argument("node_id")
    def run(home: Path, as_json: bool, node_id: str) -> None:
        print_result(client(home).post(f"peers/{node_id}/{action}"), as_json, PEER_KEYS)


_status_command("suspend", "Stop accepting and sending messages; nothing owed is lost.")
_status_command("resume", "Undo a suspension.")
_status_command("remove", "End the partnership; its history stays for the audit.")
_status_command("ping", "Send a signed ping and show whether the partner answered.")


@command(peer, "sync")
def peer_sync(home: Path, as_json: bool) -> None:
    """Deliver every queued message now instead of waiting for the retry schedule."""
    print_result(client(home).post("peers/sync"), as_json)


@command(peer, "discover")
@click.option("--timeout", type=click.FloatRange(0.5, 60), default=3.0, show_default=True)
@click.option("--interface", "interfaces", multiple=True, help="IP address to listen on (repeat).")
def peer_discover(home: Path, as_json: bool, timeout: float, interfaces: tuple[str, ...]) -> None:
    """List Kippu nodes announcing themselves on the LAN. Seeing a node never trusts it."""
    if not interfaces:
        with contextlib.suppress(ConfigError):
            interfaces = load_config(NodeHome(home).config_path).discovery.interfaces
    seen = asyncio.run(discover(timeout, interfaces))
    rows = [
        {"name": s.name, "url": s.url, "fingerprint": s.fingerprint, "node_id": s.node_id}
        for s in seen
    ]
    print_list({"nodes": rows}, "nodes", as_json, ("name", "url", "fingerprint", "node_id"))
