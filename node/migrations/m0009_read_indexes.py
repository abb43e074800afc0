"""Migration 0009_read_indexes, released: frozen. Never edit it; a change is a new migration.

What the console's reports, the counter and the wallet read by (issue 13, item 7): the journal by
time, vouchers newest first (all stores or one), a voucher's uses at partners, one store's
partner claims in time order.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE INDEX journal_time ON journal(created_at);
        CREATE INDEX vouchers_newest ON vouchers(created_at, voucher_id);
        CREATE INDEX vouchers_store ON vouchers(store_id, created_at, voucher_id);

        CREATE INDEX claims_voucher ON claims(voucher_id);
        CREATE INDEX claims_store_time ON claims(role, store_id, created_at, claim_id);
"""


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
