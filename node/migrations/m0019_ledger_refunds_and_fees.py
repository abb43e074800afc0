"""Migration 0019_ledger_refunds_and_fees, released: frozen. Never edit it; a change is a new migration.

Two journal kinds for selling online and the Payment Services Act (issue 16):
- `refund`: an unused voucher balance paid back, which 資金決済法 20条 allows only on the
  abolition of the business or in the small-amount and unavoidable cases of its 府令;
- `psp_fee`: the card processor's fee on an online sale, booked when the processor reports it.
"""

from __future__ import annotations

import sqlite3

OLD_KINDS = (
    "kind IN ('issue', 'redeem', 'void_redemption', 'gift', 'expire',"
    " 'claim', 'claim_void', 'settlement', 'sale_cancel', 'gift_return')"
)
NEW_KINDS = (
    "kind IN ('issue', 'redeem', 'void_redemption', 'gift', 'expire',"
    " 'claim', 'claim_void', 'settlement', 'sale_cancel', 'gift_return', 'refund', 'psp_fee')"
)


def apply(conn: sqlite3.Connection) -> None:
    """Widen the journal's CHECK the way 0003 and 0013 did (edit the table's SQL in sqlite_schema
    and bump schema_version): every existing row satisfies the wider rule."""
    row = conn.execute("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'journal'")
    (sql,) = row.fetchone()
    if OLD_KINDS not in sql:
        raise RuntimeError("the journal table is not the one migration 0013 left")
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
