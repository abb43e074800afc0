"""Migration 0037_campaign_payouts: store payouts of municipal campaigns (精算・振込).

- `campaign_payouts`: each payout run, for a period of whole local days (`from_day` to `to_day`,
  as epoch bounds `period_start` inclusive and `period_end` exclusive), the 振込指定日, the
  number of stores transferred to and the total, and the one journal entry that booked it
  (`txn_id`; none when nothing was transferred). A trigger refuses a period overlapping one
  paid already, so no redemption is paid twice whatever the code does. Append-only.
- `campaign_payout_lines`: what the run found per store, campaign and store class (uses net of
  voids, yen net of voids), whether the store was transferred to (a store whose net for the
  period is not above zero is not), and the account it was paid to as it stood then (the file
  is made again from these, byte for byte). Append-only.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE campaign_payouts (
            payout_id TEXT PRIMARY KEY,
            from_day TEXT NOT NULL CHECK (length(from_day) = 10),
            to_day TEXT NOT NULL CHECK (length(to_day) = 10 AND from_day <= to_day),
            period_start INTEGER NOT NULL,
            period_end INTEGER NOT NULL CHECK (period_start < period_end),
            transfer_day TEXT NOT NULL CHECK (length(transfer_day) = 10),
            stores INTEGER NOT NULL CHECK (stores >= 0),
            total_yen INTEGER NOT NULL CHECK (typeof(total_yen) = 'integer' AND total_yen >= 0),
            txn_id TEXT UNIQUE REFERENCES journal(txn_id),
            created_at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            CHECK ((txn_id IS NULL) = (total_yen = 0))
        );
        CREATE INDEX campaign_payouts_period ON campaign_payouts(period_start, period_end);
        CREATE TRIGGER campaign_payouts_no_overlap BEFORE INSERT ON campaign_payouts
        WHEN EXISTS (SELECT 1 FROM campaign_payouts p
                     WHERE p.period_start < NEW.period_end AND NEW.period_start < p.period_end)
        BEGIN SELECT RAISE(ABORT, 'a payout period overlaps one paid already'); END;
        CREATE TRIGGER campaign_payouts_no_update BEFORE UPDATE ON campaign_payouts
        BEGIN SELECT RAISE(ABORT, 'campaign_payouts is append-only'); END;
        CREATE TRIGGER campaign_payouts_no_delete BEFORE DELETE ON campaign_payouts
        BEGIN SELECT RAISE(ABORT, 'campaign_payouts is append-only'); END;

        CREATE TABLE campaign_payout_lines (
            payout_id TEXT NOT NULL REFERENCES campaign_payouts(payout_id),
            store_id TEXT NOT NULL REFERENCES stores(store_id),
            campaign_id TEXT NOT NULL REFERENCES campaigns(campaign_id),
            store_class TEXT NOT NULL CHECK (store_class IN ('common', 'local')),
            uses INTEGER NOT NULL,
            amount_yen INTEGER NOT NULL CHECK (typeof(amount_yen) = 'integer'),
            transferred INTEGER NOT NULL CHECK (transferred IN (0, 1)),
            bank_code TEXT,
            branch_code TEXT,
            account_type TEXT,
            account_number TEXT,
            holder_kana TEXT,
            PRIMARY KEY (payout_id, store_id, campaign_id, store_class),
            CHECK (transferred = 0 OR (bank_code IS NOT NULL AND branch_code IS NOT NULL
                   AND account_type IS NOT NULL AND account_number IS NOT NULL
                   AND holder_kana IS NOT NULL))
        );
        CREATE INDEX campaign_payout_lines_campaign ON campaign_payout_lines(campaign_id);
        CREATE TRIGGER campaign_payout_lines_no_update BEFORE UPDATE ON campaign_payout_lines
        BEGIN SELECT RAISE(ABORT, 'campaign_payout_lines is append-only'); END;
        CREATE TRIGGER campaign_payout_lines_no_delete BEFORE DELETE ON campaign_payout_lines
        BEGIN SELECT RAISE(ABORT, 'campaign_payout_lines is append-only'); END;
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
