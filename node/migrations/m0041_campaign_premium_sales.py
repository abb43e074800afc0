"""Migration 0041_campaign_premium_sales: residents buy a premium campaign's set by card (issue 18).

- `card_payments` rebuilt so that a card payment pays either a product of the wallet's shop
  (`product_id`) or a premium campaign's set (`campaign_id`), exactly one of them: the card flow
  (node/payments: the intent, 3-D Secure, the webhook, the sweep, refunds, fees) is one for both.
  SQLite cannot relax a NOT NULL in place, so the table is copied, dropped and renamed, and its
  indexes and triggers (0021, 0025) made again as they were.
- `campaign_holds`: a set held for a resident while their card is charged (`hold_id` is the card
  payment's id). A hold counts against the stock, the budget and the person's limit like a grant
  while it is `held` and not past `expires_at` (the payment's abandonment window); it ends
  `granted` (with its grant, in the same transaction as the payment's settle) or `released`
  (declined, cancelled, refunded). A lapsed hold needs no sweep: it simply stops counting.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE card_payments_0041 (
            payment_id TEXT PRIMARY KEY,
            intent_id TEXT UNIQUE,
            customer_id TEXT NOT NULL REFERENCES customers (customer_id),
            product_id TEXT REFERENCES products (product_id),
            campaign_id TEXT REFERENCES campaigns (campaign_id),
            amount_yen INTEGER NOT NULL CHECK (amount_yen > 0),
            face_yen INTEGER NOT NULL CHECK (face_yen >= amount_yen),
            status TEXT NOT NULL CHECK (status IN
                ('pending', 'issued', 'refunding', 'refunded', 'failed', 'cancelled')),
            voucher_id TEXT UNIQUE,
            failure_code TEXT,
            refund_id TEXT,
            refund_reason TEXT,
            fee_yen INTEGER CHECK (fee_yen IS NULL OR fee_yen >= 0),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            attention TEXT,
            CHECK ((status = 'issued') = (voucher_id IS NOT NULL)),
            CHECK ((product_id IS NULL) <> (campaign_id IS NULL))
        );
        INSERT INTO card_payments_0041 (payment_id, intent_id, customer_id, product_id,
            campaign_id, amount_yen, face_yen, status, voucher_id, failure_code, refund_id,
            refund_reason, fee_yen, created_at, updated_at, attention)
        SELECT payment_id, intent_id, customer_id, product_id, NULL, amount_yen, face_yen,
            status, voucher_id, failure_code, refund_id, refund_reason, fee_yen, created_at,
            updated_at, attention
        FROM card_payments;
        DROP TABLE card_payments;
        ALTER TABLE card_payments_0041 RENAME TO card_payments;
        CREATE INDEX card_payments_customer ON card_payments (customer_id, created_at);
        CREATE INDEX card_payments_status ON card_payments (status, created_at);
        CREATE INDEX card_payments_due ON card_payments (status, updated_at);
        CREATE INDEX card_payments_campaign ON card_payments (campaign_id)
            WHERE campaign_id IS NOT NULL;
        CREATE TRIGGER card_payments_voucher_once BEFORE UPDATE ON card_payments
        WHEN OLD.voucher_id IS NOT NULL AND NEW.voucher_id IS NOT OLD.voucher_id
        BEGIN SELECT RAISE(ABORT, 'a card payment issues its voucher once'); END;
        CREATE TRIGGER card_payments_fee_once BEFORE UPDATE ON card_payments
        WHEN OLD.fee_yen IS NOT NULL AND NEW.fee_yen IS NOT OLD.fee_yen
        BEGIN SELECT RAISE(ABORT, 'a card payment''s fee is booked once'); END;

        CREATE TABLE campaign_holds (
            hold_id TEXT PRIMARY KEY,
            campaign_id TEXT NOT NULL REFERENCES campaigns (campaign_id),
            customer_id TEXT NOT NULL REFERENCES customers (customer_id),
            face_yen INTEGER NOT NULL CHECK (face_yen > 0),
            price_yen INTEGER NOT NULL CHECK (price_yen > 0),
            status TEXT NOT NULL CHECK (status IN ('held', 'granted', 'released')),
            grant_id TEXT UNIQUE REFERENCES campaign_grants (grant_id),
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL CHECK (expires_at > created_at),
            ended_at INTEGER,
            CHECK ((status = 'granted') = (grant_id IS NOT NULL)),
            CHECK ((status = 'held') = (ended_at IS NULL))
        );
        CREATE INDEX campaign_holds_live ON campaign_holds (campaign_id, expires_at)
            WHERE status = 'held';
        CREATE INDEX campaign_holds_customer ON campaign_holds (customer_id, campaign_id);
        CREATE TRIGGER campaign_holds_end_once BEFORE UPDATE ON campaign_holds
        WHEN OLD.status <> 'held'
        BEGIN SELECT RAISE(ABORT, 'a campaign hold ends once'); END;
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
