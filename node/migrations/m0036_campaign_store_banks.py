"""Migration 0036_campaign_store_banks: stores' bank accounts for municipal campaign payouts.

- `campaign_store_banks`: the account a store is paid to (振込先口座), one row per store, in the
  form a 全銀 transfer file writes it: 4-digit bank code, 3-digit branch code, the account type
  by name, a 7-digit account number and the holder in half-width katakana (at most 30, the
  transfer's 受取人名). Replaced as a whole when the store's account changes (`updated_at`).
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE campaign_store_banks (
            store_id TEXT PRIMARY KEY REFERENCES stores(store_id),
            bank_code TEXT NOT NULL
                CHECK (length(bank_code) = 4 AND bank_code NOT GLOB '*[^0-9]*'),
            branch_code TEXT NOT NULL
                CHECK (length(branch_code) = 3 AND branch_code NOT GLOB '*[^0-9]*'),
            account_type TEXT NOT NULL
                CHECK (account_type IN ('ordinary', 'current', 'savings')),
            account_number TEXT NOT NULL
                CHECK (length(account_number) = 7 AND account_number NOT GLOB '*[^0-9]*'),
            holder_kana TEXT NOT NULL CHECK (length(holder_kana) BETWEEN 1 AND 30),
            updated_at INTEGER NOT NULL
        );
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
