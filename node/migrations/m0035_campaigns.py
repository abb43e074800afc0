"""Migration 0035_campaigns: municipal campaigns (自治体キャンペーン, issue 18).

The ledger's, generic (a voucher's own terms):
- `store_groups`: the groups a store belongs to (a campaign office marks its small local shops
  `local`).
- `voucher_terms`: what limits one voucher beyond the ledger's rules: the store group it may be
  used in only (専用券: `local`), whether it may be gifted (campaign coupons may not: 譲渡禁止),
  and whether a partner's store may take it (a campaign's coupons are spent only at the city's
  own participating stores: `own_stores_only`).

The campaigns':
- `campaigns`: each campaign's kind, terms, face, price, the 専用券 part of the face (`local_yen`),
  coupons per grant (`book_count`, a ticket book's 綴り), stock (grants), per-person limit, budget
  (yen of face), period, the last day of use, the checks a resident must pass (`eligibility`,
  comma-separated), the postcodes of its residence check, and its running counts. The CHECKs
  make an oversell impossible whatever the code does: `granted_sets <= stock`,
  `granted_yen <= budget_yen`.
- `campaign_rounds`: a first-come campaign's releases; the stock open at a moment is the sum of the
  rounds opened by then.
- `campaign_grants` / `campaign_grant_vouchers`: each grant to a resident (its sequence number per
  person, UNIQUE, so a person's limit holds in the schema too) and the vouchers it issued.
- `campaign_verifications`: the checks a resident passed for a campaign; `subject` is what makes a
  check one-per-something (a serial code, a phone number, a LINE account, a passkey), UNIQUE per
  campaign and method.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE store_groups (
            store_id TEXT NOT NULL REFERENCES stores(store_id),
            group_name TEXT NOT NULL CHECK (length(group_name) BETWEEN 1 AND 40),
            PRIMARY KEY (store_id, group_name)
        );
        CREATE TABLE voucher_terms (
            voucher_id TEXT PRIMARY KEY REFERENCES vouchers(voucher_id),
            store_group TEXT CHECK (store_group IS NULL OR length(store_group) BETWEEN 1 AND 40),
            no_gift INTEGER NOT NULL DEFAULT 0 CHECK (no_gift IN (0, 1)),
            own_stores_only INTEGER NOT NULL DEFAULT 0 CHECK (own_stores_only IN (0, 1))
        );

        CREATE TABLE campaigns (
            campaign_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL
                CHECK (kind IN ('premium', 'first-come', 'lottery', 'ticket-book', 'survey')),
            name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
            terms TEXT NOT NULL DEFAULT '' CHECK (length(terms) <= 4000),
            face_yen INTEGER NOT NULL CHECK (typeof(face_yen) = 'integer' AND face_yen > 0),
            price_yen INTEGER NOT NULL DEFAULT 0
                CHECK (typeof(price_yen) = 'integer' AND price_yen BETWEEN 0 AND face_yen),
            local_yen INTEGER NOT NULL DEFAULT 0
                CHECK (typeof(local_yen) = 'integer' AND local_yen BETWEEN 0 AND face_yen),
            book_count INTEGER NOT NULL DEFAULT 1 CHECK (book_count BETWEEN 1 AND 100),
            stock INTEGER CHECK (stock IS NULL OR stock >= 1),
            per_person INTEGER NOT NULL DEFAULT 1 CHECK (per_person >= 1),
            budget_yen INTEGER CHECK (budget_yen IS NULL OR budget_yen >= 1),
            starts_at INTEGER NOT NULL,
            ends_at INTEGER NOT NULL,
            use_until INTEGER NOT NULL,
            eligibility TEXT NOT NULL DEFAULT '',
            postcodes TEXT NOT NULL DEFAULT '',
            granted_sets INTEGER NOT NULL DEFAULT 0
                CHECK (granted_sets >= 0 AND (stock IS NULL OR granted_sets <= stock)),
            granted_yen INTEGER NOT NULL DEFAULT 0
                CHECK (granted_yen >= 0 AND (budget_yen IS NULL OR granted_yen <= budget_yen)),
            closed_at INTEGER,
            created_at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            CHECK (starts_at < ends_at AND ends_at <= use_until)
        );
        CREATE TABLE campaign_rounds (
            campaign_id TEXT NOT NULL REFERENCES campaigns(campaign_id),
            round_no INTEGER NOT NULL CHECK (round_no >= 1),
            opens_at INTEGER NOT NULL,
            stock INTEGER NOT NULL CHECK (stock >= 1),
            PRIMARY KEY (campaign_id, round_no)
        );
        CREATE TABLE campaign_grants (
            grant_id TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL REFERENCES campaigns(campaign_id),
            customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            seq INTEGER NOT NULL CHECK (seq >= 1),
            face_yen INTEGER NOT NULL CHECK (face_yen > 0),
            price_yen INTEGER NOT NULL CHECK (price_yen >= 0),
            granted_at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            UNIQUE (campaign_id, customer_id, seq)
        );
        CREATE INDEX campaign_grants_time ON campaign_grants(granted_at);
        CREATE INDEX campaign_grants_customer ON campaign_grants(customer_id, granted_at);
        CREATE TABLE campaign_grant_vouchers (
            voucher_id TEXT PRIMARY KEY REFERENCES vouchers(voucher_id),
            grant_id TEXT NOT NULL REFERENCES campaign_grants(grant_id),
            campaign_id TEXT NOT NULL REFERENCES campaigns(campaign_id),
            store_class TEXT NOT NULL CHECK (store_class IN ('common', 'local'))
        );
        CREATE INDEX campaign_grant_vouchers_campaign ON campaign_grant_vouchers(campaign_id);
        CREATE TABLE campaign_verifications (
            campaign_id TEXT NOT NULL REFERENCES campaigns(campaign_id),
            customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            method TEXT NOT NULL
                CHECK (method IN ('serial', 'email', 'sms', 'line', 'passkey', 'residence')),
            subject TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
            verified_at INTEGER NOT NULL,
            PRIMARY KEY (campaign_id, customer_id, method),
            UNIQUE (campaign_id, method, subject)
        );
        CREATE TRIGGER campaign_grants_kept BEFORE DELETE ON campaign_grants
        BEGIN SELECT RAISE(ABORT, 'campaign grants are never deleted'); END;
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
