"""HTTP for peering: the partner endpoint /peer/v1/message and the admin routes under /api/v1/peers."""

from __future__ import annotations

import asyncio
import logging
import secrets
import sqlite3
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from aiohttp import web

from node.api import input as body_input
from node.api.serialize import iso
from node.app import NODE, Handler, Node
from node.clock import new_id
from node.errors import (
    InviteExpired,
    KippuError,
    PeerExists,
    PeerNotFound,
    ValidationError,
)
from node.ledger.rows import from_epoch
from node.peering import core, operations
from node.peering.batch import BATCH_PATH
from node.peering.endpoint import receive, receive_batch
from node.peering.model import Peer, PeerStatus
from node.peering.outbound import enqueue
from node.peering.outbox import PEER_PATH
from node.peering.rotation import prepare_new_key, record_rotation, switch_to_new_key
from node.peering.store import PEER_COLUMNS, peer_from_row

log = logging.getLogger(__name__)
DELIVERY_WAIT_S = 8.0
MAX_INVITE_HOURS = 24 * 30


def _now_s(node: Node) -> int:
    return int(node.clock.now().timestamp())


async def _peer_json(node: Node, peer: Peer) -> dict[str, Any]:
    rows = list(
        await node.require_reader().execute_fetchall(
            "SELECT count(*), max(last_error) FROM deliveries"
            " WHERE peer = ? AND delivered_at IS NULL",
            (peer.node_id,),
        )
    )
    queued, last_error = rows[0] if rows else (0, None)
    return {
        "node_id": peer.node_id,
        "name": peer.name,
        "url": peer.url,
        "status": str(peer.status),
        "fingerprint": peer.fingerprint,
        "they_registered": peer.they_registered,
        "max_receivable": peer.max_receivable_yen,
        "queued_messages": queued,
        "last_error": last_error,
        "updated_at": iso(peer.updated_at),
    }


async def _load_peer(node: Node, node_id: str) -> Peer:
    rows = list(
        await node.require_reader().execute_fetchall(
            f"SELECT {PEER_COLUMNS} FROM peers WHERE node_id = ?",  # noqa: S608
            (node_id.strip().upper(),),
        )
    )
    if not rows:
        raise PeerNotFound()
    return peer_from_row(rows[0])


async def _deliver_now(node: Node, peer_id: str) -> None:
    """Try to reach the partner at once, so the person at the CLI sees the outcome."""
    await node.require_outbox().deliver_within(peer_id, DELIVERY_WAIT_S)


async def list_peers(request: web.Request) -> web.Response:
    node = request.app[NODE]
    rows = await node.require_reader().execute_fetchall(
        f"SELECT {PEER_COLUMNS} FROM peers WHERE status != 'removed'"  # noqa: S608
        " ORDER BY created_at, node_id"
    )
    return web.json_response({"peers": [await _peer_json(node, peer_from_row(r)) for r in rows]})


PEER_FIELDS = frozenset({"node_id", "url", "name", "max_receivable"})


def _add_peer_work(node: Node, body: dict[str, Any]) -> Callable[[sqlite3.Connection], Peer]:
    return operations.add_peer(
        node.me,
        body_input.required_text(body, "node_id"),
        body_input.required_text(body, "url"),
        body_input.text(body, "name", required=False),
        body_input.amount(body, "max_receivable", required=False, minimum=0),
        _now_s(node),
        new_id(node.rng, "msg"),
    )


async def add_peer(request: web.Request) -> web.Response:
    node = request.app[NODE]
    body = await body_input.read_body(request, set(PEER_FIELDS))
    peer = await node.require_writer().submit(_add_peer_work(node, body))
    await _deliver_now(node, peer.node_id)
    return web.json_response(
        await _peer_json(node, await _load_peer(node, peer.node_id)), status=201
    )


async def import_peers(request: web.Request) -> web.Response:
    """Add every partner of a list (parsed by the CLI) not yet registered: all or nothing."""
    node = request.app[NODE]
    body = await body_input.read_body(request, {"peers"})
    entries = body.get("peers")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ValidationError("`peers` must be a list of partners.", field="peers")
    for entry in entries:
        unknown = sorted(set(entry) - PEER_FIELDS)
        if unknown:
            raise ValidationError(f"Unknown field(s): {', '.join(unknown)}.", fields=unknown)
    works = [(str(e.get("node_id")), _add_peer_work(node, e)) for e in entries]

    def import_all(conn: sqlite3.Connection) -> list[dict[str, str]]:
        results = []
        for node_id, work in works:
            try:
                results.append({"node_id": work(conn).node_id, "result": "added"})
            except PeerExists:  # raised before the entry changed anything
                results.append({"node_id": node_id, "result": "already registered"})
        return results

    results = await node.require_writer().submit(import_all)
    node.require_outbox().wake()
    return web.json_response({"imported": results})


