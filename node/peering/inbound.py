"""Receiving a partner's message: verify, decode strictly, check order, dispatch by an explicit table.

Order of checks: well-formed envelope, known message type, signature (with the sender's first
key, which is its node id, or a key it rotated to), strict body, sender/recipient, key era; then,
inside one writer transaction: idempotency (same id and bytes: the stored reply again, even past
the message's window, so a sender whose answer was lost is never stuck), validity window, partner
status, channel sequence and hash chain, the type's handler, and the inbox row with our signed
reply. Any refusal changes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from node.errors import (
    BadSignature,
    HistoryForked,
    IdempotencyConflict,
    KippuError,
    MalformedEnvelope,
    PeerExists,
    UnknownMessageType,
    WrongRecipient,
)
from node.peering import core, tables
from node.peering.context import ACTIVE_ONLY, ANY_REGISTERED, Checked, NodeContext, Route, Routes
from node.peering.envelope import Envelope, open_envelope, pack
from node.peering.keys import KeyEntry, check_key_era, verify_with
from node.peering.messages import (
    Header,
    JoinMessage,
    KeyRotationMessage,
    PingMessage,
    RegisterMessage,
    StoreListMessage,
)
from node.peering.model import Channel, Peer, PeerStatus
from node.peering.outbound import seal_reply
from node.peering.partner_stores import on_store_list
from node.peering.wire import WireMessage
from node.text import is_printable


def _on_register(
    conn: sqlite3.Connection,
    me: NodeContext,
    checked: Checked[RegisterMessage],
    peer: Peer | None,
    now_s: int,
) -> bytes:
    """The partner registered us; we registered it before (else require_status refused)."""
    if peer is None:
        return b""
    tables.update_peer(
        conn,
        peer.node_id,
        now_s,
        they_registered=1,
        status=core.next_status(peer.status, core.status_when_confirmed(peer)),
    )
    return b""


def _on_join(
    conn: sqlite3.Connection,
    me: NodeContext,
    checked: Checked[JoinMessage],
    peer: Peer | None,
    now_s: int,
) -> bytes:
    """A node accepts our invitation: the invite's one-time secret is what authorises it."""
    header, join = checked.header, checked.message
    name = join.name
    if not join.url.startswith(("http://", "https://")) or not (
        name.strip() and is_printable(name)
    ):
        raise MalformedEnvelope("A join needs the joiner's name and an http(s) URL.")
    found = tables.load_invite(conn, join.invite_id)
    secret_hash, expires_at, used = found if found is not None else (None, 0, False)
    core.check_invite(secret_hash, expires_at, used, join.secret, now_s)
    if peer is not None and peer.status not in (PeerStatus.PENDING, PeerStatus.REMOVED):
        raise PeerExists(status=str(peer.status))
    if peer is None:
        tables.insert_peer(conn, header.sender, join.name, join.url, None, now_s)
    tables.update_peer(
        conn,
        header.sender,
        now_s,
        status=PeerStatus.ACTIVE,
        they_registered=1,
        url=join.url,
        name=join.name or header.sender[:8],
    )
    tables.mark_invite_used(conn, join.invite_id, header.sender, now_s)
    return b""


def _on_ping(
    conn: sqlite3.Connection,
    me: NodeContext,
    checked: Checked[PingMessage],
    peer: Peer | None,
    now_s: int,
) -> bytes:
    """Nothing to change: the reply itself proves the partnership works both ways."""
    return b""


def _on_key_rotation(
    conn: sqlite3.Connection,
    me: NodeContext,
    checked: Checked[KeyRotationMessage],
    peer: Peer | None,
    now_s: int,
) -> bytes:
    """The partner moves to a new key; the notice is signed by its current one."""
    if peer is None:
        return b""
    current = tables.last_peer_key_position(conn, peer.node_id)
    if checked.key.position != current:
        raise BadSignature("A key rotation must be signed by the partner's current key.")
    if checked.message.position != current + 1:
        raise MalformedEnvelope("The key rotation is out of order.")
    tables.insert_peer_key(
        conn,
        peer.node_id,
        current + 1,
        checked.message.new_key,
        checked.header.created,
        checked.header.seq,
        checked.envelope.raw,
    )
    return b""


# Peering's own routes. A tuple first, each route typed by its own message class (so mypy checks
# that the handler takes that class); the table is keyed by each class's wire name. The others'
# routes come from the composition root (Hooks.routes). Never dispatch on a name from the wire.
_PEERING_ROUTES = (
    Route(RegisterMessage, _on_register, ANY_REGISTERED),
    Route(JoinMessage, _on_join, ANY_REGISTERED, from_strangers=True),
    Route(PingMessage, _on_ping, ACTIVE_ONLY),
    Route(KeyRotationMessage, _on_key_rotation, ANY_REGISTERED),
    Route(StoreListMessage, on_store_list, ACTIVE_ONLY),
)
PEERING_ROUTES: Routes = {route.message.msg_type: route for route in _PEERING_ROUTES}


