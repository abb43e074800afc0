"""Partnership operations run by the writer: add, invite, join, suspend/resume/remove, delivery results."""

from __future__ import annotations

import ipaddress
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from node import db
from node.errors import (
    ChannelParked,
    HistoryForked,
    PeerExists,
    PeerIsSelf,
    PeerRemoved,
    UnusableUrl,
    ValidationError,
)
from node.identity import decode_node_id
from node.peering import core, parked_tables, tables
from node.peering.context import Hooks, NodeContext
from node.peering.messages import MESSAGE_LIFETIME_S, Header, JoinMessage, RegisterMessage, Reply
from node.peering.model import Peer, PeerStatus
from node.peering.notes import Note, NoteEvent
from node.peering.outbound import enqueue, record_note, sign, store_signed

CONFIRMING_TYPES = frozenset({"register", "join"})


# A partner's base URL: http(s), a host name, an IPv4 address or an [IPv6] address, an optional
# port, an optional path; ASCII only and no user:password@ (the OpenAPI document states the same
# expression; that the text between brackets is an IPv6 address it cannot state: 422).
_PORT = "(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})"
_HOST = r"(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[(?P<ipv6>[0-9A-Fa-f:.]+)\])"
PARTNER_URL = rf"https?://{_HOST}(?::{_PORT})?(?:/[!-~]*)?"
_PARTNER_URL = re.compile(PARTNER_URL)


def _check_url(url: str) -> None:
    found = _PARTNER_URL.fullmatch(url.strip())
    if found is None:
        raise ValidationError(
            "`url` must be http(s)://host[:port][/path], in ASCII, without user or password.",
            field="url",
        )
    if found["ipv6"] is not None:
        try:
            ipaddress.IPv6Address(found["ipv6"])
        except ValueError as exc:
            raise UnusableUrl(field="url") from exc


def _validate_target(me: NodeContext, node_id: str, url: str) -> str:
    node_id = node_id.strip().upper()
    try:
        decode_node_id(node_id)
    except ValueError as exc:
        raise ValidationError(f"`node_id`: {exc}.", field="node_id") from exc
    if node_id == me.identity.node_id:
        raise PeerIsSelf()
    _check_url(url)
    return node_id


def add_peer(
    me: NodeContext,
    node_id: str,
    url: str,
    name: str | None,
    max_receivable_yen: int | None,
    now_s: int,
    msg_id: str,
) -> Callable[[sqlite3.Connection], Peer]:
    """Register a partner (pending) and tell it so; it becomes active once it registered us too."""

    def work(conn: sqlite3.Connection) -> Peer:
        peer_id = _validate_target(me, node_id, url)
        existing = tables.load_peer(conn, peer_id)
        label = name or peer_id[:8]
        if existing is None:
            tables.insert_peer(conn, peer_id, label, url.rstrip("/"), max_receivable_yen, now_s)
        elif existing.status == PeerStatus.REMOVED:
            tables.update_peer(
                conn,
                peer_id,
                now_s,
                status=core.next_status(existing.status, PeerStatus.PENDING),
                they_registered=0,
                name=name or existing.name,
                url=url.rstrip("/"),
                max_receivable_yen=max_receivable_yen,
            )
        else:
            raise PeerExists(status=str(existing.status))
        enqueue(conn, me, peer_id, RegisterMessage(me.name, me.url), now_s, msg_id)
        return tables.require_peer(conn, peer_id)

    return work


def create_invite(
    invite_id: str, secret: bytes, now_s: int, expires_s: int
) -> Callable[[sqlite3.Connection], None]:
    def work(conn: sqlite3.Connection) -> None:
        tables.insert_invite(conn, invite_id, core.invite_secret_hash(secret), now_s, expires_s)

    return work


@dataclass(frozen=True)
class SignedJoin:
    """Our join to an inviter, signed for the next position of our channel but stored nowhere
    yet: it is sent first, and kept only if the inviter accepts it or cannot be reached."""

    peer_id: str
    header: Header
    message: JoinMessage
    envelope: bytes


