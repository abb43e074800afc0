"""Migration 0014_redemption_rest_payments: the rest of a sale paid another way (全額利用と差額).

When a voucher's balance is lower than the sale, the counter uses the whole balance and the
customer pays the rest in cash, on the card terminal or otherwise. The voucher's part is the
redemption (in the journal, as any redemption); the rest never touches the ledger: it is a record,
one row per redemption, of what the store took otherwise, so the day's list, the receipt and the
API can show the whole sale. Append-only: a void of the redemption keeps it (the store gives the
rest back by its own means, and the void screen says so).
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """CREATE TABLE rest_payments (
            redemption_id TEXT PRIMARY KEY REFERENCES redemptions(redemption_id),
            amount_yen INTEGER NOT NULL CHECK (typeof(amount_yen) = 'integer' AND amount_yen > 0),
            method TEXT NOT NULL CHECK (method IN ('cash', 'card', 'other')),
            created_at INTEGER NOT NULL
        );
        CREATE TRIGGER rest_payments_no_update BEFORE UPDATE ON rest_payments
        BEGIN SELECT RAISE(ABORT, 'rest_payments is append-only'); END;
        CREATE TRIGGER rest_payments_no_delete BEFORE DELETE ON rest_payments
        BEGIN SELECT RAISE(ABORT, 'rest_payments is append-only'); END;
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
