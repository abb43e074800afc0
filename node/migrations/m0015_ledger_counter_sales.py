"""Migration 0015_ledger_counter_sales, released: frozen. Never edit it; a change is a new migration.

Selling at the counter (issue 15, item 3):
- `counter_sales`: one row per voucher sold at a store's counter, written in the same transaction
  as its `issue` journal entry (`txn_id`): the store, how it was paid (`cash`, `card`: the card
  terminal, `other`), who sold it and when, and the confirm form's one-time key (`request_key`),
  so that the same form sent twice (a double tap, a resent request) sells once. Append-only.
- `sale_cancels`: a same-day sale cancelled by a correcting `sale_cancel` journal entry (`txn_id`)
  that reverses the sale's issue entry exactly; the voucher is void. At most one per sale (its
  primary key), append-only; who cancelled it and when.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE counter_sales (
            voucher_id TEXT PRIMARY KEY REFERENCES vouchers(voucher_id),
            store_id TEXT NOT NULL REFERENCES stores(store_id),
            payment_method TEXT NOT NULL CHECK (payment_method IN ('cash', 'card', 'other')),
            sold_by TEXT NOT NULL CHECK (length(sold_by) > 0),
            txn_id TEXT NOT NULL UNIQUE REFERENCES journal(txn_id),
            created_at INTEGER NOT NULL,
            request_key TEXT UNIQUE
                CHECK (request_key IS NULL OR length(request_key) BETWEEN 16 AND 64)
        );
        CREATE INDEX counter_sales_store_time ON counter_sales(store_id, created_at);

        CREATE TABLE sale_cancels (
            voucher_id TEXT PRIMARY KEY REFERENCES counter_sales(voucher_id),
            txn_id TEXT NOT NULL UNIQUE REFERENCES journal(txn_id),
            cancelled_by TEXT NOT NULL CHECK (length(cancelled_by) > 0),
            cancelled_at INTEGER NOT NULL
        );
        CREATE INDEX sale_cancels_time ON sale_cancels(cancelled_at);

        CREATE TRIGGER counter_sales_no_update BEFORE UPDATE ON counter_sales
        BEGIN SELECT RAISE(ABORT, 'counter_sales is append-only'); END;
        CREATE TRIGGER counter_sales_no_delete BEFORE DELETE ON counter_sales
        BEGIN SELECT RAISE(ABORT, 'counter_sales is append-only'); END;
        CREATE TRIGGER sale_cancels_no_update BEFORE UPDATE ON sale_cancels
        BEGIN SELECT RAISE(ABORT, 'sale_cancels is append-only'); END;
        CREATE TRIGGER sale_cancels_no_delete BEFORE DELETE ON sale_cancels
        BEGIN SELECT RAISE(ABORT, 'sale_cancels is append-only'); END;
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