def sign_join(
    me: NodeContext, invite: core.Invite, now_s: int, msg_id: str
) -> Callable[[sqlite3.Connection], SignedJoin]:
    """Writer unit that writes nothing: check we may join, and sign the join."""

    def work(conn: sqlite3.Connection) -> SignedJoin:
        peer_id = _validate_target(me, invite.node_id, invite.url)
        existing = tables.load_peer(conn, peer_id)
        if existing is not None and existing.status not in (PeerStatus.PENDING, PeerStatus.REMOVED):
            raise PeerExists(status=str(existing.status))
        if parked_tables.parked_for(conn, peer_id) is not None:
            raise ChannelParked()
        channel = tables.load_channel(conn, "channels_out", peer_id)
        header = Header(
            msg_id=msg_id,
            sender=me.identity.node_id,
            recipient=peer_id,
            seq=channel.last_seq + 1,
            prev=channel.last_hash,
            created=now_s,
            expires=now_s + MESSAGE_LIFETIME_S,
        )
        join = JoinMessage(
            name=me.name, url=me.url, invite_id=invite.invite_id, secret=invite.secret
        )
        return SignedJoin(peer_id, header, join, sign(me.identity, header, join))

    return work


def store_join(
    hooks: Hooks,
    invite: core.Invite,
    signed: SignedJoin,
    now_s: int,
    outcome: Callable[[sqlite3.Connection], None],
) -> Callable[[sqlite3.Connection], Peer]:
    """Register the inviter (pending) with our join, already sent, in the outbox; then record
    the `outcome` of that sending (the inviter's reply, or why it could not be reached)."""

    def work(conn: sqlite3.Connection) -> Peer:
        peer_id = signed.peer_id
        existing = tables.load_peer(conn, peer_id)
        if existing is None:
            tables.insert_peer(conn, peer_id, invite.name or peer_id[:8], invite.url, None, now_s)
        elif existing.status == PeerStatus.REMOVED:
            tables.update_peer(
                conn, peer_id, now_s, status=PeerStatus.PENDING, they_registered=0, url=invite.url
            )
        elif existing.status != PeerStatus.PENDING:
            raise PeerExists(status=str(existing.status))
        channel = tables.load_channel(conn, "channels_out", peer_id)
        if (channel.last_seq + 1, channel.last_hash) != (signed.header.seq, signed.header.prev):
            raise PeerExists(status="registered meanwhile")  # a concurrent `peer add`
        store_signed(conn, hooks, peer_id, signed.header, signed.message, signed.envelope, now_s)
        tables.save_channel(
            conn, "channels_out", peer_id, channel.after(signed.header.seq, signed.envelope)
        )
        outcome(conn)
        return tables.require_peer(conn, peer_id)

    return work


STATUS_NOTES = {
    "suspend": NoteEvent.PARTNER_SUSPENDED,
    "resume": NoteEvent.PARTNER_RESUMED,
    "remove": NoteEvent.PARTNER_REMOVED,
}


def change_status(
    me: NodeContext, node_id: str, action: str, now_s: int
) -> Callable[[sqlite3.Connection], Peer]:
    """Suspend, resume or remove a partner here. Nothing owed is touched; messages just pause.
    The decision is a signed note in the settlement log."""

    def work(conn: sqlite3.Connection) -> Peer:
        peer = tables.require_peer(conn, node_id.strip().upper())
        if peer.status == PeerStatus.REMOVED and action != "remove":
            raise PeerRemoved()
        if action == "suspend":
            target = PeerStatus.SUSPENDED
        elif action == "resume":
            target = PeerStatus.ACTIVE if peer.they_registered else PeerStatus.PENDING
            if peer.status != PeerStatus.SUSPENDED:
                target = peer.status
        elif action == "remove":
            target = PeerStatus.REMOVED
        else:
            raise ValidationError(f"Unknown action {action!r}.")
        tables.update_peer(conn, peer.node_id, now_s, status=core.next_status(peer.status, target))
        if target != peer.status:
            record_note(
                conn, me.hooks, me.identity, Note(STATUS_NOTES[action], peer.node_id, now_s)
            )
        return tables.require_peer(conn, peer.node_id)

    return work


