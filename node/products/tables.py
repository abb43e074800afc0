"""SQL for products inside the writer's transaction (tables `products`, `product_sales`): add,
load, take one from stock, give one back, retire; a customer's purchases of a product; record a sale."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from node.ledger.rows import from_epoch, maybe_epoch, to_epoch
from node.products.core import PastPurchase
from node.products.model import Product, SaleRecord
from node.products.rows import (
    PRODUCT_COLUMNS,
    SALE_COLUMNS,
    product_from_row,
    product_values,
    sale_from_row,
    sale_values,
)


def insert_product(conn: sqlite3.Connection, product: Product) -> None:
    conn.execute(
        f"INSERT INTO products ({PRODUCT_COLUMNS})"  # noqa: S608
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        product_values(product),
    )


def load_product(conn: sqlite3.Connection, product_id: str) -> Product | None:
    row = conn.execute(
        f"SELECT {PRODUCT_COLUMNS} FROM products WHERE product_id = ?",  # noqa: S608
        (product_id,),
    ).fetchone()
    return None if row is None else product_from_row(row)


def take_one(conn: sqlite3.Connection, product_id: str) -> bool:
    """One fewer in stock; False when none is left. A product without a stock always has one."""
    cursor = conn.execute(
        "UPDATE products SET stock = stock - 1"
        " WHERE product_id = ? AND stock IS NOT NULL AND stock > 0",
        (product_id,),
    )
    if cursor.rowcount == 1:
        return True
    row = conn.execute("SELECT stock FROM products WHERE product_id = ?", (product_id,)).fetchone()
    return row is not None and row["stock"] is None


def give_one_back(conn: sqlite3.Connection, voucher_id: str) -> None:
    """One more in stock of the product that sold `voucher_id` (its sale cancelled), when that
    product keeps a stock; nothing for a voucher no product sold, or a product without a stock."""
    conn.execute(
        "UPDATE products SET stock = stock + 1 WHERE stock IS NOT NULL AND product_id ="
        " (SELECT product_id FROM product_sales WHERE voucher_id = ?)",
        (voucher_id,),
    )


def retire(conn: sqlite3.Connection, product_id: str, now: datetime) -> bool:
    """Retire a product on sale; False when it was retired already."""
    cursor = conn.execute(
        "UPDATE products SET retired_at = ? WHERE product_id = ? AND retired_at IS NULL",
        (to_epoch(now), product_id),
    )
    return cursor.rowcount == 1


def purchases_since(
    conn: sqlite3.Connection, customer_id: str, product_id: str, since: datetime | None
) -> list[PastPurchase]:
    """The customer's purchases of the product at or after `since` (None: all of them)."""
    rows = conn.execute(
        "SELECT created_at, price_yen FROM product_sales"
        " WHERE customer_id = ? AND product_id = ? AND created_at >= ?",
        (customer_id, product_id, maybe_epoch(since) or 0),
    ).fetchall()
    return [PastPurchase(from_epoch(r["created_at"]), r["price_yen"]) for r in rows]


def insert_sale(conn: sqlite3.Connection, sale: SaleRecord) -> None:
    conn.execute(
        f"INSERT INTO product_sales ({SALE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        sale_values(sale),
    )


def load_sale(conn: sqlite3.Connection, voucher_id: str) -> SaleRecord | None:
    """The product sale that made `voucher_id`, if a product made it."""
    row = conn.execute(
        f"SELECT {SALE_COLUMNS} FROM product_sales WHERE voucher_id = ?",  # noqa: S608
        (voucher_id,),
    ).fetchone()
    return None if row is None else sale_from_row(row)
