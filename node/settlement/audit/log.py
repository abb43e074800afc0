"""Appending to the settlement log: each envelope sent or received, in the transaction that stores it.

Every entry is one signed envelope, verbatim: a message we sent, a message a partner sent us, our
signed reply to it, the partner's signed reply to ours, or a note we signed about a local decision
(a partner suspended, our key rotated). The entry's leaf in the RFC 6962 tree is
SHA-256(0x00 || envelope), so a partner can check that the very bytes it signed are in the log.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from node.identity import Identity
from node.peering.envelope import pack, require_sorted, seal, strict_unpack
from node.peering.messages import FieldSpec, check_fields, key_order
from node.settlement.audit import tables as audit_tables
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


NOTE_FIELDS: FieldSpec = {
    "event": (str, None),
    "subject": (str, None),
    "created": (int, None),
    "position": (int, None),
    "key": (bytes, None),
    "text": (str, None),
}
NOTE_ORDER = key_order(NOTE_FIELDS)


@dataclass(frozen=True)
class Note:
    """A local decision, signed by us: `subject` is the partner concerned (or our node id)."""

    event: str
    subject: str
    created: int
    position: int = 0
    key: bytes = b""
    text: str = ""


def encode_note(note: Note) -> bytes:
    body = asdict(note)
    check_fields(body, NOTE_FIELDS)
    return pack(body)


def decode_note(body: bytes) -> Note:
    values = strict_unpack(body)
    require_sorted(values, NOTE_ORDER)
    check_fields(values, NOTE_FIELDS)
    return Note(**values)


def topic_of(msg_id: str, fields: dict[str, Any]) -> str:
    """What an entry is about, for finding it again: the claim or statement, else the message."""
    for name in ("claim_id", "statement_id"):
        value = fields.get(name)
        if isinstance(value, str) and value:
            return value
    return msg_id


def append(conn: sqlite3.Connection, envelope: bytes, topic: str, now_s: int) -> int:
    """Add one signed envelope as the next leaf; returns its position (0-based)."""
    return audit_tables.append_leaf(conn, leaf_hash(envelope), envelope, topic, now_s)


def append_note(conn: sqlite3.Connection, identity: Identity, note: Note) -> int:
    envelope = seal(identity.signing_key, identity.node_id, NOTE_TYPE, encode_note(note))
    return append(conn, envelope, note.subject, note.created)


def size(conn: sqlite3.Connection) -> int:
    return audit_tables.log_size(conn)


def leaves(conn: sqlite3.Connection, up_to: int) -> list[bytes]:
    """The leaf hashes of the first `up_to` entries, in order."""
    return audit_tables.log_leaves(conn, up_to)
