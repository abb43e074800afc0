"""Migration 0025_payments_attention, released: frozen. Never edit it; a change is a new migration.

Card payments head office must look at (issue 16, review fixes):
- `card_payments.attention`: why the node stopped trying a payment by itself (a refund Stripe
  refused for good, with Stripe's error code); NULL while nothing needs a person. The console's
  payments page shows it as 要確認 (needs attention).
- `card_payments_due`: the sweep takes the payments it has tried longest ago first (by
  `updated_at`, which each attempt moves), so rows that keep failing never starve newer ones.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """ALTER TABLE card_payments ADD COLUMN attention TEXT;
        CREATE INDEX card_payments_due ON card_payments (status, updated_at);
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
