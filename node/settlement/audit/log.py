"""Appending to the settlement log: each envelope sent or received, in the transaction that stores it.

Every entry is one signed envelope, verbatim: a message we sent, a message a partner sent us, our
signed reply to it, the partner's signed reply to ours, or a note we signed about a local decision
(a partner suspended, our key rotated). The entry's leaf in the RFC 6962 tree is
SHA-256(0x00 || envelope), so a partner can check that the very bytes it signed are in the log.
"""

from __future__ import annotations

import sqlite3

from node.identity import Identity
from node.merkle import leaf_hash
from node.peering.notes import Note, sign_note
from node.peering.wire import WireMessage
from node.settlement.audit import tables as audit_tables


def topic_of(msg_id: str, message: WireMessage | None) -> str:
    """What an entry is about, for finding it again: the claim or statement, else the message (a
    reply or a note has no message of its own: `None`)."""
    return (message.topic() if message is not None else "") or msg_id


def append(conn: sqlite3.Connection, envelope: bytes, topic: str, now_s: int) -> int:
    """Add one signed envelope as the next leaf; returns its position (0-based)."""
    return audit_tables.append_leaf(conn, leaf_hash(envelope), envelope, topic, now_s)


def append_note(conn: sqlite3.Connection, identity: Identity, note: Note) -> int:
    return append(conn, sign_note(identity, note), note.subject, note.created)


def record(
    conn: sqlite3.Connection, envelope: bytes, msg_id: str, message: WireMessage | None, now_s: int
) -> None:
    """Peering's "message stored" hook (node/peering/context.py): log it under its topic."""
    append(conn, envelope, topic_of(msg_id, message), now_s)


def size(conn: sqlite3.Connection) -> int:
    return audit_tables.log_size(conn)


def leaves(conn: sqlite3.Connection, up_to: int) -> list[bytes]:
    """The leaf hashes of the first `up_to` entries, in order."""
    return audit_tables.log_leaves(conn, up_to)
