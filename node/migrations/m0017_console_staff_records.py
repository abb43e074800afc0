"""Migration 0017_console_staff_records, released: frozen. Never edit it; a change is a new migration.

Who made each redemption at our counter (issue 15, item 7): one row per redemption made by a
signed-in staff member, written in the redemption's own transaction, so the console's records and
CSV can name the staff. Redemptions made through the admin API or before this migration have no
row (the console shows them as made by head office / unrecorded).
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """CREATE TABLE web_redemption_staff (
            redemption_id TEXT PRIMARY KEY REFERENCES redemptions(redemption_id),
            account_id TEXT NOT NULL REFERENCES web_accounts(account_id)
        ) WITHOUT ROWID;
        CREATE TRIGGER web_redemption_staff_no_update BEFORE UPDATE ON web_redemption_staff
        BEGIN SELECT RAISE(ABORT, 'web_redemption_staff is append-only'); END;
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
