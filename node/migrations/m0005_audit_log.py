"""Migration 0005_audit_log, released: frozen. Never edit it; a change is a new migration.

The audit tables (the append-only settlement log, our signed checkpoints, the partners' views of
them), then every envelope stored before the log existed, appended in the order it was stored.
Before this migration the order between channels was not recorded, so it is rebuilt from the
stored times (to the second), each channel in sequence order, each reply after the message it
answers.

It carries its own decoder of the few envelope fields it needs (the message type, and the claim
or statement a message is about), as the wire format was released: it never imports today's
decoder, so a later change of the messages cannot change what an upgraded node's log holds. Every
envelope it reads was checked when it was stored; one it cannot read is filed under its msg_id.
"""

from __future__ import annotations

import hashlib
import sqlite3
from typing import Any

import msgpack

from node.db import run_script

SQL = """
        -- One row per leaf of the RFC 6962 tree: a signed envelope, verbatim. `topic` is the claim or
        -- statement a message is about (or its msg_id), and for a reply the msg_id it answers, so that
        -- the entries about one claim can be found for an inclusion proof.
        CREATE TABLE audit_log (
            position INTEGER PRIMARY KEY CHECK (position >= 0),
            leaf BLOB NOT NULL CHECK (length(leaf) = 32),
            envelope BLOB NOT NULL,
            topic TEXT NOT NULL,
            logged_at INTEGER NOT NULL
        );
        CREATE INDEX audit_log_topic ON audit_log(topic);

        -- Our signed checkpoints: tree size and root, signed with the key of the moment.
        CREATE TABLE audit_checkpoints (
            size INTEGER PRIMARY KEY CHECK (size >= 0),
            root BLOB NOT NULL CHECK (length(root) = 32),
            created_at INTEGER NOT NULL,
            body BLOB NOT NULL,
            signature BLOB NOT NULL CHECK (length(signature) = 64)
        );

        -- Partners' countersignatures on our checkpoints.
        CREATE TABLE audit_cosignatures (
            size INTEGER NOT NULL REFERENCES audit_checkpoints(size),
            cosigner TEXT NOT NULL,
            signature BLOB NOT NULL CHECK (length(signature) = 64),
            received_at INTEGER NOT NULL,
            PRIMARY KEY (size, cosigner)
        );

        -- The last checkpoint we sent each partner: the next one carries a proof from it.
        CREATE TABLE audit_shared (
            peer TEXT PRIMARY KEY,
            size INTEGER NOT NULL CHECK (size >= 0)
        );

        -- Partners' checkpoints that we checked for consistency and countersigned.
        CREATE TABLE audit_witnessed (
            peer TEXT NOT NULL,
            size INTEGER NOT NULL CHECK (size >= 0),
            root BLOB NOT NULL CHECK (length(root) = 32),
            body BLOB NOT NULL,
            signature BLOB NOT NULL,
            cosignature BLOB NOT NULL,
            witnessed_at INTEGER NOT NULL,
            PRIMARY KEY (peer, size)
        );

        -- Inconsistent histories: a partner's checkpoint that does not extend what it showed us
        -- before (`direction` 'theirs'), or a partner telling us that ours does not ('ours').
        CREATE TABLE audit_alarms (
            alarm_id INTEGER PRIMARY KEY,
            peer TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('theirs', 'ours')),
            size INTEGER NOT NULL,
            reason TEXT NOT NULL,
            evidence BLOB NOT NULL,
            detected_at INTEGER NOT NULL
        );

    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

    CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
    BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
    CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
    BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;

    CREATE TRIGGER audit_cosignatures_no_update BEFORE UPDATE ON audit_cosignatures
    BEGIN SELECT RAISE(ABORT, 'audit_cosignatures is append-only'); END;
    CREATE TRIGGER audit_cosignatures_no_delete BEFORE DELETE ON audit_cosignatures
    BEGIN SELECT RAISE(ABORT, 'audit_cosignatures is append-only'); END;

    CREATE TRIGGER audit_witnessed_no_update BEFORE UPDATE ON audit_witnessed
    BEGIN SELECT RAISE(ABORT, 'audit_witnessed is append-only'); END;
    CREATE TRIGGER audit_witnessed_no_delete BEFORE DELETE ON audit_witnessed
    BEGIN SELECT RAISE(ABORT, 'audit_witnessed is append-only'); END;

    CREATE TRIGGER audit_alarms_no_update BEFORE UPDATE ON audit_alarms
    BEGIN SELECT RAISE(ABORT, 'audit_alarms is append-only'); END;
    CREATE TRIGGER audit_alarms_no_delete BEFORE DELETE ON audit_alarms
    BEGIN SELECT RAISE(ABORT, 'audit_alarms is append-only'); END;
    """

