"""SQL of the exchange catalogue, shared by the writer's units and the reads: items and orders,
and the rows mapped to their values."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from node.errors import KippuError
from node.ledger.rows import from_epoch, maybe_datetime, maybe_epoch, to_epoch
from node.points.exchange_model import ExchangeItem, ExchangeOrder, OrderStatus, Shipping

ITEM_COLUMNS = "item_id, name, points, stock, description, created_at, created_by, retired_at"
ORDER_SELECT = (
    "SELECT o.order_id, o.item_id, i.name AS item_name, o.customer_id, m.member_no, o.points,"
    " o.entry_id, o.ship_name, o.ship_postcode, o.ship_address, o.status, o.created_at,"
    " o.closed_at, o.closed_by, o.cancel_entry_id FROM exchange_orders o"
    " JOIN exchange_items i ON i.item_id = o.item_id"
    " JOIN members m ON m.customer_id = o.customer_id"
)


def item_from_row(row: sqlite3.Row) -> ExchangeItem:
    return ExchangeItem(
        item_id=row["item_id"],
        name=row["name"],
        points=row["points"],
        stock=row["stock"],
        description=row["description"],
        created_at=from_epoch(row["created_at"]),
        created_by=row["created_by"],
        retired_at=maybe_datetime(row["retired_at"]),
    )


def order_from_row(row: sqlite3.Row) -> ExchangeOrder:
    return ExchangeOrder(
        order_id=row["order_id"],
        item_id=row["item_id"],
        item_name=row["item_name"],
        customer_id=row["customer_id"],
        member_no=row["member_no"],
        points=row["points"],
        entry_id=row["entry_id"],
        shipping=Shipping(row["ship_name"], row["ship_postcode"], row["ship_address"]),
        status=OrderStatus(row["status"]),
        created_at=from_epoch(row["created_at"]),
        closed_at=maybe_datetime(row["closed_at"]),
        closed_by=row["closed_by"],
        cancel_entry_id=row["cancel_entry_id"],
    )


def insert_item(conn: sqlite3.Connection, item: ExchangeItem) -> None:
    conn.execute(
        f"INSERT INTO exchange_items ({ITEM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        (
            item.item_id,
            item.name,
            item.points,
            item.stock,
            item.description,
            to_epoch(item.created_at),
            item.created_by,
            maybe_epoch(item.retired_at),
        ),
    )


def load_item(conn: sqlite3.Connection, item_id: str) -> ExchangeItem | None:
    row = conn.execute(
        f"SELECT {ITEM_COLUMNS} FROM exchange_items WHERE item_id = ?",  # noqa: S608
        (item_id,),
    ).fetchone()
    return None if row is None else item_from_row(row)


def retire_item(conn: sqlite3.Connection, item_id: str, now: datetime) -> bool:
    cursor = conn.execute(
        "UPDATE exchange_items SET retired_at = ? WHERE item_id = ? AND retired_at IS NULL",
        (to_epoch(now), item_id),
    )
    return cursor.rowcount == 1


def take_one(conn: sqlite3.Connection, item_id: str) -> bool:
    """Reserve one of the item's stock; False when none is left. The check and the decrement are
    one statement, so no two orders can take the last one (and no limit: always True)."""
    cursor = conn.execute(
        "UPDATE exchange_items SET stock = stock - 1"
        " WHERE item_id = ? AND (stock IS NULL OR stock > 0)",
        (item_id,),
    )
    return cursor.rowcount == 1


def give_one_back(conn: sqlite3.Connection, item_id: str) -> None:
    conn.execute(
        "UPDATE exchange_items SET stock = stock + 1 WHERE item_id = ? AND stock IS NOT NULL",
        (item_id,),
    )


def insert_order(conn: sqlite3.Connection, order: ExchangeOrder) -> None:
    conn.execute(
        "INSERT INTO exchange_orders (order_id, item_id, customer_id, points, entry_id,"
        " ship_name, ship_postcode, ship_address, status, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            order.order_id,
            order.item_id,
            order.customer_id,
            order.points,
            order.entry_id,
            order.shipping.name,
            order.shipping.postcode,
            order.shipping.address,
            str(order.status),
            to_epoch(order.created_at),
        ),
    )


def load_order(conn: sqlite3.Connection, order_id: str) -> ExchangeOrder | None:
    row = conn.execute(ORDER_SELECT + " WHERE o.order_id = ?", (order_id,)).fetchone()
    return None if row is None else order_from_row(row)


def close_order(
    conn: sqlite3.Connection,
    order_id: str,
    status: OrderStatus,
    actor: str,
    now: datetime,
    cancel_entry_id: str | None,
) -> None:
    changed = conn.execute(
        "UPDATE exchange_orders SET status = ?, closed_at = ?, closed_by = ?, cancel_entry_id = ?"
        " WHERE order_id = ? AND status = 'ordered'",
        (str(status), to_epoch(now), actor, cancel_entry_id, order_id),
    ).rowcount
    if changed != 1:
        raise KippuError(f"exchange order {order_id} changed while it closed")
