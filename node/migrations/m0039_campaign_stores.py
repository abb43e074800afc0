"""Migration 0039_campaign_stores: participating stores of municipal campaigns (加盟店, issue 18).

- `campaign_store_applications`: a store's application to take part, from the public page: name,
  address, category, whether it is a small local shop (中小店舗: 専用券 accepted), the email to
  reach it, and the bank account it is paid into as it applied (kept here until the office's
  bank tables hold it); its status (pending, approved, rejected, one way only), the reason of a
  rejection, who decided when, and the ledger store an approval made.
- `campaign_store_codes`: each participating store's short code (店舗コード), printed on its
  poster and in its QR's URL, UNIQUE, so a code names one store.
- `campaign_store_payments`: a resident's payment at a store from the wallet (店舗QR払い), keyed
  by its one-time form key: a second submit of the same form finds the redemption the first made.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE campaign_store_applications (
            application_id TEXT PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
            address TEXT NOT NULL CHECK (length(trim(address)) BETWEEN 1 AND 200),
            category TEXT NOT NULL
                CHECK (category IN ('飲食', '小売', '食料品', '理美容', '宿泊', 'サービス', 'その他')),
            wants_local INTEGER NOT NULL CHECK (wants_local IN (0, 1)),
            email TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
            bank_code TEXT NOT NULL CHECK (length(bank_code) = 4),
            branch_code TEXT NOT NULL CHECK (length(branch_code) = 3),
            account_type TEXT NOT NULL CHECK (account_type IN ('ordinary', 'current')),
            account_number TEXT NOT NULL CHECK (length(account_number) = 7),
            holder_kana TEXT NOT NULL CHECK (length(holder_kana) BETWEEN 1 AND 30),
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'approved', 'rejected')),
            reason TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
            applied_at INTEGER NOT NULL,
            decided_at INTEGER,
            decided_by TEXT,
            store_id TEXT UNIQUE REFERENCES stores(store_id),
            CHECK ((status = 'pending') = (decided_at IS NULL)),
            CHECK ((status = 'approved') = (store_id IS NOT NULL))
        );
        CREATE INDEX campaign_store_applications_status
            ON campaign_store_applications(status, applied_at);
        CREATE TABLE campaign_store_codes (
            store_id TEXT PRIMARY KEY REFERENCES stores(store_id),
            code TEXT NOT NULL UNIQUE CHECK (length(code) = 6),
            created_at INTEGER NOT NULL
        );
        CREATE TABLE campaign_store_payments (
            pay_key TEXT PRIMARY KEY CHECK (length(pay_key) BETWEEN 16 AND 64),
            customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            store_id TEXT NOT NULL REFERENCES stores(store_id),
            redemption_id TEXT NOT NULL UNIQUE REFERENCES redemptions(redemption_id),
            paid_at INTEGER NOT NULL
        );
        CREATE TRIGGER campaign_store_decision_kept BEFORE UPDATE OF status
            ON campaign_store_applications WHEN OLD.status <> 'pending'
        BEGIN SELECT RAISE(ABORT, 'a store application is decided once'); END;
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
