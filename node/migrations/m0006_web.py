"""Migration 0006_web, released: frozen. Never edit it; a change is a new migration.

Web tables: accounts and their roles, sessions, one-time sign-in links, voucher hand-overs.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        -- Admin and staff sign in with a login name and an argon2id password, customers with a
        -- one-time link to their email (login = the email), so they have no password.
        CREATE TABLE web_accounts (
            account_id TEXT PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'customer')),
            login TEXT NOT NULL UNIQUE CHECK (length(trim(login)) > 0),
            display_name TEXT NOT NULL CHECK (length(trim(display_name)) > 0),
            password_hash TEXT,
            customer_id TEXT UNIQUE REFERENCES customers(customer_id),
            created_at INTEGER NOT NULL,
            disabled_at INTEGER,
            CHECK ((role = 'customer') = (customer_id IS NOT NULL)),
            CHECK (role = 'customer' OR password_hash IS NOT NULL)
        );

        -- The stores a staff member may redeem and sell at.
        CREATE TABLE web_staff_stores (
            account_id TEXT NOT NULL REFERENCES web_accounts(account_id),
            store_id TEXT NOT NULL REFERENCES stores(store_id),
            PRIMARY KEY (account_id, store_id)
        ) WITHOUT ROWID;

        -- The cookie holds a random token, only its SHA-256 is stored, so a copy of the database
        -- signs nobody in. `store_id` is the store a staff member works at in this session.
        CREATE TABLE web_sessions (
            token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
            account_id TEXT NOT NULL REFERENCES web_accounts(account_id),
            csrf TEXT NOT NULL,
            store_id TEXT REFERENCES stores(store_id),
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        );
        CREATE INDEX web_sessions_account ON web_sessions(account_id);

        -- One-time sign-in links sent by email (hash of the token only), `next` is where to go after.
        CREATE TABLE web_login_links (
            token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
            email TEXT NOT NULL,
            next_path TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            used_at INTEGER
        );

        -- A voucher waiting for its customer: sold at the counter, or a gift. Whoever opens the
        -- link (a QR) and signs in receives it, once.
        CREATE TABLE web_handovers (
            token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
            voucher_id TEXT NOT NULL UNIQUE REFERENCES vouchers(voucher_id),
            kind TEXT NOT NULL CHECK (kind IN ('sale', 'gift')),
            from_customer TEXT REFERENCES customers(customer_id),
            created_at INTEGER NOT NULL,
            taken_by TEXT REFERENCES customers(customer_id),
            taken_at INTEGER,
            CHECK ((taken_by IS NULL) = (taken_at IS NULL))
        );
"""


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