def route_of(msg_type: str, me: NodeContext) -> Route[Any] | None:
    """The route of a message type this node acts on, None for any other."""
    return PEERING_ROUTES.get(msg_type) or me.hooks.routes.get(msg_type)


def message_class(msg_type: str, me: NodeContext) -> type[WireMessage]:
    """The class of a message type we exchange (a type we send is one a partner receives)."""
    route = route_of(msg_type, me)
    if route is None:
        raise UnknownMessageType()
    return route.message


def check_message(
    envelope: Envelope, keys: tuple[KeyEntry, ...], me: NodeContext, now_s: int
) -> Checked[WireMessage]:
    """Everything that needs no transaction: type, signature, body, addressing, key era."""
    route = route_of(envelope.msg_type, me)
    if route is None:
        raise UnknownMessageType()
    used = verify_with(envelope, keys)
    header, message = route.message.decode(envelope.body)
    if header.sender != envelope.sender:
        raise MalformedEnvelope("The body names another sender than the envelope.")
    if header.recipient != me.identity.node_id:
        raise WrongRecipient()
    check_key_era(keys, used, header.seq)
    return Checked(envelope, route, header, message, used)


# Our signed reply and the HTTP status it goes with (200, or a refusal's status when the refusal
# itself must be committed: the fork alarm and the suspension it causes).
Answered = tuple[bytes, int]


def accept(
    checked: Checked[WireMessage], me: NodeContext, now_s: int
) -> Callable[[sqlite3.Connection], Answered]:
    """The writer unit: idempotency, partner status, order, handler, inbox; returns our reply."""
    header, raw = checked.header, checked.envelope.raw

    def work(conn: sqlite3.Connection) -> Answered:
        stored = tables.find_inbox(conn, header.sender, header.msg_id)
        if stored is not None:
            if stored[0] != raw:
                raise IdempotencyConflict()
            return stored[1], 200
        core.check_window(header, now_s)
        peer = tables.load_peer(conn, header.sender)
        if not (
            checked.route.from_strangers and (peer is None or peer.status == PeerStatus.REMOVED)
        ):
            core.require_status(peer, checked.route.allowed)
        channel = tables.load_channel(conn, "channels_in", header.sender)
        forked = _fork_evidence(conn, header, channel, raw)
        if forked is not None:
            me.hooks.partner_forked(conn, me, header.sender, header.seq, *forked, now_s)
            error = HistoryForked()
            refused = seal_reply(
                me.identity,
                header.sender,
                header.msg_id,
                now_s,
                ok=False,
                name=me.name,
                code=error.code,
                message=error.message,
            )
            return refused, error.http_status
        core.check_sequence(channel, header)
        me.hooks.message_stored(conn, raw, header.msg_id, checked.message, now_s)
        result = checked.route.handle(conn, me, checked, peer, now_s)
        reply = seal_reply(
            me.identity, header.sender, header.msg_id, now_s, ok=True, name=me.name, result=result
        )
        tables.insert_inbox(
            conn,
            header.sender,
            header.msg_id,
            header.seq,
            checked.envelope.msg_type,
            raw,
            reply,
            now_s,
        )
        tables.save_channel(conn, "channels_in", header.sender, channel.after(header.seq, raw))
        me.hooks.message_stored(conn, reply, header.msg_id, None, now_s)
        if checked.route.after_reply is not None:
            checked.route.after_reply(conn, me, result, now_s)
        return reply, 200

    return work


def _fork_evidence(
    conn: sqlite3.Connection, header: Header, channel: Channel, raw: bytes
) -> tuple[str, bytes] | None:
    """A correctly signed message that takes a place of the channel already taken by another, or
    that names another previous message than the one we hold: the partner shows two histories
    (why, and both signed envelopes as evidence). None for an honest next message or a gap."""
    if header.seq <= channel.last_seq:
        place, why = header.seq, f"it signed two different messages as number {header.seq}"
    elif header.seq == channel.last_seq + 1 and header.prev != channel.last_hash:
        place, why = channel.last_seq, f"message {header.seq} follows another history than ours"
    else:
        return None
    held = tables.inbox_envelope_at(conn, header.sender, place)
    if held is None or held == raw:
        return None
    return why, pack({"held": held, "received": raw})


def refusal(me: NodeContext, raw: bytes, error: KippuError, now_s: int) -> bytes:
    """A signed refusal, addressed to whoever the envelope claims to be (if it says)."""
    recipient = in_reply_to = ""
    try:
        envelope = open_envelope(raw)
        recipient = envelope.sender
        route = route_of(envelope.msg_type, me)
        if route is not None:
            in_reply_to = route.message.decode(envelope.body)[0].msg_id
    except KippuError:
        pass
    expected = error.details.get("expected_seq", 0)
    return seal_reply(
        me.identity,
        recipient[:60],
        in_reply_to[:64],
        now_s,
        ok=False,
        name=me.name,
        code=error.code,
        message=error.message,
        expected_seq=expected if isinstance(expected, int) else 0,
    )
