"""The writer's SQL of premium sets held while a card is charged: `campaign_holds` (0041)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from node.campaigns.model import Hold, HoldStatus
from node.ledger.rows import from_epoch, to_epoch

HOLD_COLUMNS = (
    "hold_id, campaign_id, customer_id, face_yen, price_yen, status, grant_id, created_at,"
    " expires_at"
)


def hold_from_row(row: sqlite3.Row) -> Hold:
    return Hold(
        hold_id=row["hold_id"],
        campaign_id=row["campaign_id"],
        customer_id=row["customer_id"],
        face_yen=row["face_yen"],
        price_yen=row["price_yen"],
        status=HoldStatus(row["status"]),
        grant_id=row["grant_id"],
        created_at=from_epoch(row["created_at"]),
        expires_at=from_epoch(row["expires_at"]),
    )


def insert_hold(conn: sqlite3.Connection, hold: Hold) -> None:
    conn.execute(
        f"INSERT INTO campaign_holds ({HOLD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        (
            hold.hold_id,
            hold.campaign_id,
            hold.customer_id,
            hold.face_yen,
            hold.price_yen,
            hold.status.value,
            hold.grant_id,
            to_epoch(hold.created_at),
            to_epoch(hold.expires_at),
        ),
    )


def load_hold(conn: sqlite3.Connection, hold_id: str) -> Hold | None:
    row = conn.execute(
        f"SELECT {HOLD_COLUMNS} FROM campaign_holds WHERE hold_id = ?",  # noqa: S608
        (hold_id,),
    ).fetchone()
    return None if row is None else hold_from_row(row)


def live_holds(
    conn: sqlite3.Connection, campaign_id: str, now: datetime, except_hold: str | None
) -> tuple[int, int]:
    """The sets held and not lapsed (all but `except_hold`), and their face in yen."""
    row = conn.execute(
        "SELECT COUNT(*) AS sets, COALESCE(SUM(face_yen), 0) AS yen FROM campaign_holds"
        " WHERE campaign_id = ? AND status = 'held' AND expires_at > ? AND (? IS NULL OR hold_id <> ?)",
        (campaign_id, to_epoch(now), except_hold, except_hold),
    ).fetchone()
    return int(row["sets"]), int(row["yen"])


def live_holds_of_person(
    conn: sqlite3.Connection,
    campaign_id: str,
    customer_id: str,
    now: datetime,
    except_hold: str | None,
) -> int:
    row = conn.execute(
        "SELECT COUNT(*) AS n FROM campaign_holds WHERE campaign_id = ? AND customer_id = ?"
        " AND status = 'held' AND expires_at > ? AND (? IS NULL OR hold_id <> ?)",
        (campaign_id, customer_id, to_epoch(now), except_hold, except_hold),
    ).fetchone()
    return int(row["n"])


def end_hold(
    conn: sqlite3.Connection,
    hold_id: str,
    status: HoldStatus,
    grant_id: str | None,
    now: datetime,
) -> bool:
    """End a hold still `held` (granted or released); False when it had ended already."""
    cursor = conn.execute(
        "UPDATE campaign_holds SET status = ?, grant_id = ?, ended_at = ?"
        " WHERE hold_id = ? AND status = 'held'",
        (status.value, grant_id, to_epoch(now), hold_id),
    )
    return cursor.rowcount == 1
