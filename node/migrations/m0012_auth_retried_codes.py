"""Migration 0012_auth_retried_codes, released: frozen. Never edit it; a change is a new migration.

A used code names what it made (our redemption; our claim on a partner's voucher), so a retry of a
request whose answer was lost is answered with it (issue 13, item 4).
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """ALTER TABLE used_codes ADD COLUMN redemption_id TEXT;
        CREATE TABLE claim_codes (
            code TEXT NOT NULL,
            store_id TEXT NOT NULL,
            amount_yen INTEGER NOT NULL,
            claim_id TEXT NOT NULL,
            PRIMARY KEY (code, store_id, amount_yen)
        ) WITHOUT ROWID;
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
