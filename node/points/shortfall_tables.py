"""SQL for returns' shortfalls inside the writer's transaction (table `point_shortfalls`): what a
return could not take back because the member had spent it, and how much of that was settled
since out of points given back to the member (a use, an exchange or a lottery entry undone)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from node.errors import KippuError
from node.ledger.rows import to_epoch


@dataclass(frozen=True)
class OpenShortfall:
    txn_id: str
    store_id: str | None  # the returned purchase's store, whose points expense it credits
    open_points: int


def insert_shortfall(
    conn: sqlite3.Connection,
    txn_id: str,
    customer_id: str,
    entry_id: str | None,
    points: int,
    now: datetime,
) -> None:
    """A return that could not take back `points` of its purchase: they were spent already."""
    conn.execute(
        "INSERT INTO point_shortfalls (txn_id, customer_id, entry_id, points, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (txn_id, customer_id, entry_id, points, to_epoch(now)),
    )


def open_shortfalls(conn: sqlite3.Connection, customer_id: str) -> list[OpenShortfall]:
    """The member's shortfalls not yet settled, oldest first."""
    rows = conn.execute(
        "SELECT s.txn_id, p.store_id, s.points - s.settled AS open_points"
        " FROM point_shortfalls s JOIN point_purchases p ON p.txn_id = s.txn_id"
        " WHERE s.customer_id = ? AND s.settled < s.points ORDER BY s.created_at, s.txn_id",
        (customer_id,),
    ).fetchall()
    return [OpenShortfall(r["txn_id"], r["store_id"], int(r["open_points"])) for r in rows]


def settle(conn: sqlite3.Connection, txn_id: str, points: int) -> None:
    changed = conn.execute(
        "UPDATE point_shortfalls SET settled = settled + ?"
        " WHERE txn_id = ? AND settled + ? <= points",
        (points, txn_id, points),
    ).rowcount
    if changed != 1:
        raise KippuError(f"shortfall of {txn_id} cannot settle {points}")
