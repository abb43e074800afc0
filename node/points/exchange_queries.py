"""Reads of the exchange catalogue on the read pools: the items, one item, orders (all, one
member's, one status), one order."""

from __future__ import annotations

from node.points.exchange_model import ExchangeItem, ExchangeOrder
from node.points.exchange_tables import ITEM_COLUMNS, ORDER_SELECT, item_from_row, order_from_row
from node.reads import Reader

ORDERS_SHOWN = 200


async def items(db: Reader) -> list[ExchangeItem]:
    rows = await db.execute_fetchall(
        f"SELECT {ITEM_COLUMNS} FROM exchange_items ORDER BY created_at DESC, item_id"  # noqa: S608
    )
    return [item_from_row(r) for r in rows]


async def item(db: Reader, item_id: str) -> ExchangeItem | None:
    rows = list(
        await db.execute_fetchall(
            f"SELECT {ITEM_COLUMNS} FROM exchange_items WHERE item_id = ?",  # noqa: S608
            (item_id,),
        )
    )
    return item_from_row(rows[0]) if rows else None


async def orders(
    db: Reader, status: str | None = None, customer_id: str | None = None
) -> list[ExchangeOrder]:
    """Orders newest first (at most ORDERS_SHOWN), of one status and one member when given."""
    rows = await db.execute_fetchall(
        ORDER_SELECT + " WHERE (? IS NULL OR o.status = ?) AND (? IS NULL OR o.customer_id = ?)"
        " ORDER BY o.created_at DESC, o.order_id DESC LIMIT ?",
        (status, status, customer_id, customer_id, ORDERS_SHOWN),
    )
    return [order_from_row(r) for r in rows]


async def order(db: Reader, order_id: str) -> ExchangeOrder | None:
    rows = list(await db.execute_fetchall(ORDER_SELECT + " WHERE o.order_id = ?", (order_id,)))
    return order_from_row(rows[0]) if rows else None
