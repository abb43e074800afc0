"""Writing messages to partners: next sequence number, hash chain, signature, durable outbox row."""

from __future__ import annotations

import sqlite3

from node.identity import Identity
from node.peering import parked_tables, tables
from node.peering.context import Hooks, NodeContext
from node.peering.envelope import seal
from node.peering.messages import (
    MESSAGE_LIFETIME_S,
    REPLY_TYPE,
    Header,
    Reply,
)
from node.peering.notes import Note, sign_note
from node.peering.wire import WireMessage


def enqueue(
    conn: sqlite3.Connection,
    me: NodeContext,
    peer_id: str,
    message: WireMessage,
    now_s: int,
    msg_id: str,
) -> bytes:
    """Sign the next message of our channel to `peer_id` and put it in the outbox.

    Called inside the writer transaction that makes the change the message reports, so the
    change and the message are durable together or not at all. Signed with `me.identity`.
    """
    identity = me.identity
    channel = tables.load_channel(conn, "channels_out", peer_id)
    seq = channel.last_seq + 1
    header = Header(
        msg_id=msg_id,
        sender=identity.node_id,
        recipient=peer_id,
        seq=seq,
        prev=channel.last_hash,
        created=now_s,
        expires=now_s + MESSAGE_LIFETIME_S,
    )
    raw = sign(identity, header, message)
    store_signed(conn, me.hooks, peer_id, header, message, raw, now_s)
    tables.save_channel(conn, "channels_out", peer_id, channel.after(seq, raw))
    return raw


def sign(identity: Identity, header: Header, message: WireMessage) -> bytes:
    body = message.encode(header)
    return seal(identity.signing_key, identity.node_id, message.msg_type, body)


def store_signed(
    conn: sqlite3.Connection,
    hooks: Hooks,
    peer_id: str,
    header: Header,
    message: WireMessage,
    raw: bytes,
    now_s: int,
) -> None:
    """Put a signed message in the outbox and hand it to the "message stored" hook (the log). A
    position whose message was dropped (docs/protocol.md, "Parked messages") gets the new message
    as its next version."""
    msg_type = message.msg_type
    if parked_tables.is_position_taken(conn, peer_id, header.seq):
        parked_tables.insert_version(conn, peer_id, header.seq, header.msg_id, msg_type, raw, now_s)
    else:
        tables.insert_outbox(conn, peer_id, header.seq, header.msg_id, msg_type, raw, now_s)
    hooks.message_stored(conn, raw, header.msg_id, message, now_s)


def record_note(conn: sqlite3.Connection, hooks: Hooks, identity: Identity, note: Note) -> None:
    """Sign a note about a decision of ours and hand it to the "message stored" hook (the log)."""
    hooks.message_stored(conn, sign_note(identity, note), note.subject, None, note.created)


def seal_reply(
    identity: Identity,
    recipient: str,
    in_reply_to: str,
    now_s: int,
    *,
    ok: bool,
    name: str,
    code: str = "ok",
    message: str = "",
    expected_seq: int = 0,
    result: bytes = b"",
) -> bytes:
    """Our signed answer to one message, accepted or refused."""
    reply = Reply(
        in_reply_to=in_reply_to,
        sender=identity.node_id,
        recipient=recipient,
        created=now_s,
        ok=ok,
        code=code,
        message=message[:500],
        name=name,
        expected_seq=expected_seq,
        result=result,
    )
    return seal(identity.signing_key, identity.node_id, REPLY_TYPE, reply.encode())
