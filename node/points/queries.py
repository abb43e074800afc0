"""Reads of points on the read pools: a member's balance and lots, the points journal's history
of one member, and the books (each account's sum) for the checks."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from node.ledger.rows import from_epoch, to_epoch
from node.points.core import spend_order_key
from node.points.model import Balance, EntryKind, Member
from node.points.rows import LOT_COLUMNS, MEMBER_COLUMNS, lot_from_row, member_from_row


def member(conn: sqlite3.Connection, customer_id: str) -> Member | None:
    row = conn.execute(
        f"SELECT {MEMBER_COLUMNS} FROM members WHERE customer_id = ?",  # noqa: S608
        (customer_id,),
    ).fetchone()
    return None if row is None else member_from_row(row)


def member_by_number(conn: sqlite3.Connection, member_no: str) -> Member | None:
    row = conn.execute(
        f"SELECT {MEMBER_COLUMNS} FROM members WHERE member_no = ?",  # noqa: S608
        (member_no,),
    ).fetchone()
    return None if row is None else member_from_row(row)


def balance(conn: sqlite3.Connection, customer_id: str, now: datetime) -> Balance:
    """The member's live lots at `now` (past their expiry counts for nothing, swept or not)."""
    rows = conn.execute(
        f"SELECT {LOT_COLUMNS} FROM point_lots"  # noqa: S608
        " WHERE customer_id = ? AND remaining > 0 AND (expires_at IS NULL OR expires_at > ?)",
        (customer_id, to_epoch(now)),
    ).fetchall()
    lots = sorted((lot_from_row(r) for r in rows), key=spend_order_key)
    return Balance(customer_id, now, tuple(lots))


@dataclass(frozen=True)
class HistoryLine:
    entry_id: str
    kind: EntryKind
    created_at: datetime
    points: int  # to the member: positive credited, negative debited
    actor: str
    reason: str | None


def history(conn: sqlite3.Connection, customer_id: str, limit: int) -> list[HistoryLine]:
    """The member's latest entries, newest first, each with what it did to the member."""
    rows = conn.execute(
        "SELECT e.entry_id, e.kind, e.created_at, e.actor, e.reason, -p.points AS points"
        " FROM point_entries e JOIN point_postings p ON p.entry_id = e.entry_id"
        " WHERE e.customer_id = ? AND p.account = ?"
        " ORDER BY e.created_at DESC, e.entry_id DESC LIMIT ?",
        (customer_id, "points:" + customer_id, limit),
    ).fetchall()
    return [
        HistoryLine(
            r["entry_id"],
            EntryKind(r["kind"]),
            from_epoch(r["created_at"]),
            r["points"],
            r["actor"],
            r["reason"],
        )
        for r in rows
    ]


def account_sums(conn: sqlite3.Connection) -> dict[str, int]:
    """Every account of the points journal and its sum (debits positive): the books."""
    rows = conn.execute(
        "SELECT account, SUM(points) AS total FROM point_postings GROUP BY account"
    ).fetchall()
    return {r["account"]: int(r["total"]) for r in rows}


def lot_remainders(conn: sqlite3.Connection) -> dict[str, int]:
    """Each member's sum of lot remainders (live or past expiry, unswept): what the books owe."""
    rows = conn.execute(
        "SELECT customer_id, SUM(remaining) AS total FROM point_lots GROUP BY customer_id"
    ).fetchall()
    return {r["customer_id"]: int(r["total"]) for r in rows}


# -- the checks of the books (node/points/books.py) ---------------------------------------------


def unbalanced_entries(conn: sqlite3.Connection) -> list[str]:
    """Entries whose postings do not sum to zero, or that have fewer than two postings."""
    rows = conn.execute(
        "SELECT e.entry_id FROM point_entries e"
        " LEFT JOIN point_postings p ON p.entry_id = e.entry_id"
        " GROUP BY e.entry_id HAVING coalesce(SUM(p.points), 0) != 0 OR COUNT(p.line) < 2"
        " ORDER BY e.entry_id"
    ).fetchall()
    return [r["entry_id"] for r in rows]


def lots_out_of_bounds(conn: sqlite3.Connection) -> list[str]:
    """Lots whose remainder is below zero or above what they were given (the schema refuses
    both; a damaged or hand-edited file is what this finds)."""
    rows = conn.execute(
        "SELECT lot_id FROM point_lots WHERE remaining < 0 OR remaining > points ORDER BY lot_id"
    ).fetchall()
    return [r["lot_id"] for r in rows]


def lots_unlike_their_moves(conn: sqlite3.Connection) -> list[str]:
    """Lots whose remainder is not what they were given plus every recorded move."""
    rows = conn.execute(
        "SELECT l.lot_id FROM point_lots l"
        " LEFT JOIN point_lot_moves m ON m.lot_id = l.lot_id"
        " GROUP BY l.lot_id HAVING l.points + coalesce(SUM(m.points), 0) != l.remaining"
        " ORDER BY l.lot_id"
    ).fetchall()
    return [r["lot_id"] for r in rows]
