"""Migration 0013_ledger_holds_and_returns, released: frozen. Never edit it; a change is a new migration.

The ledger changes the counter, the wallet and the console need (issue 15):
- two journal kinds: `sale_cancel` (a same-day sale reversed by a correcting entry) and
  `gift_return` (a gift taken back while unclaimed: its value returns to the giver);
- a voucher may be suspended (a lost phone) and resumed: `vouchers.suspended_at`, set while held;
- a voucher's expiry may move later, never earlier or away, and a giver whose gift came back may
  give again: `vouchers_fixed` is rebuilt with those two exceptions;
- every suspension, resumption and extension is recorded with who and why in `voucher_changes`,
  append-only.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

OLD_KINDS = (
    "kind IN ('issue', 'redeem', 'void_redemption', 'gift', 'expire',"
    " 'claim', 'claim_void', 'settlement')"
)
NEW_KINDS = (
    "kind IN ('issue', 'redeem', 'void_redemption', 'gift', 'expire',"
    " 'claim', 'claim_void', 'settlement', 'sale_cancel', 'gift_return')"
)

SQL = """ALTER TABLE vouchers ADD COLUMN suspended_at INTEGER;
        DROP TRIGGER vouchers_fixed;
        CREATE TRIGGER vouchers_fixed BEFORE UPDATE ON vouchers
        WHEN NEW.voucher_id IS NOT OLD.voucher_id OR NEW.face_yen IS NOT OLD.face_yen
            OR NEW.price_yen IS NOT OLD.price_yen OR NEW.created_at IS NOT OLD.created_at
            OR NEW.secret IS NOT OLD.secret OR NEW.is_gift IS NOT OLD.is_gift
            OR NEW.gifted_from IS NOT OLD.gifted_from
            OR (NEW.expires_at IS NOT OLD.expires_at AND (OLD.expires_at IS NULL
                OR NEW.expires_at IS NULL OR NEW.expires_at < OLD.expires_at))
        BEGIN SELECT RAISE(ABORT, 'voucher terms cannot change'); END;
        CREATE TABLE voucher_changes (
            change_id TEXT PRIMARY KEY,
            voucher_id TEXT NOT NULL REFERENCES vouchers(voucher_id),
            kind TEXT NOT NULL CHECK (kind IN ('suspend', 'resume', 'extend')),
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
            actor TEXT NOT NULL CHECK (length(actor) > 0),
            expires_before INTEGER,
            expires_after INTEGER,
            created_at INTEGER NOT NULL,
            CHECK ((kind = 'extend') = (expires_after IS NOT NULL))
        );
        CREATE INDEX voucher_changes_voucher ON voucher_changes(voucher_id, created_at);
        CREATE TRIGGER voucher_changes_no_update BEFORE UPDATE ON voucher_changes
        BEGIN SELECT RAISE(ABORT, 'voucher_changes is append-only'); END;
        CREATE TRIGGER voucher_changes_no_delete BEFORE DELETE ON voucher_changes
        BEGIN SELECT RAISE(ABORT, 'voucher_changes is append-only'); END;
        """


def widen_journal_kinds(conn: sqlite3.Connection) -> None:
    """Allow the two new entry kinds in the journal's CHECK constraint, the way 0003 did (edit
    the table's SQL in sqlite_schema and bump schema_version): every existing row satisfies it."""
    row = conn.execute("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'journal'")
    (sql,) = row.fetchone()
    if OLD_KINDS not in sql:
        raise RuntimeError("the journal table is not the one migration 0003 left")
    (version,) = conn.execute("PRAGMA schema_version").fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    try:
        conn.execute(
            "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'journal'",
            (sql.replace(OLD_KINDS, NEW_KINDS),),
        )
        conn.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")


def apply(conn: sqlite3.Connection) -> None:
    widen_journal_kinds(conn)
    run_script(conn, SQL)
