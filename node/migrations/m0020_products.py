"""Migration 0020_products, released: frozen. Never edit it; a change is a new migration.

Voucher products (商品, issue 16):
- `products`: what head office sells: a name, the face value and the price (lower: a premium),
  the validity (days from the sale, or a fixed last moment, never both; or none), a per-customer
  limit (a count and/or yen at price, per day, month or the whole sale, in the node's zone), the
  sale period, an optional stock. The terms never change; only the stock goes down as it sells,
  and a product is retired once (kept, never deleted: its sales name it).
- `product_sales`: one row per voucher sold from a product, written in the same transaction as
  the voucher's `issue` entry: the product, the customer (NULL: nobody yet, e.g. a counter sale
  not taken), the channel (`online`, `counter`), the store of a counter sale, the face and price
  paid, when. Append-only. Indexed to count a customer's purchases of a product since a moment.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE products (
            product_id TEXT PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 80),
            face_yen INTEGER NOT NULL CHECK (typeof(face_yen) = 'integer' AND face_yen > 0),
            price_yen INTEGER NOT NULL
                CHECK (typeof(price_yen) = 'integer' AND price_yen BETWEEN 0 AND face_yen),
            valid_days INTEGER
                CHECK (valid_days IS NULL
                    OR (typeof(valid_days) = 'integer' AND valid_days BETWEEN 1 AND 3660)),
            valid_until INTEGER CHECK (valid_until IS NULL OR typeof(valid_until) = 'integer'),
            limit_count INTEGER
                CHECK (limit_count IS NULL
                    OR (typeof(limit_count) = 'integer' AND limit_count > 0)),
            limit_yen INTEGER
                CHECK (limit_yen IS NULL OR (typeof(limit_yen) = 'integer' AND limit_yen > 0)),
            limit_period TEXT NOT NULL CHECK (limit_period IN ('day', 'month', 'ever')),
            sale_starts_at INTEGER,
            sale_ends_at INTEGER,
            stock INTEGER CHECK (stock IS NULL OR (typeof(stock) = 'integer' AND stock >= 0)),
            created_at INTEGER NOT NULL,
            retired_at INTEGER,
            CHECK (valid_days IS NULL OR valid_until IS NULL),
            CHECK (sale_starts_at IS NULL OR sale_ends_at IS NULL
                OR sale_starts_at < sale_ends_at)
        );
        CREATE INDEX products_live ON products(created_at) WHERE retired_at IS NULL;

        CREATE TRIGGER products_fixed BEFORE UPDATE ON products
        WHEN NEW.product_id IS NOT OLD.product_id OR NEW.name IS NOT OLD.name
            OR NEW.face_yen IS NOT OLD.face_yen OR NEW.price_yen IS NOT OLD.price_yen
            OR NEW.valid_days IS NOT OLD.valid_days OR NEW.valid_until IS NOT OLD.valid_until
            OR NEW.limit_count IS NOT OLD.limit_count OR NEW.limit_yen IS NOT OLD.limit_yen
            OR NEW.limit_period IS NOT OLD.limit_period
            OR NEW.sale_starts_at IS NOT OLD.sale_starts_at
            OR NEW.sale_ends_at IS NOT OLD.sale_ends_at OR NEW.created_at IS NOT OLD.created_at
            OR (NEW.stock IS NULL) != (OLD.stock IS NULL)
            OR (OLD.retired_at IS NOT NULL AND NEW.retired_at IS NOT OLD.retired_at)
        BEGIN SELECT RAISE(ABORT, 'a product''s terms cannot change, nor can it come back'); END;
        CREATE TRIGGER products_kept BEFORE DELETE ON products
        BEGIN SELECT RAISE(ABORT, 'products are retired, never deleted'); END;

        CREATE TABLE product_sales (
            voucher_id TEXT PRIMARY KEY REFERENCES vouchers(voucher_id),
            product_id TEXT NOT NULL REFERENCES products(product_id),
            customer_id TEXT REFERENCES customers(customer_id),
            channel TEXT NOT NULL CHECK (channel IN ('online', 'counter')),
            store_id TEXT REFERENCES stores(store_id),
            face_yen INTEGER NOT NULL CHECK (typeof(face_yen) = 'integer' AND face_yen > 0),
            price_yen INTEGER NOT NULL
                CHECK (typeof(price_yen) = 'integer' AND price_yen BETWEEN 0 AND face_yen),
            created_at INTEGER NOT NULL,
            CHECK (channel = 'online' OR store_id IS NOT NULL)
        );
        CREATE INDEX product_sales_customer
            ON product_sales(customer_id, product_id, created_at) WHERE customer_id IS NOT NULL;
        CREATE INDEX product_sales_product ON product_sales(product_id, created_at);

        CREATE TRIGGER product_sales_no_update BEFORE UPDATE ON product_sales
        BEGIN SELECT RAISE(ABORT, 'product_sales is append-only'); END;
        CREATE TRIGGER product_sales_no_delete BEFORE DELETE ON product_sales
        BEGIN SELECT RAISE(ABORT, 'product_sales is append-only'); END;
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
