"""SQL for the web's own tables that the writer runs: voucher handover links (web_handovers)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from node.ledger.rows import to_epoch


@dataclass(frozen=True)
class OpenHandover:
    """A handover link not used yet: the voucher behind it, and who gave it (None: a sale)."""

    voucher_id: str
    from_customer: str | None


@dataclass(frozen=True)
class GiftHandover:
    """Who gave a gift voucher, and who took it (None while unclaimed)."""

    from_customer: str | None
    taken_by: str | None


def gift_handover(conn: sqlite3.Connection, voucher_id: str) -> GiftHandover | None:
    row = conn.execute(
        "SELECT from_customer, taken_by FROM web_handovers WHERE voucher_id = ? AND kind = 'gift'",
        (voucher_id,),
    ).fetchone()
    return None if row is None else GiftHandover(row["from_customer"], row["taken_by"])


def insert_handover(
    conn: sqlite3.Connection,
    hashed: bytes,
    voucher_id: str,
    kind: str,
    giver: str | None,
    now: datetime,
) -> None:
    conn.execute(
        "INSERT INTO web_handovers (token_hash, voucher_id, kind, from_customer, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (hashed, voucher_id, kind, giver, to_epoch(now)),
    )


def open_handover(conn: sqlite3.Connection, hashed: bytes) -> OpenHandover | None:
    row = conn.execute(
        "SELECT voucher_id, from_customer FROM web_handovers WHERE token_hash = ?"
        " AND taken_by IS NULL",
        (hashed,),
    ).fetchone()
    return None if row is None else OpenHandover(str(row["voucher_id"]), row["from_customer"])


def mark_taken(conn: sqlite3.Connection, hashed: bytes, customer_id: str, now: datetime) -> None:
    conn.execute(
        "UPDATE web_handovers SET taken_by = ?, taken_at = ? WHERE token_hash = ?",
        (customer_id, to_epoch(now), hashed),
    )


def renew_token(conn: sqlite3.Connection, voucher_id: str, hashed: bytes) -> bool:
    """A new link for a counter sale nobody has taken yet; the old link stops working. False when
    the voucher has no open sale hand-over (a gift's link is derived, never renewed)."""
    cursor = conn.execute(
        "UPDATE web_handovers SET token_hash = ?"
        " WHERE voucher_id = ? AND kind = 'sale' AND taken_by IS NULL",
        (hashed, voucher_id),
    )
    return cursor.rowcount == 1