def record_reply(
    hooks: Hooks,
    peer_id: str,
    seq: int,
    msg_type: str,
    reply: Reply,
    reply_raw: bytes,
    now_s: int,
    jitter: float,
    apply_result: Callable[[sqlite3.Connection], None] | None = None,
) -> Callable[[sqlite3.Connection], None]:
    """Apply a partner's signed answer to one of our messages (and its typed result, if any)."""

    def work(conn: sqlite3.Connection) -> None:
        peer = tables.require_peer(conn, peer_id)
        if reply.ok:
            if tables.mark_delivered(conn, peer_id, seq, reply_raw, now_s):
                hooks.message_stored(conn, reply_raw, reply.in_reply_to, None, now_s)
            if apply_result is not None:
                apply_result(conn)
            if msg_type in CONFIRMING_TYPES:
                updates: dict[str, object] = {"they_registered": 1}
                status = core.status_when_confirmed(peer)
                if status != peer.status:
                    updates["status"] = core.next_status(peer.status, status)
                if reply.name and peer.name == peer_id[:8]:
                    updates["name"] = reply.name
                tables.update_peer(conn, peer_id, now_s, **updates)
            return
        if reply.code == HistoryForked.code:
            hooks.fork_reported(conn, peer_id, seq, reply.message, reply_raw, now_s)
        if reply.code == "peer.sequence_gap" and 0 < reply.expected_seq <= seq:
            tables.rewind_deliveries(conn, peer_id, reply.expected_seq, now_s)
            return
        if core.is_permanent_refusal(reply.code):
            text = core.partner_text(reply.message)
            parked_tables.mark_parked(conn, peer_id, seq, reply.code, text, now_s)
            return
        attempts = _attempts(conn, peer_id, seq) + 1
        tables.mark_failed(
            conn,
            peer_id,
            seq,
            f"{reply.code}: {reply.message}",
            now_s + core.backoff_seconds(attempts, jitter),
        )

    return work


def apply_in_order(
    units: list[Callable[[sqlite3.Connection], None]],
) -> Callable[[sqlite3.Connection], tuple[int, Exception | None]]:
    """Apply a batch's replies in channel order, each in its own savepoint, and stop at the first
    that cannot be applied: (how many were applied, why the next one was not, or None).

    A failure of the disk or the file (SQLITE_FULL, SQLITE_IOERR, ...) is not a reply's: SQLite
    may have rolled the whole transaction back, so it is raised for the writer to answer as the
    matching storage.* error, as it does for any unit."""

    def work(conn: sqlite3.Connection) -> tuple[int, Exception | None]:
        for applied, unit in enumerate(units):
            try:
                with tables.savepoint(conn, "reply"):
                    unit(conn)
            except Exception as exc:  # the savepoint rolled back: nothing of this reply stays
                if db.storage_error(exc) is not None:
                    raise
                return applied, exc
        return len(units), None

    return work


def record_failure(
    peer_id: str, seq: int, error: str, now_s: int, jitter: float
) -> Callable[[sqlite3.Connection], None]:
    """The partner could not be reached or gave no valid answer: retry later, with backoff."""

    def work(conn: sqlite3.Connection) -> None:
        attempts = _attempts(conn, peer_id, seq) + 1
        tables.mark_failed(
            conn, peer_id, seq, error, now_s + core.backoff_seconds(attempts, jitter)
        )

    return work


def _attempts(conn: sqlite3.Connection, peer_id: str, seq: int) -> int:
    return tables.delivery_attempts(conn, peer_id, seq)
