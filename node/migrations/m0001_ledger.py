"""Migration 0001_ledger, released: frozen. Never edit it; a change is a new migration.

The ledger's tables: stores, customers, vouchers, the double-entry journal and its postings,
redemptions and their voids, used codes, counters. CHECK constraints refuse a negative voucher
balance; triggers refuse an unbalanced journal entry, a posting added to a sealed entry, any UPDATE
or DELETE of the journal, and a voucher status change outside the lifecycle table.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE stores (
            store_id TEXT PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            created_at INTEGER NOT NULL
        );
        CREATE TABLE customers (
            customer_id TEXT PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            email TEXT UNIQUE,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE vouchers (
            voucher_id TEXT PRIMARY KEY,
            face_yen INTEGER NOT NULL CHECK (typeof(face_yen) = 'integer' AND face_yen > 0),
            price_yen INTEGER NOT NULL
                CHECK (typeof(price_yen) = 'integer' AND price_yen BETWEEN 0 AND face_yen),
            balance_yen INTEGER NOT NULL DEFAULT 0
                CHECK (typeof(balance_yen) = 'integer' AND balance_yen >= 0),
            status TEXT NOT NULL CHECK (status IN ('active', 'exhausted', 'expired', 'void')),
            holder_id TEXT REFERENCES customers(customer_id),
            store_id TEXT REFERENCES stores(store_id),
            created_at INTEGER NOT NULL,
            expires_at INTEGER,
            is_gift INTEGER NOT NULL CHECK (is_gift IN (0, 1)),
            has_given_gift INTEGER NOT NULL DEFAULT 0 CHECK (has_given_gift IN (0, 1)),
            gifted_from TEXT REFERENCES vouchers(voucher_id),
            secret BLOB NOT NULL CHECK (length(secret) = 32),
            CHECK (NOT (is_gift = 1 AND has_given_gift = 1)),
            CHECK (is_gift = (gifted_from IS NOT NULL))
        );
        CREATE INDEX vouchers_holder ON vouchers(holder_id);
        CREATE INDEX vouchers_expiry ON vouchers(expires_at) WHERE status = 'active';

        CREATE TRIGGER vouchers_lifecycle BEFORE UPDATE OF status ON vouchers
        WHEN OLD.status != NEW.status AND NOT (
            (OLD.status = 'active' AND NEW.status IN ('exhausted', 'expired', 'void'))
            OR (OLD.status = 'exhausted' AND NEW.status = 'active'))
        BEGIN SELECT RAISE(ABORT, 'voucher status change not allowed'); END;

        CREATE TRIGGER vouchers_fixed BEFORE UPDATE ON vouchers
        WHEN NEW.voucher_id IS NOT OLD.voucher_id OR NEW.face_yen IS NOT OLD.face_yen
            OR NEW.price_yen IS NOT OLD.price_yen OR NEW.created_at IS NOT OLD.created_at
            OR NEW.secret IS NOT OLD.secret OR NEW.is_gift IS NOT OLD.is_gift
            OR NEW.gifted_from IS NOT OLD.gifted_from OR NEW.expires_at IS NOT OLD.expires_at
            OR (OLD.has_given_gift = 1 AND NEW.has_given_gift = 0)
        BEGIN SELECT RAISE(ABORT, 'voucher terms cannot change'); END;

        CREATE TRIGGER vouchers_no_delete BEFORE DELETE ON vouchers
        BEGIN SELECT RAISE(ABORT, 'vouchers are never deleted'); END;

        CREATE TABLE journal (
            txn_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL
                CHECK (kind IN ('issue', 'redeem', 'void_redemption', 'gift', 'expire')),
            created_at INTEGER NOT NULL
        );
        CREATE TABLE postings (
            txn_id TEXT NOT NULL REFERENCES journal(txn_id) DEFERRABLE INITIALLY DEFERRED,
            line INTEGER NOT NULL,
            account TEXT NOT NULL CHECK (length(account) > 0),
            amount_yen INTEGER NOT NULL CHECK (typeof(amount_yen) = 'integer' AND amount_yen != 0),
            PRIMARY KEY (txn_id, line)
        ) WITHOUT ROWID;
        CREATE INDEX postings_account ON postings(account);

        -- Postings come first, then the journal row seals them: it must balance and have 2+ lines.
        CREATE TRIGGER postings_sealed BEFORE INSERT ON postings
        WHEN EXISTS (SELECT 1 FROM journal WHERE txn_id = NEW.txn_id)
        BEGIN SELECT RAISE(ABORT, 'journal entry is already sealed'); END;

        CREATE TRIGGER postings_voucher_exists BEFORE INSERT ON postings
        WHEN substr(NEW.account, 1, 8) = 'voucher:' AND NOT EXISTS
            (SELECT 1 FROM vouchers WHERE voucher_id = substr(NEW.account, 9))
        BEGIN SELECT RAISE(ABORT, 'posting to an unknown voucher'); END;

        -- A voucher balance is the credit balance of its liability account, kept by the database.
        CREATE TRIGGER postings_voucher_balance AFTER INSERT ON postings
        WHEN substr(NEW.account, 1, 8) = 'voucher:'
        BEGIN
            UPDATE vouchers SET balance_yen = balance_yen - NEW.amount_yen
            WHERE voucher_id = substr(NEW.account, 9);
        END;

        CREATE TRIGGER journal_balanced BEFORE INSERT ON journal
        WHEN (SELECT count(*) FROM postings WHERE txn_id = NEW.txn_id) < 2
            OR (SELECT sum(amount_yen) FROM postings WHERE txn_id = NEW.txn_id) != 0
        BEGIN SELECT RAISE(ABORT, 'journal entry does not balance'); END;

        CREATE TABLE redemptions (
            redemption_id TEXT PRIMARY KEY,
            voucher_id TEXT NOT NULL REFERENCES vouchers(voucher_id),
            store_id TEXT NOT NULL REFERENCES stores(store_id),
            amount_yen INTEGER NOT NULL CHECK (typeof(amount_yen) = 'integer' AND amount_yen > 0),
            receipt_no TEXT NOT NULL UNIQUE,
            txn_id TEXT NOT NULL REFERENCES journal(txn_id),
            created_at INTEGER NOT NULL
        );
        CREATE INDEX redemptions_voucher ON redemptions(voucher_id);
        CREATE INDEX redemptions_store_time ON redemptions(store_id, created_at);

        CREATE TABLE redemption_voids (
            redemption_id TEXT PRIMARY KEY REFERENCES redemptions(redemption_id),
            txn_id TEXT NOT NULL UNIQUE REFERENCES journal(txn_id),
            voided_at INTEGER NOT NULL
        );

        -- One row per accepted voucher code, pruned once its step is long past.
        CREATE TABLE used_codes (
            voucher_id TEXT NOT NULL,
            step INTEGER NOT NULL,
            nonce TEXT NOT NULL,
            PRIMARY KEY (voucher_id, step, nonce)
        ) WITHOUT ROWID;

        CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
        INSERT INTO counters VALUES ('receipt', 0);

    CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
    BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
    CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
    BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;

    CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings
    BEGIN SELECT RAISE(ABORT, 'postings is append-only'); END;
    CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings
    BEGIN SELECT RAISE(ABORT, 'postings is append-only'); END;

    CREATE TRIGGER redemptions_no_update BEFORE UPDATE ON redemptions
    BEGIN SELECT RAISE(ABORT, 'redemptions is append-only'); END;
    CREATE TRIGGER redemptions_no_delete BEFORE DELETE ON redemptions
    BEGIN SELECT RAISE(ABORT, 'redemptions is append-only'); END;

    CREATE TRIGGER redemption_voids_no_update BEFORE UPDATE ON redemption_voids
    BEGIN SELECT RAISE(ABORT, 'redemption_voids is append-only'); END;
    CREATE TRIGGER redemption_voids_no_delete BEFORE DELETE ON redemption_voids
    BEGIN SELECT RAISE(ABORT, 'redemption_voids is append-only'); END;
    """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