async def create_invite(request: web.Request) -> web.Response:
    node = request.app[NODE]
    body = await body_input.read_body(request, {"valid_hours"})
    hours = body.get("valid_hours", 24)
    if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= MAX_INVITE_HOURS:
        raise ValidationError(f"`valid_hours` must be 1..{MAX_INVITE_HOURS}.", field="valid_hours")
    now = node.clock.now()
    expires = now + timedelta(hours=hours)
    invite = core.Invite(
        url=node.config.node.public_url,
        node_id=node.identity.node_id,
        name=node.config.node.name,
        invite_id=new_id(node.rng, "inv"),
        secret=secrets.token_bytes(16),
        expires=int(expires.timestamp()),
    )
    await node.require_writer().submit(
        operations.create_invite(invite.invite_id, invite.secret, _now_s(node), invite.expires)
    )
    return web.json_response(
        {"invite": core.encode_invite(invite), "expires_at": iso(from_epoch(invite.expires))},
        status=201,
    )


async def join(request: web.Request) -> web.Response:
    node = request.app[NODE]
    body = await body_input.read_body(request, {"invite"})
    # A long company name in kanji makes a long invitation (its name travels in it).
    invite = core.decode_invite(body_input.required_text(body, "invite", core.MAX_INVITE_CHARS))
    if invite.expires <= _now_s(node):
        raise InviteExpired()
    peer = await node.require_writer().submit(
        operations.join(node.me, invite, _now_s(node), new_id(node.rng, "msg"))
    )
    await _deliver_now(node, peer.node_id)
    return web.json_response(
        await _peer_json(node, await _load_peer(node, peer.node_id)), status=201
    )


def _status_action(action: str) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        node = request.app[NODE]
        await body_input.read_body(request, set())
        peer = await node.require_writer().submit(
            operations.change_status(
                node.identity, request.match_info["node_id"], action, _now_s(node)
            )
        )
        if action == "resume":
            node.require_outbox().wake()
        return web.json_response(await _peer_json(node, peer))

    return handler


async def ping(request: web.Request) -> web.Response:
    node = request.app[NODE]
    await body_input.read_body(request, set())
    peer = await _load_peer(node, request.match_info["node_id"])
    # Only register and join may wait in the channel of a partnership that is not active.
    core.require_status(peer, frozenset({PeerStatus.ACTIVE}))
    msg_id = new_id(node.rng, "msg")
    now_s = _now_s(node)
    await node.require_writer().submit(
        lambda conn: enqueue(conn, node.identity, peer.node_id, "ping", {"note": ""}, now_s, msg_id)
    )
    await _deliver_now(node, peer.node_id)
    return web.json_response(await _peer_json(node, await _load_peer(node, peer.node_id)))


async def rotate_key(request: web.Request) -> web.Response:
    """Move this node to a new key; partners learn it from a notice signed by the old one."""
    node = request.app[NODE]
    await body_input.read_body(request, set())
    if node.key_path is None:
        raise KippuError("this node has no key file to rotate")
    async with node.rotation_lock:
        old = node.identity
        new = await asyncio.to_thread(prepare_new_key, node.key_path, old)
        position = await node.require_writer().submit(
            record_rotation(old, new, _now_s(node), lambda: new_id(node.rng, "msg"))
        )
        await asyncio.to_thread(switch_to_new_key, node.key_path)
        node.identity = new
    node.require_outbox().wake()
    return web.json_response(
        {
            "node_id": new.node_id,
            "fingerprint": new.fingerprint,
            "key_position": position,
            "key_fingerprint": new.key_fingerprint,
        }
    )


async def sync(request: web.Request) -> web.Response:
    node = request.app[NODE]
    await body_input.read_body(request, set())
    delivered = await node.require_outbox().deliver_due(force=True)
    return web.json_response({"delivered": delivered})


PEER_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", "/api/v1/peers", list_peers),
    ("POST", "/api/v1/peers", add_peer),
    ("POST", "/api/v1/peers/import", import_peers),
    ("POST", "/api/v1/peers/invite", create_invite),
    ("POST", "/api/v1/peers/join", join),
    ("POST", "/api/v1/peers/sync", sync),
    ("POST", "/api/v1/key/rotate", rotate_key),
    ("POST", "/api/v1/peers/{node_id}/suspend", _status_action("suspend")),
    ("POST", "/api/v1/peers/{node_id}/resume", _status_action("resume")),
    ("POST", "/api/v1/peers/{node_id}/remove", _status_action("remove")),
    ("POST", "/api/v1/peers/{node_id}/ping", ping),
    ("POST", PEER_PATH, receive),
    ("POST", BATCH_PATH, receive_batch),
)
