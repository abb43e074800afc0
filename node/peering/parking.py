"""The admin's ways out of a parked message (docs/protocol.md, "Parked messages"): re-sign it at
the same channel position, drop a parked registration, or rewind the channel. Writer units.

Re-signing and dropping withdraw signed messages the partner never accepted; each begins with a
signed `message_withdrawn` note in the settlement log, so an auditor sees why our channel to the
partner continues from an earlier position (docs/audit.md).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace

from node.errors import DropNotAllowed, NotParked, ResignNotAllowed, ValidationError
from node.peering import core, parked_tables, tables
from node.peering.context import NodeContext
from node.peering.envelope import open_envelope
from node.peering.inbound import message_class
from node.peering.messages import MESSAGE_LIFETIME_S, Header
from node.peering.model import Channel, ParkedMessage, PeerStatus
from node.peering.notes import Note, NoteEvent
from node.peering.outbound import record_note, sign, store_signed
from node.peering.wire import read_header

REGISTRATIONS = frozenset({"register", "join"})


def _require_parked(conn: sqlite3.Connection, peer_id: str, seq: int) -> ParkedMessage:
    parked = parked_tables.load_parked(conn, peer_id, seq)
    if parked is None:
        raise NotParked()
    return parked


def _withdraw(
    conn: sqlite3.Connection, me: NodeContext, parked: ParkedMessage, why: str, now_s: int
) -> None:
    note = Note(NoteEvent.MESSAGE_WITHDRAWN, parked.peer, now_s, parked.seq, b"", why[:500])
    record_note(conn, me.hooks, me.identity, note)


def resign(
    me: NodeContext, peer_id: str, seq: int, now_s: int
) -> Callable[[sqlite3.Connection], int]:
    """Sign the parked message, and every message queued after it, again at the same positions:
    same ids, types and fields, a fresh created/expires window, the hash chain redone. Returns
    how many messages were re-signed."""

    def work(conn: sqlite3.Connection) -> int:
        parked = _require_parked(conn, peer_id, seq)
        queued = parked_tables.queued_from(conn, peer_id, seq)
        if any(q.msg_type == "key_rotation" for q in queued):
            raise ResignNotAllowed()
        if any(q.was_accepted for q in queued):  # a second signed version: a fork, never
            raise ResignNotAllowed(
                "The partner accepted one of these messages once (it was sent again by a"
                " rewind); signing it again would show the partner two versions of it."
            )
        first = read_header(open_envelope(queued[0].envelope).body)
        channel = Channel(seq - 1, first.prev)
        _withdraw(conn, me, parked, f"re-signed after {parked.code}", now_s)
        for message in queued:
            kind = message_class(message.msg_type, me)
            header, same = kind.decode(open_envelope(message.envelope).body)
            fresh = replace(
                header, prev=channel.last_hash, created=now_s, expires=now_s + MESSAGE_LIFETIME_S
            )
            raw = sign(me.identity, fresh, same)
            store_signed(conn, me.hooks, peer_id, fresh, same, raw, now_s)
            channel = channel.after(header.seq, raw)
        tables.save_channel(conn, "channels_out", peer_id, channel)
        return len(queued)

    return work


def drop(
    me: NodeContext, peer_id: str, seq: int, now_s: int
) -> Callable[[sqlite3.Connection], str]:
    """Take a parked registration (register or join) out of the channel: it is never sent again
    and the next message takes its position. A partnership still waiting for the partner ends
    (removed). Returns the partner's status afterwards."""

    def work(conn: sqlite3.Connection) -> str:
        parked = _require_parked(conn, peer_id, seq)
        channel = tables.load_channel(conn, "channels_out", peer_id)
        if parked.msg_type not in REGISTRATIONS or channel.last_seq != seq:
            raise DropNotAllowed()
        [message] = parked_tables.queued_from(conn, peer_id, seq)
        header: Header = read_header(open_envelope(message.envelope).body)
        _withdraw(conn, me, parked, f"dropped after {parked.code}", now_s)
        parked_tables.mark_dropped(conn, peer_id, seq, now_s)
        tables.save_channel(conn, "channels_out", peer_id, Channel(seq - 1, header.prev))
        peer = tables.require_peer(conn, peer_id)
        if peer.status == PeerStatus.PENDING and not peer.they_registered:
            target = core.next_status(peer.status, PeerStatus.REMOVED)
            tables.update_peer(conn, peer_id, now_s, status=target)
            note = Note(NoteEvent.PARTNER_REMOVED, peer_id, now_s)
            record_note(conn, me.hooks, me.identity, note)
            return str(target)
        return str(peer.status)

    return work


def rewind(peer_id: str, from_seq: int, now_s: int) -> Callable[[sqlite3.Connection], int]:
    """Send the channel again from position `from_seq` (at most the parked one) with the bytes
    already signed: for a partner that restored an older copy of its database. It answers the
    stored reply to what it still holds and takes the rest in order; our first answers stay.
    Returns how many messages will be sent again."""

    def work(conn: sqlite3.Connection) -> int:
        head = parked_tables.parked_for(conn, peer_id)
        if head is None:
            raise NotParked()
        if not 1 <= from_seq <= head.seq:
            raise ValidationError(
                f"`from_seq` must be 1..{head.seq} (the parked message's position).",
                field="from_seq",
            )
        return parked_tables.unpark_from(conn, peer_id, from_seq, now_s)

    return work
