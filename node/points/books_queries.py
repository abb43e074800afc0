"""Reads of the points books for their check (node/points/books.py), on a read pool or any
reader: each account's sum, each member's lot remainders, and the rows that break a rule."""

from __future__ import annotations

from node.reads import Reader


async def account_sums(db: Reader) -> dict[str, int]:
    """Every account of the points journal and its sum (debits positive)."""
    rows = await db.execute_fetchall(
        "SELECT account, SUM(points) AS total FROM point_postings GROUP BY account"
    )
    return {r["account"]: int(r["total"]) for r in rows}


async def lot_remainders(db: Reader) -> dict[str, int]:
    """Each member's sum of lot remainders (live, or past expiry and not yet swept): what the
    journal must owe them."""
    rows = await db.execute_fetchall(
        "SELECT customer_id, SUM(remaining) AS total FROM point_lots GROUP BY customer_id"
    )
    return {r["customer_id"]: int(r["total"]) for r in rows}


async def unbalanced_entries(db: Reader) -> list[str]:
    """Entries whose postings do not sum to zero, or that have fewer than two postings."""
    rows = await db.execute_fetchall(
        "SELECT e.entry_id FROM point_entries e"
        " LEFT JOIN point_postings p ON p.entry_id = e.entry_id"
        " GROUP BY e.entry_id HAVING coalesce(SUM(p.points), 0) != 0 OR COUNT(p.line) < 2"
        " ORDER BY e.entry_id"
    )
    return [r["entry_id"] for r in rows]


async def lots_out_of_bounds(db: Reader) -> list[str]:
    """Lots whose remainder is below zero or above what they were given (the schema refuses
    both; a damaged or hand-edited file is what this finds)."""
    rows = await db.execute_fetchall(
        "SELECT lot_id FROM point_lots WHERE remaining < 0 OR remaining > points ORDER BY lot_id"
    )
    return [r["lot_id"] for r in rows]


async def lots_unlike_their_moves(db: Reader) -> list[str]:
    """Lots whose remainder is not what they were given plus every recorded move."""
    rows = await db.execute_fetchall(
        "SELECT l.lot_id FROM point_lots l"
        " LEFT JOIN point_lot_moves m ON m.lot_id = l.lot_id"
        " GROUP BY l.lot_id HAVING l.points + coalesce(SUM(m.points), 0) != l.remaining"
        " ORDER BY l.lot_id"
    )
    return [r["lot_id"] for r in rows]
