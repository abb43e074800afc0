"""Migration 0043_campaign_payout_carries: what a store owes back is carried to its next payouts.

- `campaign_payout_stores`: per payout run and store with use in its period, the store's net
  for the period (`net_yen`, any sign: voids of coupons paid in an earlier run make it
  negative), what it owed back before the run (`carry_in_yen`), what the run transferred
  (`transferred_yen`) and what it still owes back after (`carry_out_yen`): the run nets the
  period against the carry, so transferred - carry_out = net - carry_in, and at most one of the
  two is above zero. Append-only.
- `campaign_carry_write_offs`: what cleared a carry besides a run, by `kind`: the office
  forgoing what a store owes back (`write_off`, a store that left: Cr revenue:<store>, Dr the
  office's write-off expense) or the store paying it back (`repaid`, cash or a transfer to the
  office: Cr revenue:<store>, Dr cash:hq); with its reason, who did it and the journal entry
  that booked it. Append-only.
- `campaign_carry_reviews`: the office's decision, once per store, to let the runs net a carry
  left by runs recorded before this migration (`is_legacy`). Append-only.

Runs recorded before this migration get their stores' rows from their lines, marked
`is_legacy`: no carry came in (none was carried then), and a store whose net was below zero
owes it back from now on. Until then the office settled such a net by hand, so a legacy carry
may already be repaid: runs are refused (payout.legacy_carry_open) while a store owes a legacy
carry the office has not reviewed (recorded as repaid, written off or kept for netting).
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE campaign_payout_stores (
            payout_id TEXT NOT NULL REFERENCES campaign_payouts(payout_id),
            store_id TEXT NOT NULL REFERENCES stores(store_id),
            net_yen INTEGER NOT NULL CHECK (typeof(net_yen) = 'integer'),
            carry_in_yen INTEGER NOT NULL
                CHECK (typeof(carry_in_yen) = 'integer' AND carry_in_yen >= 0),
            transferred_yen INTEGER NOT NULL
                CHECK (typeof(transferred_yen) = 'integer' AND transferred_yen >= 0),
            carry_out_yen INTEGER NOT NULL
                CHECK (typeof(carry_out_yen) = 'integer' AND carry_out_yen >= 0),
            is_legacy INTEGER NOT NULL DEFAULT 0 CHECK (is_legacy IN (0, 1)),
            PRIMARY KEY (payout_id, store_id),
            CHECK (transferred_yen - carry_out_yen = net_yen - carry_in_yen),
            CHECK (transferred_yen = 0 OR carry_out_yen = 0)
        );
        CREATE INDEX campaign_payout_stores_store ON campaign_payout_stores(store_id);
        CREATE TRIGGER campaign_payout_stores_no_update BEFORE UPDATE ON campaign_payout_stores
        BEGIN SELECT RAISE(ABORT, 'campaign_payout_stores is append-only'); END;
        CREATE TRIGGER campaign_payout_stores_no_delete BEFORE DELETE ON campaign_payout_stores
        BEGIN SELECT RAISE(ABORT, 'campaign_payout_stores is append-only'); END;

        CREATE TABLE campaign_carry_write_offs (
            write_off_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('write_off', 'repaid')),
            store_id TEXT NOT NULL REFERENCES stores(store_id),
            amount_yen INTEGER NOT NULL CHECK (typeof(amount_yen) = 'integer' AND amount_yen > 0),
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0 AND length(reason) <= 500),
            txn_id TEXT NOT NULL UNIQUE REFERENCES journal(txn_id),
            created_at INTEGER NOT NULL,
            actor TEXT NOT NULL
        );
        CREATE INDEX campaign_carry_write_offs_store ON campaign_carry_write_offs(store_id);
        CREATE TRIGGER campaign_carry_write_offs_no_update BEFORE UPDATE
        ON campaign_carry_write_offs
        BEGIN SELECT RAISE(ABORT, 'campaign_carry_write_offs is append-only'); END;
        CREATE TRIGGER campaign_carry_write_offs_no_delete BEFORE DELETE
        ON campaign_carry_write_offs
        BEGIN SELECT RAISE(ABORT, 'campaign_carry_write_offs is append-only'); END;

        CREATE TABLE campaign_carry_reviews (
            store_id TEXT PRIMARY KEY REFERENCES stores(store_id),
            carry_yen INTEGER NOT NULL CHECK (typeof(carry_yen) = 'integer' AND carry_yen > 0),
            reason TEXT NOT NULL CHECK (length(trim(reason)) > 0 AND length(reason) <= 500),
            created_at INTEGER NOT NULL,
            actor TEXT NOT NULL
        );
        CREATE TRIGGER campaign_carry_reviews_no_update BEFORE UPDATE ON campaign_carry_reviews
        BEGIN SELECT RAISE(ABORT, 'campaign_carry_reviews is append-only'); END;
        CREATE TRIGGER campaign_carry_reviews_no_delete BEFORE DELETE ON campaign_carry_reviews
        BEGIN SELECT RAISE(ABORT, 'campaign_carry_reviews is append-only'); END;

        INSERT INTO campaign_payout_stores
            (payout_id, store_id, net_yen, carry_in_yen, transferred_yen, carry_out_yen,
             is_legacy)
        SELECT payout_id, store_id, sum(amount_yen), 0,
               CASE WHEN max(transferred) = 1 THEN sum(amount_yen) ELSE 0 END,
               CASE WHEN max(transferred) = 1 OR sum(amount_yen) > 0 THEN 0
                    ELSE -sum(amount_yen) END,
               1
        FROM campaign_payout_lines GROUP BY payout_id, store_id;
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
