"""Reads for the counter's sales and its day (aiosqlite): one sale, a store's sales, redemptions
and voids between two instants, and the sales whose voucher nobody has taken yet."""

from __future__ import annotations

from node.ledger.model import Redemption, Sale
from node.ledger.rows import redemption_from_row, sale_from_row
from node.ledger.sale_tables import SALE_COLUMNS, SALE_FROM
from node.ledger.tables import REDEMPTION_COLUMNS, REDEMPTION_FROM
from node.reads import Reader


async def get_sale(db: Reader, voucher_id: str) -> Sale | None:
    rows = list(
        await db.execute_fetchall(
            f"SELECT {SALE_COLUMNS} FROM {SALE_FROM} WHERE s.voucher_id = ?",  # noqa: S608
            (voucher_id,),
        )
    )
    return sale_from_row(rows[0]) if rows else None


async def sales_between(
    db: Reader, store_id: str, start_s: int, end_s: int, limit: int
) -> list[Sale]:
    """The store's counter sales made in [start_s, end_s), newest first, with their cancels."""
    rows = await db.execute_fetchall(
        f"SELECT {SALE_COLUMNS} FROM {SALE_FROM}"  # noqa: S608
        " WHERE s.store_id = ? AND s.created_at >= ? AND s.created_at < ?"
        " ORDER BY s.created_at DESC, s.voucher_id DESC LIMIT ?",
        (store_id, start_s, end_s, limit),
    )
    return [sale_from_row(r) for r in rows]


async def unclaimed_sales(db: Reader, store_id: str, limit: int) -> list[Sale]:
    """The store's sales, not cancelled, whose voucher no customer has taken yet, newest first."""
    rows = await db.execute_fetchall(
        f"SELECT {SALE_COLUMNS} FROM {SALE_FROM}"  # noqa: S608
        " WHERE s.store_id = ? AND c.voucher_id IS NULL AND v.holder_id IS NULL"
        " ORDER BY s.created_at DESC, s.voucher_id DESC LIMIT ?",
        (store_id, limit),
    )
    return [sale_from_row(r) for r in rows]


async def voids_between(
    db: Reader, store_id: str, start_s: int, end_s: int, limit: int
) -> list[Redemption]:
    """The store's redemptions voided in [start_s, end_s) (made that day or before)."""
    rows = await db.execute_fetchall(
        f"SELECT {REDEMPTION_COLUMNS} FROM {REDEMPTION_FROM}"  # noqa: S608
        " WHERE r.store_id = ? AND v.voided_at >= ? AND v.voided_at < ?"
        " ORDER BY v.voided_at DESC LIMIT ?",
        (store_id, start_s, end_s, limit),
    )
    return [redemption_from_row(r) for r in rows]
