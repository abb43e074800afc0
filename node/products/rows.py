"""Mapping between SQLite rows and product values, read by column name; shared by the writer's
tables and the read queries. Times are integer epoch seconds in the database."""

from __future__ import annotations

import sqlite3

from node.ledger.rows import from_epoch, maybe_datetime, maybe_epoch, to_epoch
from node.products.model import LimitPeriod, Product, SaleChannel, SaleRecord

PRODUCT_COLUMNS = (
    "product_id, name, face_yen, price_yen, valid_days, valid_until, limit_count, limit_yen,"
    " limit_period, sale_starts_at, sale_ends_at, stock, created_at, retired_at"
)
SALE_COLUMNS = (
    "voucher_id, product_id, customer_id, channel, store_id, face_yen, price_yen, created_at"
)


def product_from_row(row: sqlite3.Row) -> Product:
    return Product(
        product_id=row["product_id"],
        name=row["name"],
        face_yen=row["face_yen"],
        price_yen=row["price_yen"],
        valid_days=row["valid_days"],
        valid_until=maybe_datetime(row["valid_until"]),
        limit_count=row["limit_count"],
        limit_yen=row["limit_yen"],
        limit_period=LimitPeriod(row["limit_period"]),
        sale_starts_at=maybe_datetime(row["sale_starts_at"]),
        sale_ends_at=maybe_datetime(row["sale_ends_at"]),
        stock=row["stock"],
        created_at=from_epoch(row["created_at"]),
        retired_at=maybe_datetime(row["retired_at"]),
    )


def product_values(product: Product) -> tuple[object, ...]:
    """The product's values in PRODUCT_COLUMNS order, for an INSERT."""
    return (
        product.product_id,
        product.name,
        product.face_yen,
        product.price_yen,
        product.valid_days,
        maybe_epoch(product.valid_until),
        product.limit_count,
        product.limit_yen,
        str(product.limit_period),
        maybe_epoch(product.sale_starts_at),
        maybe_epoch(product.sale_ends_at),
        product.stock,
        to_epoch(product.created_at),
        maybe_epoch(product.retired_at),
    )


def sale_from_row(row: sqlite3.Row) -> SaleRecord:
    return SaleRecord(
        voucher_id=row["voucher_id"],
        product_id=row["product_id"],
        customer_id=row["customer_id"],
        channel=SaleChannel(row["channel"]),
        store_id=row["store_id"],
        face_yen=row["face_yen"],
        price_yen=row["price_yen"],
        created_at=from_epoch(row["created_at"]),
    )


def sale_values(sale: SaleRecord) -> tuple[object, ...]:
    return (
        sale.voucher_id,
        sale.product_id,
        sale.customer_id,
        str(sale.channel),
        sale.store_id,
        sale.face_yen,
        sale.price_yen,
        to_epoch(sale.created_at),
    )
