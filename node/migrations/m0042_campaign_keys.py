"""Migration 0042_campaign_keys: the office's grants made safe to retry, and one-time codes capped
per day (issue 18, part "keys").

- `campaign_grant_keys`: a caller's `Idempotency-Key` on a campaign grant, stored in the writer
  unit that made the grant: who sent it, the SHA-256 of what was asked (campaign and customer),
  the grant it made and that grant's vouchers in the order first answered. Append-only: a key
  answers its grant for as long as the node keeps its books.
- `campaign_code_counts`: one-time codes sent and wrong codes typed per day of the node's zone
  (Asia/Tokyo), per subject (the SHA-256 of the email address or phone number: the counts keep
  no address) and per customer. Days before today are deleted as codes are sent.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE campaign_grant_keys (
            idempotency_key TEXT PRIMARY KEY
                CHECK (length(idempotency_key) BETWEEN 1 AND 64),
            caller TEXT NOT NULL,
            campaign_id TEXT NOT NULL REFERENCES campaigns(campaign_id),
            request_hash BLOB NOT NULL CHECK (length(request_hash) = 32),
            grant_id TEXT NOT NULL UNIQUE REFERENCES campaign_grants(grant_id),
            voucher_ids TEXT NOT NULL CHECK (length(voucher_ids) > 0),
            created_at INTEGER NOT NULL
        );
        CREATE TRIGGER campaign_grant_keys_no_update BEFORE UPDATE ON campaign_grant_keys
        BEGIN SELECT RAISE(ABORT, 'campaign_grant_keys is append-only'); END;
        CREATE TRIGGER campaign_grant_keys_no_delete BEFORE DELETE ON campaign_grant_keys
        BEGIN SELECT RAISE(ABORT, 'campaign_grant_keys is append-only'); END;
        CREATE TABLE campaign_code_counts (
            day TEXT NOT NULL CHECK (length(day) = 10),
            scope TEXT NOT NULL CHECK (scope IN ('subject', 'customer')),
            holder BLOB NOT NULL CHECK (length(holder) = 32),
            event TEXT NOT NULL CHECK (event IN ('send', 'wrong')),
            count INTEGER NOT NULL CHECK (count >= 1),
            PRIMARY KEY (day, scope, holder, event)
        );
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
