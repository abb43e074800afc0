"""SQL of the points-expiring notices (table `point_expiry_notices`, migration 0027): the lots
about to expire that no notice told of yet, the notices, and their mails."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from node.ledger.rows import from_epoch, to_epoch
from node.reads import Reader

MAX_MAIL_ATTEMPTS = 5


@dataclass(frozen=True)
class ExpiringLot:
    customer_id: str
    expires_at: datetime
    remaining: int


@dataclass(frozen=True)
class Notice:
    customer_id: str
    expires_on: str  # the last local day the points can be used, YYYY-MM-DD
    day_starts_at: datetime
    day_ends_at: datetime
    points: int
    created_at: datetime
    mail_wanted: bool


@dataclass(frozen=True)
class MailDue:
    customer_id: str
    expires_on: str
    points: int
    mail_attempts: int


def unnoticed_lots(
    conn: sqlite3.Connection, now: datetime, horizon: datetime, limit: int
) -> list[ExpiringLot]:
    """Live lots with points left that expire after `now` and by `horizon`, of a day no notice
    covers yet for their member; soonest first."""
    rows = conn.execute(
        "SELECT l.customer_id, l.expires_at, l.remaining FROM point_lots l"
        " WHERE l.remaining > 0 AND l.expires_at > ? AND l.expires_at <= ?"
        " AND NOT EXISTS (SELECT 1 FROM point_expiry_notices n"
        " WHERE n.customer_id = l.customer_id AND n.day_starts_at <= l.expires_at"
        " AND l.expires_at < n.day_ends_at)"
        " ORDER BY l.expires_at, l.lot_id LIMIT ?",
        (to_epoch(now), to_epoch(horizon), limit),
    ).fetchall()
    return [
        ExpiringLot(str(r["customer_id"]), from_epoch(int(r["expires_at"])), int(r["remaining"]))
        for r in rows
    ]


def points_expiring_between(
    conn: sqlite3.Connection, customer_id: str, starts: datetime, ends: datetime
) -> int:
    """All the member's points left in lots expiring in [starts, ends): a day's whole sum, not
    only the lots one batch of unnoticed_lots happened to hold."""
    row = conn.execute(
        "SELECT coalesce(sum(remaining), 0) AS points FROM point_lots"
        " WHERE customer_id = ? AND remaining > 0 AND expires_at >= ? AND expires_at < ?",
        (customer_id, to_epoch(starts), to_epoch(ends)),
    ).fetchone()
    return int(row["points"])


def insert_notice(conn: sqlite3.Connection, notice: Notice) -> bool:
    """False when this member's day was noticed already (a notice is made once)."""
    done = conn.execute(
        "INSERT INTO point_expiry_notices (customer_id, expires_on, day_starts_at, day_ends_at,"
        " points, created_at, mail_wanted) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (customer_id, expires_on) DO NOTHING",
        (
            notice.customer_id,
            notice.expires_on,
            to_epoch(notice.day_starts_at),
            to_epoch(notice.day_ends_at),
            notice.points,
            to_epoch(notice.created_at),
            int(notice.mail_wanted),
        ),
    )
    return done.rowcount == 1


async def mails_due(db: Reader, limit: int) -> list[MailDue]:
    """Notices whose mail was wanted and is not sent yet (fewer than MAX_MAIL_ATTEMPTS tries)."""
    rows = await db.execute_fetchall(
        "SELECT customer_id, expires_on, points, mail_attempts FROM point_expiry_notices"
        " WHERE mail_wanted = 1 AND mailed_at IS NULL AND mail_attempts < ?"
        " ORDER BY created_at, customer_id LIMIT ?",
        (MAX_MAIL_ATTEMPTS, limit),
    )
    return [
        MailDue(
            str(r["customer_id"]), str(r["expires_on"]), int(r["points"]), int(r["mail_attempts"])
        )
        for r in rows
    ]


def mark_mailed(
    conn: sqlite3.Connection,
    customer_id: str,
    expires_on: str,
    error: str | None,
    now: datetime,
) -> None:
    """One try at the notice's mail: sent (`error` None), or failed with the reason."""
    conn.execute(
        "UPDATE point_expiry_notices SET mail_attempts = mail_attempts + 1, mail_error = ?,"
        " mailed_at = CASE WHEN ? IS NULL THEN ? ELSE NULL END"
        " WHERE customer_id = ? AND expires_on = ? AND mailed_at IS NULL",
        (error, error, to_epoch(now), customer_id, expires_on),
    )


async def notices_of(db: Reader, customer_id: str) -> list[Notice]:
    """A member's notices, latest day first (the wallet and the tests read them)."""
    rows = await db.execute_fetchall(
        "SELECT customer_id, expires_on, day_starts_at, day_ends_at, points, created_at,"
        " mail_wanted FROM point_expiry_notices WHERE customer_id = ?"
        " ORDER BY expires_on DESC",
        (customer_id,),
    )
    return [
        Notice(
            str(r["customer_id"]),
            str(r["expires_on"]),
            from_epoch(int(r["day_starts_at"])),
            from_epoch(int(r["day_ends_at"])),
            int(r["points"]),
            from_epoch(int(r["created_at"])),
            bool(r["mail_wanted"]),
        )
        for r in rows
    ]
