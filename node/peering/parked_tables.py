"""SQL for parked messages and for later signed versions of a channel position (migration
0008_parked_messages); runs inside the writer's transaction, or on a read connection."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from node.ledger.rows import from_epoch
from node.peering.model import ParkedMessage
from node.reads import Reader

PARKED_COLUMNS = (
    "d.peer, d.seq, o.msg_id, o.msg_type, d.parked_code, d.parked_message, d.parked_at, d.attempts"
)
PARKED_QUERY = (
    f"SELECT {PARKED_COLUMNS} FROM deliveries d JOIN outbox_current o USING (peer, seq)"  # noqa: S608
    " WHERE d.parked_at IS NOT NULL AND d.delivered_at IS NULL AND d.dropped_at IS NULL"
)


@dataclass(frozen=True)
class Queued:
    """One undelivered message of our channel to a partner, in its newest signed version."""

    seq: int
    msg_id: str
    msg_type: str
    envelope: bytes
    was_accepted: bool  # the partner answered it `ok` once (then sent again by a rewind)


def parked_from_row(row: sqlite3.Row) -> ParkedMessage:
    return ParkedMessage(
        peer=str(row["peer"]),
        seq=int(row["seq"]),
        msg_id=str(row["msg_id"]),
        msg_type=str(row["msg_type"]),
        code=str(row["parked_code"]),
        message=str(row["parked_message"] or ""),
        parked_at=from_epoch(int(row["parked_at"])),
        attempts=int(row["attempts"]),
    )


def parked_rows(rows: Iterable[sqlite3.Row]) -> list[ParkedMessage]:
    return [parked_from_row(row) for row in rows]


async def parked_of(reader: Reader, peer: str) -> list[ParkedMessage]:
    """The partner's parked messages (on a read connection)."""
    return parked_rows(await reader.execute_fetchall(PARKED_QUERY + " AND d.peer = ?", (peer,)))


def load_parked(conn: sqlite3.Connection, peer: str, seq: int) -> ParkedMessage | None:
    row = conn.execute(PARKED_QUERY + " AND d.peer = ? AND d.seq = ?", (peer, seq)).fetchone()
    return None if row is None else parked_from_row(row)


def parked_for(conn: sqlite3.Connection, peer: str) -> ParkedMessage | None:
    """The parked message that stops the channel to `peer`, if any (there is at most one)."""
    row = conn.execute(PARKED_QUERY + " AND d.peer = ? ORDER BY d.seq", (peer,)).fetchone()
    return None if row is None else parked_from_row(row)


def mark_parked(
    conn: sqlite3.Connection, peer: str, seq: int, code: str, message: str, now_s: int
) -> None:
    """The partner refused the message for good: it waits for the admin, never retried alone."""
    conn.execute(
        "UPDATE deliveries SET attempts = attempts + 1, parked_at = ?, parked_code = ?,"
        " parked_message = ?, last_error = ? WHERE peer = ? AND seq = ? AND delivered_at IS NULL",
        (now_s, code[:100], message, f"{code}: {message}"[:500], peer, seq),
    )


def queued_from(conn: sqlite3.Connection, peer: str, from_seq: int) -> list[Queued]:
    """Undelivered, not dropped messages of the channel from `from_seq` on, in order."""
    rows = conn.execute(
        "SELECT o.seq, o.msg_id, o.msg_type, o.envelope, d.reply IS NOT NULL AS was_accepted"
        " FROM deliveries d"
        " JOIN outbox_current o USING (peer, seq) WHERE d.peer = ? AND d.seq >= ?"
        " AND d.delivered_at IS NULL AND d.dropped_at IS NULL ORDER BY d.seq",
        (peer, from_seq),
    ).fetchall()
    return [
        Queued(
            int(r["seq"]),
            str(r["msg_id"]),
            str(r["msg_type"]),
            bytes(r["envelope"]),
            bool(r["was_accepted"]),
        )
        for r in rows
    ]


def is_position_taken(conn: sqlite3.Connection, peer: str, seq: int) -> bool:
    row = conn.execute("SELECT 1 FROM outbox WHERE peer = ? AND seq = ?", (peer, seq)).fetchone()
    return row is not None


def insert_version(
    conn: sqlite3.Connection,
    peer: str,
    seq: int,
    msg_id: str,
    msg_type: str,
    envelope: bytes,
    now_s: int,
) -> None:
    """A newer signed version of position `seq` (re-signed, or a new message where a dropped one
    was), and its delivery starts afresh."""
    conn.execute(
        "INSERT INTO outbox_versions (peer, seq, version, msg_id, msg_type, envelope, created_at)"
        " SELECT ?, ?, coalesce(max(version), 1) + 1, ?, ?, ?, ? FROM outbox_versions"
        " WHERE peer = ? AND seq = ?",
        (peer, seq, msg_id, msg_type, envelope, now_s, peer, seq),
    )
    conn.execute(
        "UPDATE deliveries SET delivered_at = NULL, reply = NULL, attempts = 0, last_error = NULL,"
        " next_attempt_at = ?, parked_at = NULL, parked_code = NULL, parked_message = NULL,"
        " dropped_at = NULL WHERE peer = ? AND seq = ?",
        (now_s, peer, seq),
    )


def mark_dropped(conn: sqlite3.Connection, peer: str, seq: int, now_s: int) -> None:
    conn.execute(
        "UPDATE deliveries SET dropped_at = ?, parked_at = NULL WHERE peer = ? AND seq = ?",
        (now_s, peer, seq),
    )


def unpark_from(conn: sqlite3.Connection, peer: str, from_seq: int, now_s: int) -> int:
    """Send the channel again from `from_seq` with the stored bytes (first answers stay)."""
    return conn.execute(
        "UPDATE deliveries SET delivered_at = NULL, next_attempt_at = ?, parked_at = NULL,"
        " parked_code = NULL, parked_message = NULL WHERE peer = ? AND seq >= ?"
        " AND dropped_at IS NULL",
        (now_s, peer, from_seq),
    ).rowcount
