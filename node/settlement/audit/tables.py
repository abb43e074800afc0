"""SQL for the signed log and its checkpoints, run inside the writer's transaction: the log's
leaves, our checkpoints and what we shared of them, partners' checkpoints we witnessed, their
countersignatures of ours, and alarms (the audit_* tables)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from node.settlement.audit.checkpoint import Checkpoint


@dataclass(frozen=True)
class Witnessed:
    """The newest checkpoint of a partner we countersigned."""

    size: int
    root: bytes


@dataclass(frozen=True)
class SharedWith:
    """An active partner and the size of the last checkpoint we sent it (0: none yet)."""

    peer: str
    size: int


def append_leaf(
    conn: sqlite3.Connection, leaf: bytes, envelope: bytes, topic: str, now_s: int
) -> int:
    """The next entry of the log; returns its position (0-based)."""
    cursor = conn.execute(
        "INSERT INTO audit_log (position, leaf, envelope, topic, logged_at)"
        " VALUES ((SELECT coalesce(max(position) + 1, 0) FROM audit_log), ?, ?, ?, ?)",
        (leaf, envelope, topic, now_s),
    )
    return int(cursor.lastrowid or 0)


def log_size(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT coalesce(max(position) + 1, 0) AS size FROM audit_log").fetchone()
    return int(row["size"])


def log_leaves(conn: sqlite3.Connection, up_to: int) -> list[bytes]:
    """The leaf hashes of the first `up_to` entries, in order."""
    rows = conn.execute(
        "SELECT leaf FROM audit_log WHERE position < ? ORDER BY position", (up_to,)
    ).fetchall()
    return [bytes(row["leaf"]) for row in rows]


def latest_checkpoint(conn: sqlite3.Connection) -> tuple[bytes, bytes] | None:
    """The body and signature of our newest checkpoint."""
    row = conn.execute(
        "SELECT body, signature FROM audit_checkpoints ORDER BY size DESC LIMIT 1"
    ).fetchone()
    return None if row is None else (bytes(row["body"]), bytes(row["signature"]))


def insert_checkpoint(conn: sqlite3.Connection, made: Checkpoint, now_s: int) -> None:
    conn.execute(
        "INSERT INTO audit_checkpoints (size, root, created_at, body, signature)"
        " VALUES (?, ?, ?, ?, ?)",
        (made.size, made.root, now_s, made.body, made.signature),
    )


def shared_with_active_partners(conn: sqlite3.Connection) -> list[SharedWith]:
    rows = conn.execute(
        "SELECT p.node_id, coalesce(s.size, 0) AS size FROM peers p"
        " LEFT JOIN audit_shared s ON s.peer = p.node_id WHERE p.status = 'active'"
        " ORDER BY p.node_id"
    ).fetchall()
    return [SharedWith(str(r["node_id"]), int(r["size"])) for r in rows]


def record_shared(conn: sqlite3.Connection, peer: str, size: int) -> None:
    conn.execute(
        "INSERT INTO audit_shared (peer, size) VALUES (?, ?)"
        " ON CONFLICT (peer) DO UPDATE SET size = excluded.size",
        (peer, size),
    )


def insert_witnessed(
    conn: sqlite3.Connection, received: Checkpoint, cosignature: bytes, now_s: int
) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO audit_witnessed"
        " (peer, size, root, body, signature, cosignature, witnessed_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            received.origin,
            received.size,
            received.root,
            received.body,
            received.signature,
            cosignature,
            now_s,
        ),
    )


def last_witnessed(conn: sqlite3.Connection, peer: str) -> Witnessed | None:
    row = conn.execute(
        "SELECT size, root FROM audit_witnessed WHERE peer = ? ORDER BY size DESC LIMIT 1",
        (peer,),
    ).fetchone()
    return None if row is None else Witnessed(int(row["size"]), bytes(row["root"]))


def insert_cosignature(
    conn: sqlite3.Connection, size: int, peer: str, cosignature: bytes, now_s: int
) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO audit_cosignatures (size, cosigner, signature, received_at)"
        " VALUES (?, ?, ?, ?)",
        (size, peer, cosignature, now_s),
    )


def insert_their_alarm(
    conn: sqlite3.Connection, peer: str, where: int, problem: str, evidence: bytes, now_s: int
) -> None:
    """A partner showed us two histories."""
    conn.execute(
        "INSERT INTO audit_alarms (peer, direction, size, reason, evidence, detected_at)"
        " VALUES (?, 'theirs', ?, ?, ?, ?)",
        (peer, where, problem, evidence, now_s),
    )


def insert_reported_alarm(
    conn: sqlite3.Connection, peer: str, where: int, reason: str, evidence: bytes, now_s: int
) -> bool:
    """A partner reports our history inconsistent; recorded once. True when new."""
    cursor = conn.execute(
        "INSERT INTO audit_alarms (peer, direction, size, reason, evidence, detected_at)"
        " SELECT ?, 'ours', ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM audit_alarms"
        " WHERE peer = ? AND direction = 'ours' AND size = ?)",
        (peer, where, reason, evidence, now_s, peer, where),
    )
    return bool(cursor.rowcount)