# The message types, as released, whose body names the claim or statement it is about.
TOPIC_FIELDS = {
    "claim": "claim_id",
    "claim_void": "claim_id",
    "statement": "statement_id",
    "payment": "statement_id",
    "payment_confirmation": "statement_id",
}
ENVELOPE_KEYS = ("body", "from", "sig", "type", "v")

# Sort rank within one second: a message before its reply, ours before theirs.
_SENT, _RECEIVED, _ANSWERED = 0, 1, 2


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
    rows: list[tuple[int, int, str, int, bytes, str]] = []
    for peer, seq, msg_id, envelope, created in conn.execute(
        "SELECT peer, seq, msg_id, envelope, created_at FROM outbox"
    ):
        rows.append((created, _SENT, peer, seq, bytes(envelope), topic(bytes(envelope), msg_id)))
    for peer, seq, msg_id, envelope, reply, received in conn.execute(
        "SELECT peer, seq, msg_id, envelope, reply, received_at FROM inbox"
    ):
        rows.append(
            (received, _RECEIVED, peer, 2 * seq, bytes(envelope), topic(bytes(envelope), msg_id))
        )
        rows.append((received, _RECEIVED, peer, 2 * seq + 1, bytes(reply), msg_id))
    for peer, seq, msg_id, reply, delivered in conn.execute(
        "SELECT d.peer, d.seq, o.msg_id, d.reply, d.delivered_at FROM deliveries d"
        " JOIN outbox o ON o.peer = d.peer AND o.seq = d.seq WHERE d.reply IS NOT NULL"
    ):
        rows.append((delivered, _ANSWERED, peer, seq, bytes(reply), msg_id))
    for at, _rank, _peer, _seq, envelope, about in sorted(rows, key=lambda r: r[:4]):
        conn.execute(
            "INSERT INTO audit_log (position, leaf, envelope, topic, logged_at)"
            " VALUES ((SELECT coalesce(max(position) + 1, 0) FROM audit_log), ?, ?, ?, ?)",
            (hashlib.sha256(b"\x00" + envelope).digest(), envelope, about, at),
        )


def topic(envelope: bytes, msg_id: str) -> str:
    """The claim or statement an envelope is about, else its msg_id."""
    outer = _unpack_map(envelope)
    if outer is None or tuple(outer) != ENVELOPE_KEYS or not isinstance(outer["body"], bytes):
        return msg_id
    field = TOPIC_FIELDS.get(outer["type"]) if isinstance(outer["type"], str) else None
    body = _unpack_map(outer["body"]) if field else None
    value = body.get(field) if body is not None and field else None
    return value if isinstance(value, str) and value else msg_id


def _unpack_map(raw: bytes) -> dict[str, Any] | None:
    try:
        value = msgpack.unpackb(raw, raw=False, strict_map_key=True, object_pairs_hook=_unique)
    except (ValueError, TypeError, msgpack.ExtraData, msgpack.FormatError, msgpack.StackError):
        return None
    return value if isinstance(value, dict) else None


def _unique(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("a duplicate key")
    return result
