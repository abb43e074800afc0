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


# One statement per question, each on its index: `(? IS NULL OR column = ?)` would let SQLite
# use neither (exchange_orders_open, exchange_orders_member) and read every order.
ALL_ORDERS = ORDER_SELECT + " ORDER BY o.created_at DESC, o.order_id DESC LIMIT ?"
ORDERS_OF_STATUS = (
    ORDER_SELECT + " WHERE o.status = ? ORDER BY o.created_at DESC, o.order_id DESC LIMIT ?"
)
MEMBER_ORDERS = (
    ORDER_SELECT + " WHERE o.customer_id = ? ORDER BY o.created_at DESC, o.order_id DESC LIMIT ?"
)


async def orders(db: Reader, status: str | None = None) -> list[ExchangeOrder]:
    """Head office's list: orders newest first (at most ORDERS_SHOWN), of one status if given."""
    if status is None:
        rows = await db.execute_fetchall(ALL_ORDERS, (ORDERS_SHOWN,))
    else:
        rows = await db.execute_fetchall(ORDERS_OF_STATUS, (status, ORDERS_SHOWN))
    return [order_from_row(r) for r in rows]


async def member_orders(db: Reader, customer_id: str) -> list[ExchangeOrder]:
    """One member's orders newest first (at most ORDERS_SHOWN): the wallet's list."""
    rows = await db.execute_fetchall(MEMBER_ORDERS, (customer_id, ORDERS_SHOWN))
    return [order_from_row(r) for r in rows]


async def order(db: Reader, order_id: str) -> ExchangeOrder | None:
    rows = list(await db.execute_fetchall(ORDER_SELECT + " WHERE o.order_id = ?", (order_id,)))
    return order_from_row(rows[0]) if rows else None
