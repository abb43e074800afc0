"""The reads of the regulars' items analysis (items.py): the purchase lines of a period with
who bought them, and each member's spend in it; returned purchases left out. A report: it reads
the period's purchases whole, through their time index."""

from __future__ import annotations

from datetime import datetime

from node.ledger.rows import to_epoch
from node.points.items import SoldLine
from node.reads import Reader

MAX_LINES_READ = 200_000


async def lines_between(db: Reader, start: datetime, end: datetime) -> list[SoldLine]:
    rows = await db.execute_fetchall(
        "SELECT p.customer_id, l.sku, l.name, l.quantity, l.amount_yen"
        " FROM point_purchases p JOIN point_purchase_lines l ON l.txn_id = p.txn_id"
        " WHERE p.created_at >= ? AND p.created_at < ? AND p.returned_at IS NULL"
        " ORDER BY p.created_at, p.txn_id, l.line LIMIT ?",
        (to_epoch(start), to_epoch(end), MAX_LINES_READ),
    )
    return [
        SoldLine(r["customer_id"], r["sku"], r["name"], r["quantity"], r["amount_yen"])
        for r in rows
    ]


async def spend_between(db: Reader, start: datetime, end: datetime) -> dict[str, int]:
    rows = await db.execute_fetchall(
        "SELECT customer_id, sum(purchase_yen) AS spent FROM point_purchases"
        " WHERE created_at >= ? AND created_at < ? AND returned_at IS NULL GROUP BY customer_id",
        (to_epoch(start), to_epoch(end)),
    )
    return {str(r["customer_id"]): int(r["spent"]) for r in rows}
