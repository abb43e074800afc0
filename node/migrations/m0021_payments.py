"""Migration 0021_payments, released: frozen. Never edit it; a change is a new migration.

Selling vouchers online by card through Stripe (issue 16):
- `card_payments`: one row per purchase the wallet's shop started: who buys which product at
  what price, the Stripe PaymentIntent (unique: one intent never pays two purchases), the
  payment's status, the voucher it issued (set once: the one decision that makes the voucher
  exactly once, whichever of the webhook and the customer's return comes first), a refund when
  the voucher could not be issued, and the processor's fee once Stripe reports it.
- `stripe_events`: each Stripe webhook event processed, by its id: a replay is answered and
  changes nothing.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """CREATE TABLE card_payments (
            payment_id TEXT PRIMARY KEY,
            intent_id TEXT UNIQUE,
            customer_id TEXT NOT NULL REFERENCES customers (customer_id),
            product_id TEXT NOT NULL REFERENCES products (product_id),
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
            CHECK ((status = 'issued') = (voucher_id IS NOT NULL))
        );
        CREATE INDEX card_payments_customer ON card_payments (customer_id, created_at);
        CREATE INDEX card_payments_status ON card_payments (status, created_at);
        CREATE TRIGGER card_payments_voucher_once BEFORE UPDATE ON card_payments
        WHEN OLD.voucher_id IS NOT NULL AND NEW.voucher_id IS NOT OLD.voucher_id
        BEGIN SELECT RAISE(ABORT, 'a card payment issues its voucher once'); END;
        CREATE TRIGGER card_payments_fee_once BEFORE UPDATE ON card_payments
        WHEN OLD.fee_yen IS NOT NULL AND NEW.fee_yen IS NOT OLD.fee_yen
        BEGIN SELECT RAISE(ABORT, 'a card payment''s fee is booked once'); END;
        CREATE TABLE stripe_events (
            event_id TEXT PRIMARY KEY,
            event_type TEXT NOT NULL,
            intent_id TEXT,
            received_at INTEGER NOT NULL
        );
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
