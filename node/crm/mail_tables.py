"""Campaign mail's writer-side SQL: campaigns, their recipients, the unsubscribe link's token."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from node.crm.mail_model import MailCampaign, MailStatus, Recipient, RecipientStatus
from node.ledger.rows import from_epoch, maybe_epoch, to_epoch

CAMPAIGN_COLUMNS = (
    "mail_id, subject, body, segment_name, filters, status, send_at, per_minute, created_at,"
    " created_by, started_at, finished_at, token_key"
)
RECIPIENT_COLUMNS = "mail_id, customer_id, address, status, reason, attempts"


def campaign_from_row(row: sqlite3.Row) -> MailCampaign:
    return MailCampaign(
        mail_id=str(row["mail_id"]),
        subject=str(row["subject"]),
        body=str(row["body"]),
        segment_name=str(row["segment_name"]),
        filters=str(row["filters"]),
        status=MailStatus(row["status"]),
        send_at=from_epoch(row["send_at"]),
        per_minute=int(row["per_minute"]),
        created_at=from_epoch(row["created_at"]),
        created_by=str(row["created_by"]),
        started_at=None if row["started_at"] is None else from_epoch(row["started_at"]),
        finished_at=None if row["finished_at"] is None else from_epoch(row["finished_at"]),
        token_key=bytes(row["token_key"]),
    )


def recipient_from_row(row: sqlite3.Row) -> Recipient:
    return Recipient(
        mail_id=str(row["mail_id"]),
        customer_id=str(row["customer_id"]),
        address=str(row["address"]),
        status=RecipientStatus(row["status"]),
        reason=row["reason"],
        attempts=int(row["attempts"]),
    )


def insert_campaign(conn: sqlite3.Connection, mail: MailCampaign) -> None:
    conn.execute(
        f"INSERT INTO mail_campaigns ({CAMPAIGN_COLUMNS})"  # noqa: S608
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            mail.mail_id,
            mail.subject,
            mail.body,
            mail.segment_name,
            mail.filters,
            str(mail.status),
            to_epoch(mail.send_at),
            mail.per_minute,
            to_epoch(mail.created_at),
            mail.created_by,
            maybe_epoch(mail.started_at),
            maybe_epoch(mail.finished_at),
            mail.token_key,
        ),
    )


def load_campaign(conn: sqlite3.Connection, mail_id: str) -> MailCampaign | None:
    row = conn.execute(
        f"SELECT {CAMPAIGN_COLUMNS} FROM mail_campaigns WHERE mail_id = ?",  # noqa: S608
        (mail_id,),
    ).fetchone()
    return None if row is None else campaign_from_row(row)


def start_campaign(conn: sqlite3.Connection, mail_id: str, now: datetime) -> bool:
    """scheduled → sending; False when it was no longer scheduled (started or cancelled)."""
    return (
        conn.execute(
            "UPDATE mail_campaigns SET status = 'sending', started_at = ?"
            " WHERE mail_id = ? AND status = 'scheduled'",
            (to_epoch(now), mail_id),
        ).rowcount
        == 1
    )


def finish_campaign(conn: sqlite3.Connection, mail_id: str, now: datetime) -> None:
    conn.execute(
        "UPDATE mail_campaigns SET status = 'sent', finished_at = ?"
        " WHERE mail_id = ? AND status = 'sending'",
        (to_epoch(now), mail_id),
    )


def cancel_campaign(conn: sqlite3.Connection, mail_id: str) -> bool:
    return (
        conn.execute(
            "UPDATE mail_campaigns SET status = 'cancelled'"
            " WHERE mail_id = ? AND status = 'scheduled'",
            (mail_id,),
        ).rowcount
        == 1
    )


def insert_recipient(
    conn: sqlite3.Connection,
    mail_id: str,
    customer_id: str,
    address: str,
    status: RecipientStatus,
    reason: str | None,
    now: datetime,
) -> None:
    conn.execute(
        "INSERT INTO mail_recipients (mail_id, customer_id, address, status, reason, attempts,"
        " updated_at) VALUES (?, ?, ?, ?, ?, 0, ?)",
        (mail_id, customer_id, address, str(status), reason, to_epoch(now)),
    )


def has_recipient(conn: sqlite3.Connection, mail_id: str, customer_id: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM mail_recipients WHERE mail_id = ? AND customer_id = ?",
        (mail_id, customer_id),
    ).fetchone()
    return row is not None


def queued(conn: sqlite3.Connection, mail_id: str, limit: int) -> list[Recipient]:
    rows = conn.execute(
        f"SELECT {RECIPIENT_COLUMNS} FROM mail_recipients"  # noqa: S608
        " WHERE mail_id = ? AND status = 'queued' ORDER BY customer_id LIMIT ?",
        (mail_id, limit),
    ).fetchall()
    return [recipient_from_row(r) for r in rows]


def set_token(
    conn: sqlite3.Connection, mail_id: str, customer_id: str, token_hash: bytes, now: datetime
) -> None:
    conn.execute(
        "UPDATE mail_recipients SET token_hash = coalesce(token_hash, ?),"
        " attempts = attempts + 1, updated_at = ?"
        " WHERE mail_id = ? AND customer_id = ? AND status = 'queued'",
        (token_hash, to_epoch(now), mail_id, customer_id),
    )


def record_outcome(
    conn: sqlite3.Connection,
    mail_id: str,
    customer_id: str,
    status: RecipientStatus,
    reason: str | None,
    now: datetime,
) -> None:
    conn.execute(
        "UPDATE mail_recipients SET status = ?, reason = ?, updated_at = ?"
        " WHERE mail_id = ? AND customer_id = ? AND status = 'queued'",
        (str(status), reason, to_epoch(now), mail_id, customer_id),
    )


def recipient_of_token(conn: sqlite3.Connection, token_hash: bytes) -> Recipient | None:
    row = conn.execute(
        f"SELECT {RECIPIENT_COLUMNS} FROM mail_recipients WHERE token_hash = ?",  # noqa: S608
        (token_hash,),
    ).fetchone()
    return None if row is None else recipient_from_row(row)
