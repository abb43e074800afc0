"""Migration 0044_crm_profiles_consents_segments: what CRM keeps of customers (issue 19), and
when a voucher sold to nobody was handed over.

- `voucher_handovers` (the ledger's): the moment a voucher held by nobody (sold at the counter,
  a gift's link) went to a customer. Append-only, one row per voucher. Filled from the web's
  hand-over links taken before this migration (`web_handovers.taken_at`); a voucher given to a
  refund claimant before it has none and counts as held from its issue.
- `customer_profiles`: kana, phone, birthday, postcode, gender (optional), head office's notes,
  and the short note the counter sees when it scans (お声がけ); one row per customer.
- `customer_tags`: head office's tags, one row per customer and tag.
- `consent_events`: each consent given or withdrawn (特定電子メール法 3条2項, 規則4条): the
  customer, the address it was for, the purpose, when, how (`method`), the wording shown and
  who recorded it. Append-only, numbered in order (`seq`): the customer's consent now is their
  latest event.
- `segments`: saved filters over customers (`filters`, JSON, checked by node/crm/segments.py).
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE voucher_handovers (
            voucher_id TEXT PRIMARY KEY REFERENCES vouchers(voucher_id),
            customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            handed_over_at INTEGER NOT NULL
        );
        INSERT INTO voucher_handovers (voucher_id, customer_id, handed_over_at)
            SELECT voucher_id, taken_by, taken_at FROM web_handovers WHERE taken_by IS NOT NULL;
        CREATE TRIGGER voucher_handovers_no_update BEFORE UPDATE ON voucher_handovers
        BEGIN SELECT RAISE(ABORT, 'voucher_handovers is append-only'); END;
        CREATE TRIGGER voucher_handovers_no_delete BEFORE DELETE ON voucher_handovers
        BEGIN SELECT RAISE(ABORT, 'voucher_handovers is append-only'); END;

        CREATE TABLE customer_profiles (
            customer_id TEXT PRIMARY KEY REFERENCES customers(customer_id),
            kana TEXT,
            phone TEXT,
            birthday TEXT CHECK (birthday IS NULL OR birthday GLOB
                '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
            postcode TEXT CHECK (postcode IS NULL OR postcode GLOB
                '[0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]'),
            gender TEXT CHECK (gender IS NULL OR gender IN ('female', 'male', 'other')),
            notes TEXT,
            greeting TEXT,
            updated_at INTEGER NOT NULL,
            updated_by TEXT NOT NULL CHECK (length(updated_by) > 0)
        );
        CREATE INDEX customer_profiles_birth_month
            ON customer_profiles(substr(birthday, 6, 2)) WHERE birthday IS NOT NULL;

        CREATE TABLE customer_tags (
            customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            tag TEXT NOT NULL CHECK (length(tag) BETWEEN 1 AND 40),
            PRIMARY KEY (customer_id, tag)
        ) WITHOUT ROWID;
        CREATE INDEX customer_tags_tag ON customer_tags(tag);

        CREATE TABLE consent_events (
            event_id TEXT PRIMARY KEY,
            seq INTEGER NOT NULL UNIQUE CHECK (typeof(seq) = 'integer' AND seq > 0),
            customer_id TEXT NOT NULL REFERENCES customers(customer_id),
            address TEXT,
            purpose TEXT NOT NULL CHECK (purpose IN ('marketing_email')),
            granted INTEGER NOT NULL CHECK (granted IN (0, 1)),
            method TEXT NOT NULL CHECK (method IN
                ('console', 'wallet', 'cli', 'api', 'signup', 'unsubscribe_link', 'one_click')),
            wording TEXT NOT NULL CHECK (length(wording) > 0),
            actor TEXT NOT NULL CHECK (length(actor) > 0),
            recorded_at INTEGER NOT NULL
        );
        CREATE INDEX consent_events_customer ON consent_events(customer_id, purpose, seq);
        CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events
        BEGIN SELECT RAISE(ABORT, 'consent_events is append-only'); END;
        CREATE TRIGGER consent_events_no_delete BEFORE DELETE ON consent_events
        BEGIN SELECT RAISE(ABORT, 'consent_events is append-only'); END;

        CREATE TABLE segments (
            segment_id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
            filters TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL CHECK (length(created_by) > 0),
            updated_at INTEGER NOT NULL
        );
"""


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
