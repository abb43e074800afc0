"""SQL inside the writer's transaction for what a return needs to know of earlier entries: an
entry as it was written, whether a use was given back already, and what a lot lost to expiry."""

from __future__ import annotations

import sqlite3

from node.ledger.rows import from_epoch
from node.points.model import EntryKind, Lot, PointEntry, PointPosting
from node.points.rows import LOT_COLUMNS, lot_from_row


def load_entry(conn: sqlite3.Connection, entry_id: str) -> PointEntry | None:
    head = conn.execute(
        "SELECT entry_id, kind, customer_id, created_at, actor, reason FROM point_entries"
        " WHERE entry_id = ?",
        (entry_id,),
    ).fetchone()
    if head is None:
        return None
    lines = conn.execute(
        "SELECT account, points FROM point_postings WHERE entry_id = ? ORDER BY line", (entry_id,)
    ).fetchall()
    return PointEntry(
        head["entry_id"],
        EntryKind(head["kind"]),
        head["customer_id"],
        from_epoch(head["created_at"]),
        head["actor"],
        head["reason"],
        tuple(PointPosting(r["account"], r["points"]) for r in lines),
    )


def use_return_of(conn: sqlite3.Connection, customer_id: str, reason: str) -> str | None:
    """The member's use_return entry written with `reason` (which names the use it gave back:
    return_use writes it, nobody else), or None."""
    row = conn.execute(
        "SELECT entry_id FROM point_entries"
        " WHERE customer_id = ? AND kind = ? AND reason = ? LIMIT 1",
        (customer_id, str(EntryKind.USE_RETURN), reason),
    ).fetchone()
    return None if row is None else str(row["entry_id"])


def swept_points(conn: sqlite3.Connection, lot_id: str) -> int:
    """What the expiry sweep moved out of the lot to breakage (0 while it has not run)."""
    row = conn.execute(
        "SELECT coalesce(-SUM(m.points), 0) AS swept FROM point_lot_moves m"
        " JOIN point_entries e ON e.entry_id = m.entry_id"
        " WHERE m.lot_id = ? AND e.kind = ?",
        (lot_id, str(EntryKind.EXPIRE)),
    ).fetchone()
    return int(row["swept"])


def lot_of_entry(conn: sqlite3.Connection, entry_id: str) -> Lot | None:
    """The lot an earn or a credit made (one per such entry), whatever is left of it."""
    row = conn.execute(
        f"SELECT {LOT_COLUMNS} FROM point_lots WHERE entry_id = ?",  # noqa: S608
        (entry_id,),
    ).fetchone()
    return None if row is None else lot_from_row(row)
