"""Migration 0038_campaign_eligibility: how residents prove they may take part in a campaign
(issue 18); the proofs themselves are 0035's `campaign_verifications`.

- `campaign_serials`: the printed serial codes, by SHA-256 only; `used_by`/`used_at` set once.
- `campaign_codes`: the one pending one-time code per resident, campaign and channel (email or
  sms): its salted hash, where it was sent, when it expires and the tries left.
- `campaign_login_states`: a LINE Login in progress (state's hash, nonce, PKCE verifier).
- `campaign_passkey_challenges`: a passkey registration in progress (its challenge).
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE campaign_serials (
            serial_hash BLOB PRIMARY KEY CHECK (length(serial_hash) = 32),
            campaign_id TEXT NOT NULL REFERENCES campaigns(campaign_id),
            created_at INTEGER NOT NULL,
            used_by TEXT,
            used_at INTEGER,
            CHECK ((used_by IS NULL) = (used_at IS NULL))
        ) WITHOUT ROWID;
        CREATE INDEX campaign_serials_campaign ON campaign_serials(campaign_id, used_at);
        CREATE TRIGGER campaign_serials_used_once BEFORE UPDATE ON campaign_serials
        WHEN OLD.used_by IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a used serial code never changes'); END;

        CREATE TABLE campaign_codes (
            campaign_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
            subject TEXT NOT NULL,
            salt BLOB NOT NULL,
            code_hash BLOB NOT NULL,
            sent_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            tries_left INTEGER NOT NULL CHECK (tries_left >= 0),
            PRIMARY KEY (campaign_id, customer_id, channel)
        ) WITHOUT ROWID;

        CREATE TABLE campaign_login_states (
            state_hash BLOB PRIMARY KEY,
            campaign_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            nonce TEXT NOT NULL,
            code_verifier TEXT NOT NULL,
            expires_at INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE campaign_passkey_challenges (
            campaign_id TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            challenge BLOB NOT NULL,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (campaign_id, customer_id)
        ) WITHOUT ROWID;

        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
