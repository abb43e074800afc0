"""Migration 0046_crm_erasures: customers erased on their request (個人情報保護法, issue 19).

- `customer_erasures`: one row per customer whose personal data head office erased: when, who
  did it and why (the request). The customer's row stays (the books name it), anonymised by the
  ledger; their profile, tags and the addresses campaign mail was sent to are gone. Append-only.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE customer_erasures (
            customer_id TEXT PRIMARY KEY REFERENCES customers(customer_id),
            erased_at INTEGER NOT NULL,
            actor TEXT NOT NULL CHECK (length(actor) > 0),
            reason TEXT NOT NULL CHECK (length(reason) > 0)
        );
        CREATE TRIGGER customer_erasures_no_update BEFORE UPDATE ON customer_erasures
        BEGIN SELECT RAISE(ABORT, 'customer_erasures is append-only'); END;
        CREATE TRIGGER customer_erasures_no_delete BEFORE DELETE ON customer_erasures
        BEGIN SELECT RAISE(ABORT, 'customer_erasures is append-only'); END;
"""


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
