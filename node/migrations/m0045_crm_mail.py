"""Migration 0045_crm_mail: campaign mail to a segment (issue 19).

- `mail_campaigns`: one mail to a segment: its subject and body (with variables), the segment's
  name and its filters as they were when the mail was made, when to send, how many a minute,
  its status (scheduled → sending → sent, or cancelled before it starts), who made it, and the
  key its recipients' unsubscribe tokens are made with (the same link at every attempt).
- `mail_recipients`: one row per customer the mail is for, made when sending starts (the
  segment's members who consented to marketing mail then): the address, the status (queued →
  sent | failed | skipped, a refusal since then skips), why, the attempts, and the hash of the
  unsubscribe link's token (the link itself is only in the mail).
- `point_purchases_spend` (an index on the points' table, for CRM's reads): each customer's
  purchases with what the analytics sum, so summing them per customer reads the index alone
  (docs/performance.md, "Customer analytics").
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE mail_campaigns (
            mail_id TEXT PRIMARY KEY,
            subject TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
            body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
            segment_name TEXT NOT NULL,
            filters TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('scheduled', 'sending', 'sent', 'cancelled')),
            send_at INTEGER NOT NULL,
            per_minute INTEGER NOT NULL CHECK (per_minute BETWEEN 1 AND 100000),
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL CHECK (length(created_by) > 0),
            started_at INTEGER,
            finished_at INTEGER,
            token_key BLOB NOT NULL CHECK (length(token_key) = 32)
        );
        CREATE INDEX mail_campaigns_due ON mail_campaigns(status, send_at);

        CREATE TABLE mail_recipients (
            mail_id TEXT NOT NULL REFERENCES mail_campaigns(mail_id),
            customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            address TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'skipped')),
            reason TEXT,
            attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            token_hash BLOB UNIQUE,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (mail_id, customer_id)
        );
        CREATE INDEX mail_recipients_status ON mail_recipients(mail_id, status);

        CREATE INDEX point_purchases_spend
            ON point_purchases(customer_id, created_at, purchase_yen, returned_at, txn_id);
"""


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
