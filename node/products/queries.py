"""Reads of products on the read pools (aiosqlite): one product, every product with what it has
sold, the products on sale now, a product's sales."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from node.products.core import is_on_sale
from node.products.model import Product, SaleRecord
from node.products.rows import PRODUCT_COLUMNS, SALE_COLUMNS, product_from_row, sale_from_row
from node.reads import Reader

SALES_SHOWN = 50


@dataclass(frozen=True)
class ProductSummary:
    """A product with how many of it were sold and for how many yen (at price)."""

    product: Product
    sold: int
    sold_yen: int


async def load_product(db: Reader, product_id: str) -> Product | None:
    rows = list(
        await db.execute_fetchall(
            f"SELECT {PRODUCT_COLUMNS} FROM products WHERE product_id = ?",  # noqa: S608
            (product_id,),
        )
    )
    return product_from_row(rows[0]) if rows else None


# A counter sale cancelled the same day (the ledger's sale_cancels) was not a sale: not counted.
SUMMARY = (  # noqa: S608 (fixed column names, no input)
    "SELECT {columns}, count(s.voucher_id) AS sold, coalesce(sum(s.price_yen), 0) AS sold_yen"
    " FROM products p LEFT JOIN product_sales s ON s.product_id = p.product_id"
    " AND NOT EXISTS (SELECT 1 FROM sale_cancels c WHERE c.voucher_id = s.voucher_id)"
).format(columns=", ".join(f"p.{c.strip()}" for c in PRODUCT_COLUMNS.split(",")))


async def all_products(db: Reader) -> list[ProductSummary]:
    """Every product, newest first, with its sales counted."""
    rows = await db.execute_fetchall(
        f"{SUMMARY} GROUP BY p.product_id ORDER BY p.created_at DESC, p.product_id DESC"
    )
    return [ProductSummary(product_from_row(r), r["sold"], r["sold_yen"]) for r in rows]


async def product_summary(db: Reader, product_id: str) -> ProductSummary | None:
    rows = list(
        await db.execute_fetchall(
            f"{SUMMARY} WHERE p.product_id = ? GROUP BY p.product_id", (product_id,)
        )
    )
    return (
        ProductSummary(product_from_row(rows[0]), rows[0]["sold"], rows[0]["sold_yen"])
        if rows
        else None
    )


async def has_products(db: Reader) -> bool:
    """Whether head office has ever defined a product (retired ones count)."""
    rows = list(await db.execute_fetchall("SELECT 1 AS found FROM products LIMIT 1"))
    return bool(rows)


async def products_on_sale(db: Reader, now: datetime) -> list[Product]:
    """The products a customer can buy at `now` (core.is_on_sale: the one definition), cheapest
    face first. SQL only narrows to those not retired; the rule itself is core's."""
    rows = await db.execute_fetchall(
        f"SELECT {PRODUCT_COLUMNS} FROM products WHERE retired_at IS NULL"  # noqa: S608
        " ORDER BY face_yen, price_yen, created_at"
    )
    products = (product_from_row(r) for r in rows)
    return [p for p in products if is_on_sale(p, now)]


async def sales_of(db: Reader, product_id: str, limit: int = SALES_SHOWN) -> list[SaleRecord]:
    """The product's latest sales, newest first."""
    rows = await db.execute_fetchall(
        f"SELECT {SALE_COLUMNS} FROM product_sales WHERE product_id = ?"  # noqa: S608
        " ORDER BY created_at DESC, voucher_id DESC LIMIT ?",
        (product_id, limit),
    )
    return [sale_from_row(r) for r in rows]


async def sale_of_voucher(db: Reader, voucher_id: str) -> SaleRecord | None:
    """The product sale that made `voucher_id`, if a product made it."""
    rows = list(
        await db.execute_fetchall(
            f"SELECT {SALE_COLUMNS} FROM product_sales WHERE voucher_id = ?",  # noqa: S608
            (voucher_id,),
        )
    )
    return sale_from_row(rows[0]) if rows else None
