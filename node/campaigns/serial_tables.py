"""SQL of campaign_serials: the printed serial codes by their hash, each used once."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from node.ledger.rows import to_epoch


@dataclass(frozen=True)
class SerialRow:
    campaign_id: str
    used_by: str | None


def insert_serials(
    conn: sqlite3.Connection, campaign_id: str, hashes: Sequence[bytes], now: datetime
) -> list[int]:
    """Add the codes' hashes; answers the positions of those not added (the hash was there)."""
    taken = []
    for position, digest in enumerate(hashes):
        if not conn.execute(
            "INSERT INTO campaign_serials (serial_hash, campaign_id, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (digest, campaign_id, to_epoch(now)),
        ).rowcount:
            taken.append(position)
    return taken


def claim_serial(
    conn: sqlite3.Connection, serial_hash: bytes, campaign_id: str, customer_id: str, now: datetime
) -> bool:
    """Mark the code used by the resident, only if nobody has used it: one statement, so of two
    residents racing for a code exactly one changes the row."""
    return bool(
        conn.execute(
            "UPDATE campaign_serials SET used_by = ?, used_at = ?"
            " WHERE serial_hash = ? AND campaign_id = ? AND used_by IS NULL",
            (customer_id, to_epoch(now), serial_hash, campaign_id),
        ).rowcount
    )


def find_serial(conn: sqlite3.Connection, serial_hash: bytes) -> SerialRow | None:
    row = conn.execute(
        "SELECT campaign_id, used_by FROM campaign_serials WHERE serial_hash = ?", (serial_hash,)
    ).fetchone()
    return None if row is None else SerialRow(row["campaign_id"], row["used_by"])
