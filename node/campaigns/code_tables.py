"""SQL of campaign_codes: the one pending one-time code per resident, campaign and channel."""

from __future__ import annotations

import sqlite3

from node.campaigns.one_time_codes import Channel, PendingCode
from node.ledger.rows import from_epoch, to_epoch


def _from_row(row: sqlite3.Row) -> PendingCode:
    return PendingCode(
        campaign_id=row["campaign_id"],
        customer_id=row["customer_id"],
        channel=Channel(row["channel"]),
        subject=row["subject"],
        salt=bytes(row["salt"]),
        code_hash=bytes(row["code_hash"]),
        sent_at=from_epoch(row["sent_at"]),
        expires_at=from_epoch(row["expires_at"]),
        tries_left=row["tries_left"],
    )


def pending_code(
    conn: sqlite3.Connection, campaign_id: str, customer_id: str, channel: Channel
) -> PendingCode | None:
    row = conn.execute(
        "SELECT campaign_id, customer_id, channel, subject, salt, code_hash, sent_at, expires_at,"
        " tries_left FROM campaign_codes"
        " WHERE campaign_id = ? AND customer_id = ? AND channel = ?",
        (campaign_id, customer_id, channel.value),
    ).fetchone()
    return None if row is None else _from_row(row)


def put_code(conn: sqlite3.Connection, code: PendingCode) -> None:
    """The new code, in place of any pending one (its tries start again)."""
    conn.execute(
        "INSERT INTO campaign_codes (campaign_id, customer_id, channel, subject, salt, code_hash,"
        " sent_at, expires_at, tries_left) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (campaign_id, customer_id, channel) DO UPDATE SET subject = excluded.subject,"
        " salt = excluded.salt, code_hash = excluded.code_hash, sent_at = excluded.sent_at,"
        " expires_at = excluded.expires_at, tries_left = excluded.tries_left",
        (
            code.campaign_id,
            code.customer_id,
            code.channel.value,
            code.subject,
            code.salt,
            code.code_hash,
            to_epoch(code.sent_at),
            to_epoch(code.expires_at),
            code.tries_left,
        ),
    )


def spend_try(conn: sqlite3.Connection, code: PendingCode) -> int:
    """One try fewer for this very code (not a newer one sent meanwhile); the tries left."""
    conn.execute(
        "UPDATE campaign_codes SET tries_left = tries_left - 1"
        " WHERE campaign_id = ? AND customer_id = ? AND channel = ? AND code_hash = ?"
        " AND tries_left > 0",
        (code.campaign_id, code.customer_id, code.channel.value, code.code_hash),
    )
    return max(code.tries_left - 1, 0)


def drop_code(conn: sqlite3.Connection, code: PendingCode) -> None:
    conn.execute(
        "DELETE FROM campaign_codes WHERE campaign_id = ? AND customer_id = ? AND channel = ?",
        (code.campaign_id, code.customer_id, code.channel.value),
    )
