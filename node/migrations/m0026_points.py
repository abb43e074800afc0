"""Migration 0026_points, released: frozen. Never edit it; a change is a new migration.

Points, member ranks and the membership card (ポイント, 会員ランク, 会員証; issue 17). Points are
free value, not prepaid value: they never touch the yen journal. They have a journal of their own,
in points, with the same rules (every change one balanced entry, append-only):
- `members`: one per customer who has a card: the member number (10 digits, Luhn), the static
  card number (13 digits, Luhn; printable on a plastic card: it may earn, never spend), the secret
  of the rotating card code, and whether the member wants a mail before points expire.
- `member_codes_used`: each rotating card code is used once (member, step, nonce).
- `point_programs`: the program's terms from a moment on (append-only; the row in force at a time
  is the latest whose `effective_from` is not after it): earn `earn_points` per `earn_per_yen`
  yen, the rounding, the expiry policy, the yen value of a point when used, the minimum use.
- `point_store_rates`: a store's own earn rate from a moment on (append-only, same rule).
- `point_campaigns`: a multiplier (percent, 200 = double) at one store or all, for a period.
- `point_entries`, `point_postings`: the points journal. Accounts are `points:<customer id>` (what
  we owe the member: a credit balance), `points_expense:<store or hq>`, `points_used:<store or
  hq>`, `points_breakage`, `points_adjustment`, `points_exchange`, `points_lottery`.
- `point_lots`: each credit of points to a member: when, until when (NULL: no expiry), how many,
  how many remain. The database refuses a negative remainder. The balance is the sum of the
  remainders of the lots not past their expiry.
- `point_lot_moves`: which lots each debit took from (or a return gave back to), and how many.
- `point_requests`: each caller's transaction id once, with the hash of what was asked and the
  answer given: the same id and request answers the first answer; another request is refused.
- `point_purchases`, `point_purchase_lines`: a purchase that earned points (its yen, store, the
  entry) and its optional lines (SKU, name, quantity, amount) for analysis; `returned_at` once.
- `point_shortfalls`: a return that found its points already spent: what could not be taken back,
  and how much of it was settled since, out of points given back to the member later.
- `rank_tables`, `rank_levels`: the rank table from a moment on: the spend window (calendar year,
  or rolling 12 months), the recompute day, and the levels (name, minimum spend, earn multiplier).
- `member_ranks`: each member's rank now, and an explicit manual floor with its end.
- `rank_changes`: every rank change, append-only, with its reason.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE members (
            customer_id TEXT PRIMARY KEY REFERENCES customers(customer_id),
            member_no TEXT NOT NULL UNIQUE CHECK (length(member_no) = 10),
            card_no TEXT NOT NULL UNIQUE CHECK (length(card_no) = 13),
            card_secret BLOB NOT NULL CHECK (length(card_secret) = 32),
            notify_expiry INTEGER NOT NULL DEFAULT 0 CHECK (notify_expiry IN (0, 1)),
            created_at INTEGER NOT NULL
        );
        CREATE TRIGGER members_fixed BEFORE UPDATE ON members
        WHEN NEW.customer_id IS NOT OLD.customer_id OR NEW.member_no IS NOT OLD.member_no
            OR NEW.card_no IS NOT OLD.card_no OR NEW.card_secret IS NOT OLD.card_secret
            OR NEW.created_at IS NOT OLD.created_at
        BEGIN SELECT RAISE(ABORT, 'a member''s numbers never change'); END;
        CREATE TRIGGER members_kept BEFORE DELETE ON members
        BEGIN SELECT RAISE(ABORT, 'members are never deleted'); END;

        CREATE TABLE member_codes_used (
            customer_id TEXT NOT NULL REFERENCES members(customer_id),
            step INTEGER NOT NULL,
            nonce TEXT NOT NULL,
            used_at INTEGER NOT NULL,
            PRIMARY KEY (customer_id, step, nonce)
        ) WITHOUT ROWID;

        CREATE TABLE point_programs (
            version_id TEXT PRIMARY KEY,
            effective_from INTEGER NOT NULL UNIQUE,
            earn_points INTEGER NOT NULL
                CHECK (typeof(earn_points) = 'integer' AND earn_points BETWEEN 0 AND 1000),
            earn_per_yen INTEGER NOT NULL
                CHECK (typeof(earn_per_yen) = 'integer' AND earn_per_yen BETWEEN 1 AND 100000),
            rounding TEXT NOT NULL CHECK (rounding IN ('floor', 'round', 'ceil')),
            expiry_kind TEXT NOT NULL
                CHECK (expiry_kind IN ('days', 'end_of_month', 'end_of_year', 'none')),
            expiry_days INTEGER
                CHECK (expiry_days IS NULL
                    OR (typeof(expiry_days) = 'integer' AND expiry_days BETWEEN 1 AND 3660)),
            point_value_yen INTEGER NOT NULL
                CHECK (typeof(point_value_yen) = 'integer' AND point_value_yen BETWEEN 1 AND 100),
            min_use_points INTEGER NOT NULL
                CHECK (typeof(min_use_points) = 'integer' AND min_use_points >= 1),
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            CHECK ((expiry_kind = 'days') = (expiry_days IS NOT NULL))
        );
        CREATE TRIGGER point_programs_no_update BEFORE UPDATE ON point_programs
        BEGIN SELECT RAISE(ABORT, 'point_programs is append-only'); END;
        CREATE TRIGGER point_programs_no_delete BEFORE DELETE ON point_programs
        BEGIN SELECT RAISE(ABORT, 'point_programs is append-only'); END;

        CREATE TABLE point_store_rates (
            store_id TEXT NOT NULL REFERENCES stores(store_id),
            effective_from INTEGER NOT NULL,
            earn_points INTEGER NOT NULL
                CHECK (typeof(earn_points) = 'integer' AND earn_points BETWEEN 0 AND 1000),
            earn_per_yen INTEGER NOT NULL
                CHECK (typeof(earn_per_yen) = 'integer' AND earn_per_yen BETWEEN 1 AND 100000),
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            PRIMARY KEY (store_id, effective_from)
        );
        CREATE TRIGGER point_store_rates_no_update BEFORE UPDATE ON point_store_rates
        BEGIN SELECT RAISE(ABORT, 'point_store_rates is append-only'); END;
        CREATE TRIGGER point_store_rates_no_delete BEFORE DELETE ON point_store_rates
        BEGIN SELECT RAISE(ABORT, 'point_store_rates is append-only'); END;

        CREATE TABLE point_campaigns (
            campaign_id TEXT PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 80),
            store_id TEXT REFERENCES stores(store_id),
            multiplier_pct INTEGER NOT NULL
                CHECK (typeof(multiplier_pct) = 'integer' AND multiplier_pct BETWEEN 101 AND 2000),
            starts_at INTEGER NOT NULL,
            ends_at INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            cancelled_at INTEGER,
            CHECK (starts_at < ends_at)
        );
        CREATE INDEX point_campaigns_period ON point_campaigns(ends_at, starts_at);
        CREATE TRIGGER point_campaigns_fixed BEFORE UPDATE ON point_campaigns
        WHEN NEW.campaign_id IS NOT OLD.campaign_id OR NEW.name IS NOT OLD.name
            OR NEW.store_id IS NOT OLD.store_id OR NEW.multiplier_pct IS NOT OLD.multiplier_pct
            OR NEW.starts_at IS NOT OLD.starts_at OR NEW.ends_at IS NOT OLD.ends_at
            OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
            OR OLD.cancelled_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a campaign''s terms never change; it is cancelled once'); END;
        CREATE TRIGGER point_campaigns_kept BEFORE DELETE ON point_campaigns
        BEGIN SELECT RAISE(ABORT, 'campaigns are cancelled, never deleted'); END;

        CREATE TABLE point_entries (
            entry_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('earn', 'use', 'return', 'use_return', 'adjust',
                'expire', 'exchange', 'exchange_cancel', 'lottery', 'lottery_refund')),
            customer_id TEXT NOT NULL REFERENCES members(customer_id),
            created_at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            reason TEXT
        );
        CREATE INDEX point_entries_member ON point_entries(customer_id, created_at);
        CREATE INDEX point_entries_time ON point_entries(created_at);
        CREATE TABLE point_postings (
            entry_id TEXT NOT NULL REFERENCES point_entries(entry_id),
            line INTEGER NOT NULL,
            account TEXT NOT NULL,
            points INTEGER NOT NULL CHECK (typeof(points) = 'integer' AND points != 0),
            PRIMARY KEY (entry_id, line)
        ) WITHOUT ROWID;
        CREATE INDEX point_postings_account ON point_postings(account);
        CREATE TRIGGER point_entries_no_update BEFORE UPDATE ON point_entries
        BEGIN SELECT RAISE(ABORT, 'point_entries is append-only'); END;
        CREATE TRIGGER point_entries_no_delete BEFORE DELETE ON point_entries
        BEGIN SELECT RAISE(ABORT, 'point_entries is append-only'); END;
        CREATE TRIGGER point_postings_no_update BEFORE UPDATE ON point_postings
        BEGIN SELECT RAISE(ABORT, 'point_postings is append-only'); END;
        CREATE TRIGGER point_postings_no_delete BEFORE DELETE ON point_postings
        BEGIN SELECT RAISE(ABORT, 'point_postings is append-only'); END;

        CREATE TABLE point_lots (
            lot_id TEXT PRIMARY KEY,
            customer_id TEXT NOT NULL REFERENCES members(customer_id),
            entry_id TEXT NOT NULL REFERENCES point_entries(entry_id),
            earned_at INTEGER NOT NULL,
            expires_at INTEGER,
            points INTEGER NOT NULL CHECK (typeof(points) = 'integer' AND points > 0),
            remaining INTEGER NOT NULL
                CHECK (typeof(remaining) = 'integer' AND remaining BETWEEN 0 AND points),
            expired_at INTEGER,
            CHECK (expires_at IS NULL OR expires_at > earned_at),
            CHECK (expired_at IS NULL OR remaining = 0)
        );
        CREATE INDEX point_lots_open ON point_lots(customer_id, expires_at) WHERE remaining > 0;
        CREATE INDEX point_lots_due ON point_lots(expires_at) WHERE remaining > 0;
        CREATE TRIGGER point_lots_fixed BEFORE UPDATE ON point_lots
        WHEN NEW.lot_id IS NOT OLD.lot_id OR NEW.customer_id IS NOT OLD.customer_id
            OR NEW.entry_id IS NOT OLD.entry_id OR NEW.earned_at IS NOT OLD.earned_at
            OR NEW.expires_at IS NOT OLD.expires_at OR NEW.points IS NOT OLD.points
            OR OLD.expired_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a lot''s terms never change; an expired lot is closed'); END;
        CREATE TRIGGER point_lots_kept BEFORE DELETE ON point_lots
        BEGIN SELECT RAISE(ABORT, 'point_lots are never deleted'); END;

        CREATE TABLE point_lot_moves (
            entry_id TEXT NOT NULL REFERENCES point_entries(entry_id),
            lot_id TEXT NOT NULL REFERENCES point_lots(lot_id),
            points INTEGER NOT NULL CHECK (typeof(points) = 'integer' AND points != 0),
            PRIMARY KEY (entry_id, lot_id)
        ) WITHOUT ROWID;
        CREATE INDEX point_lot_moves_lot ON point_lot_moves(lot_id);
        CREATE TRIGGER point_lot_moves_no_update BEFORE UPDATE ON point_lot_moves
        BEGIN SELECT RAISE(ABORT, 'point_lot_moves is append-only'); END;
        CREATE TRIGGER point_lot_moves_no_delete BEFORE DELETE ON point_lot_moves
        BEGIN SELECT RAISE(ABORT, 'point_lot_moves is append-only'); END;

        CREATE TABLE point_requests (
            txn_id TEXT PRIMARY KEY CHECK (length(txn_id) BETWEEN 1 AND 64),
            operation TEXT NOT NULL,
            request_hash BLOB NOT NULL CHECK (length(request_hash) = 32),
            response TEXT NOT NULL,
            entry_id TEXT REFERENCES point_entries(entry_id),
            customer_id TEXT REFERENCES members(customer_id),
            caller TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE TRIGGER point_requests_no_update BEFORE UPDATE ON point_requests
        BEGIN SELECT RAISE(ABORT, 'point_requests is append-only'); END;
        CREATE TRIGGER point_requests_no_delete BEFORE DELETE ON point_requests
        BEGIN SELECT RAISE(ABORT, 'point_requests is append-only'); END;

        CREATE TABLE point_purchases (
            txn_id TEXT PRIMARY KEY,
            customer_id TEXT NOT NULL REFERENCES members(customer_id),
            store_id TEXT REFERENCES stores(store_id),
            purchase_yen INTEGER NOT NULL
                CHECK (typeof(purchase_yen) = 'integer' AND purchase_yen >= 0),
            points INTEGER NOT NULL CHECK (typeof(points) = 'integer' AND points >= 0),
            entry_id TEXT REFERENCES point_entries(entry_id),
            created_at INTEGER NOT NULL,
            returned_at INTEGER,
            return_entry_id TEXT REFERENCES point_entries(entry_id)
        );
        CREATE INDEX point_purchases_member ON point_purchases(customer_id, created_at);
        CREATE INDEX point_purchases_time ON point_purchases(created_at);
        CREATE TRIGGER point_purchases_fixed BEFORE UPDATE ON point_purchases
        WHEN NEW.txn_id IS NOT OLD.txn_id OR NEW.customer_id IS NOT OLD.customer_id
            OR NEW.store_id IS NOT OLD.store_id OR NEW.purchase_yen IS NOT OLD.purchase_yen
            OR NEW.points IS NOT OLD.points OR NEW.entry_id IS NOT OLD.entry_id
            OR NEW.created_at IS NOT OLD.created_at OR OLD.returned_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a purchase is returned once, and never changes'); END;
        CREATE TRIGGER point_purchases_kept BEFORE DELETE ON point_purchases
        BEGIN SELECT RAISE(ABORT, 'point_purchases are never deleted'); END;

        CREATE TABLE point_purchase_lines (
            txn_id TEXT NOT NULL REFERENCES point_purchases(txn_id),
            line INTEGER NOT NULL,
            sku TEXT NOT NULL CHECK (length(sku) BETWEEN 1 AND 64),
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
            quantity INTEGER NOT NULL
                CHECK (typeof(quantity) = 'integer' AND quantity BETWEEN 1 AND 100000),
            amount_yen INTEGER NOT NULL CHECK (typeof(amount_yen) = 'integer' AND amount_yen >= 0),
            PRIMARY KEY (txn_id, line)
        ) WITHOUT ROWID;
        CREATE INDEX point_purchase_lines_sku ON point_purchase_lines(sku);

        CREATE TABLE point_shortfalls (
            txn_id TEXT PRIMARY KEY REFERENCES point_purchases(txn_id),
            customer_id TEXT NOT NULL REFERENCES members(customer_id),
            entry_id TEXT REFERENCES point_entries(entry_id),
            points INTEGER NOT NULL CHECK (typeof(points) = 'integer' AND points > 0),
            settled INTEGER NOT NULL DEFAULT 0
                CHECK (typeof(settled) = 'integer' AND settled BETWEEN 0 AND points),
            created_at INTEGER NOT NULL
        );
        CREATE INDEX point_shortfalls_open ON point_shortfalls(customer_id, created_at)
            WHERE settled < points;
        CREATE TRIGGER point_shortfalls_fixed BEFORE UPDATE ON point_shortfalls
        WHEN NEW.txn_id IS NOT OLD.txn_id OR NEW.customer_id IS NOT OLD.customer_id
            OR NEW.entry_id IS NOT OLD.entry_id OR NEW.points IS NOT OLD.points
            OR NEW.created_at IS NOT OLD.created_at OR NEW.settled < OLD.settled
        BEGIN SELECT RAISE(ABORT, 'a shortfall only gets settled'); END;
        CREATE TRIGGER point_shortfalls_kept BEFORE DELETE ON point_shortfalls
        BEGIN SELECT RAISE(ABORT, 'point_shortfalls are never deleted'); END;
        CREATE INDEX point_shortfalls_time ON point_shortfalls(created_at);

        CREATE TABLE rank_tables (
            version_id TEXT PRIMARY KEY,
            effective_from INTEGER NOT NULL UNIQUE,
            spend_window TEXT NOT NULL CHECK (spend_window IN ('calendar_year', 'rolling_12_months')),
            recompute_month INTEGER NOT NULL CHECK (recompute_month BETWEEN 1 AND 12),
            recompute_day INTEGER NOT NULL CHECK (recompute_day BETWEEN 1 AND 28),
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL
        );
        CREATE TABLE rank_levels (
            version_id TEXT NOT NULL REFERENCES rank_tables(version_id),
            position INTEGER NOT NULL CHECK (position BETWEEN 0 AND 20),
            name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 40),
            min_spend_yen INTEGER NOT NULL
                CHECK (typeof(min_spend_yen) = 'integer' AND min_spend_yen >= 0),
            multiplier_pct INTEGER NOT NULL
                CHECK (typeof(multiplier_pct) = 'integer' AND multiplier_pct BETWEEN 100 AND 1000),
            PRIMARY KEY (version_id, position),
            UNIQUE (version_id, name)
        ) WITHOUT ROWID;
        CREATE TRIGGER rank_tables_no_update BEFORE UPDATE ON rank_tables
        BEGIN SELECT RAISE(ABORT, 'rank_tables is append-only'); END;
        CREATE TRIGGER rank_levels_no_update BEFORE UPDATE ON rank_levels
        BEGIN SELECT RAISE(ABORT, 'rank_levels is append-only'); END;

        CREATE TABLE member_ranks (
            customer_id TEXT PRIMARY KEY REFERENCES members(customer_id),
            rank_name TEXT NOT NULL,
            position INTEGER NOT NULL,
            multiplier_pct INTEGER NOT NULL
                CHECK (typeof(multiplier_pct) = 'integer' AND multiplier_pct BETWEEN 100 AND 1000),
            since INTEGER NOT NULL,
            floor_name TEXT,
            floor_position INTEGER,
            floor_until INTEGER,
            CHECK ((floor_name IS NULL) = (floor_until IS NULL)
                AND (floor_name IS NULL) = (floor_position IS NULL))
        );
        CREATE TABLE rank_changes (
            change_id TEXT PRIMARY KEY,
            customer_id TEXT NOT NULL REFERENCES members(customer_id),
            from_name TEXT,
            to_name TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (reason IN ('upgrade', 'recompute', 'manual', 'floor_end')),
            created_at INTEGER NOT NULL,
            actor TEXT NOT NULL
        );
        CREATE INDEX rank_changes_member ON rank_changes(customer_id, created_at);
        CREATE TRIGGER rank_changes_no_update BEFORE UPDATE ON rank_changes
        BEGIN SELECT RAISE(ABORT, 'rank_changes is append-only'); END;
        CREATE TRIGGER rank_changes_no_delete BEFORE DELETE ON rank_changes
        BEGIN SELECT RAISE(ABORT, 'rank_changes is append-only'); END;
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
