"""HTTP for peering: the partner endpoint /peer/v1/message and the admin routes under /api/v1/peers."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from typing import Any

from aiohttp import web

from node.clock import iso, new_id
from node.errors import KippuError, PeerExists, ValidationError
from node.http import input as body_input
from node.peering import actions, core, operations, registration
from node.peering.actions import MAX_INVITE_HOURS, PartnerView
from node.peering.batch import BATCH_PATH
from node.peering.endpoint import receive, receive_batch
from node.peering.model import ParkedMessage, Peer
from node.peering.outbox import PEER_PATH
from node.peering.rotation import prepare_new_key, record_rotation, switch_to_new_key
from node.runtime import NODE, Handler, Node

log = logging.getLogger(__name__)


def _peer_json(view: PartnerView) -> dict[str, Any]:
    peer = view.peer
    return {
        "node_id": peer.node_id,
        "name": peer.name,
        "url": peer.url,
        "status": str(peer.status),
        "fingerprint": peer.fingerprint,
        "they_registered": peer.they_registered,
        "max_receivable": peer.max_receivable_yen,
        "queued_messages": view.queued_messages,
        "last_error": view.last_error,
        "parked": [_parked_json(parked) for parked in view.parked],
        "updated_at": iso(peer.updated_at),
    }


def _parked_json(parked: ParkedMessage) -> dict[str, Any]:
    return {
        "seq": parked.seq,
        "msg_id": parked.msg_id,
        "msg_type": parked.msg_type,
        "code": parked.code,
        "message": parked.message,
        "parked_at": iso(parked.parked_at),
        "attempts": parked.attempts,
    }


MAX_SEQ = 2**62


def _position(text: str, field: str) -> int:
    """A channel position from the path or body: a whole number, 1 or more."""
    if not text.isdecimal() or len(text) > 19 or not 1 <= int(text) <= MAX_SEQ:
        raise ValidationError(f"`{field}` must be a channel position, 1 or more.", field=field)
    return int(text)


async def list_peers(request: web.Request) -> web.Response:
    views = await actions.partner_views(request.app[NODE])
    return web.json_response({"peers": [_peer_json(view) for view in views]})


PEER_FIELDS = frozenset({"node_id", "url", "name", "max_receivable"})


def _peer_fields(body: dict[str, Any]) -> tuple[str, str, str | None, int | None]:
    """A partner entry's node id, URL, name and exposure limit, checked."""
    return (
        body_input.required_text(body, "node_id"),
        body_input.required_text(body, "url"),
        body_input.text(body, "name", required=False),
        body_input.amount(body, "max_receivable", required=False, minimum=0),
    )


async def add_peer(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, set(PEER_FIELDS))
    view = await actions.add_partner(request.app[NODE], *_peer_fields(body))
    return web.json_response(_peer_json(view), status=201)


def _add_peer_work(node: Node, body: dict[str, Any]) -> Callable[[sqlite3.Connection], Peer]:
    return operations.add_peer(node.me, *_peer_fields(body), node.now_s(), new_id(node.rng, "msg"))


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
    for entry in entries:  # all or nothing: one partner we may not add refuses the list
        registration.require_may_accept(node.config.issuer, str(entry.get("node_id")))
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
    body = await body_input.read_body(request, {"valid_hours"})
    hours = body.get("valid_hours")
    hours = 24 if hours is None else hours
    if isinstance(hours, bool) or not isinstance(hours, int):
        raise ValidationError(
            f"`valid_hours` must be 1..{MAX_INVITE_HOURS}.",
            field="valid_hours",
            maximum=MAX_INVITE_HOURS,
        )
    invite, expires_at = await actions.make_invite(request.app[NODE], hours)
    return web.json_response({"invite": invite, "expires_at": iso(expires_at)}, status=201)


async def join(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"invite"})
    # A long company name in kanji makes a long invitation (its name travels in it).
    text = body_input.required_text(body, "invite", core.MAX_INVITE_CHARS)
    view = await actions.join_partner(request.app[NODE], text)
    answer = _peer_json(view)
    if view.queued_messages:  # the inviter could not be reached: the join waits in the outbox
        answer["delivery"] = "queued"
        answer["note"] = (
            "The partner could not be reached; the join waits in the outbox and is retried"
            " until the partner answers (kippu peer list shows it)."
        )
    else:
        answer["delivery"] = "delivered"
    return web.json_response(answer, status=201)


def _status_action(action: str) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        await body_input.read_body(request, set())
        view = await actions.change_partner_status(
            request.app[NODE], request.match_info["node_id"], action
        )
        return web.json_response(_peer_json(view))

    return handler


def _parked_action(action: str) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        await body_input.read_body(request, set())
        node_id = request.match_info["node_id"]
        seq = _position(request.match_info["seq"], "seq")
        if action == "resign":
            view = await actions.resign_parked(request.app[NODE], node_id, seq)
        else:
            view = await actions.drop_parked(request.app[NODE], node_id, seq)
        return web.json_response(_peer_json(view))

    return handler


async def rewind(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"from_seq"})
    value = body.get("from_seq")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("`from_seq` must be a channel position, 1 or more.", field="from_seq")
    from_seq = _position(str(value), "from_seq")
    view = await actions.rewind_channel(request.app[NODE], request.match_info["node_id"], from_seq)
    return web.json_response(_peer_json(view))


async def ping(request: web.Request) -> web.Response:
    await body_input.read_body(request, set())
    view = await actions.ping_partner(request.app[NODE], request.match_info["node_id"])
    return web.json_response(_peer_json(view))


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
            record_rotation(node.me, new, node.now_s(), lambda: new_id(node.rng, "msg"))
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
    if node.store_sharer is not None:  # our store list first, where a partner's copy is old
        await node.store_sharer.share_now()
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
    ("POST", "/api/v1/peers/{node_id}/parked/{seq}/resign", _parked_action("resign")),
    ("POST", "/api/v1/peers/{node_id}/parked/{seq}/drop", _parked_action("drop")),
    ("POST", "/api/v1/peers/{node_id}/rewind", rewind),
    ("POST", PEER_PATH, receive),
    ("POST", BATCH_PATH, receive_batch),
)
