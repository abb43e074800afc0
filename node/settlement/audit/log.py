"""Appending to the settlement log: each envelope sent or received, in the transaction that stores it.

Every entry is one signed envelope, verbatim: a message we sent, a message a partner sent us, our
signed reply to it, the partner's signed reply to ours, or a note we signed about a local decision
(a partner suspended, our key rotated). The entry's leaf in the RFC 6962 tree is
SHA-256(0x00 || envelope), so a partner can check that the very bytes it signed are in the log.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from node.identity import Identity
from node.peering.envelope import seal
from node.peering.wire import WireMessage, WireRecord
from node.settlement.audit.merkle import leaf_hash

NOTE_TYPE = "log_note"


class NoteEvent(StrEnum):
    PARTNER_SUSPENDED = "partner_suspended"
    PARTNER_RESUMED = "partner_resumed"
    PARTNER_REMOVED = "partner_removed"
    KEY_ROTATED = "key_rotated"
    PARTNER_INCONSISTENT = "partner_inconsistent"
    # `position`: the first position of our channel to `subject` we withdraw (never accepted by
    # the partner); the channel continues from the position before it (docs/audit.md).
    MESSAGE_WITHDRAWN = "message_withdrawn"


@dataclass(frozen=True)
class Note(WireRecord):
    """A local decision, signed by us: `subject` is the partner concerned (or our node id)."""

    event: str
    subject: str
    created: int
    position: int = 0
    key: bytes = b""
    text: str = ""


def topic_of(msg_id: str, message: WireMessage) -> str:
    """What an entry is about, for finding it again: the claim or statement, else the message."""
    return message.topic() or msg_id


def append(conn: sqlite3.Connection, envelope: bytes, topic: str, now_s: int) -> int:
    """Add one signed envelope as the next leaf; returns its position (0-based)."""
    cursor = conn.execute(
        "INSERT INTO audit_log (position, leaf, envelope, topic, logged_at)"
        " VALUES ((SELECT coalesce(max(position) + 1, 0) FROM audit_log), ?, ?, ?, ?)",
        (leaf_hash(envelope), envelope, topic, now_s),
    )
    return int(cursor.lastrowid or 0)


def append_note(conn: sqlite3.Connection, identity: Identity, note: Note) -> int:
    envelope = seal(identity.signing_key, identity.node_id, NOTE_TYPE, note.encode())
    return append(conn, envelope, note.subject, note.created)


def size(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT coalesce(max(position) + 1, 0) FROM audit_log").fetchone()
    return int(row[0])


def leaves(conn: sqlite3.Connection, up_to: int) -> list[bytes]:
    """The leaf hashes of the first `up_to` entries, in order."""
    rows = conn.execute(
        "SELECT leaf FROM audit_log WHERE position < ? ORDER BY position", (up_to,)
    ).fetchall()
    return [bytes(row[0]) for row in rows]
