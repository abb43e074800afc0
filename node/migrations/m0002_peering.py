"""Migration 0002_peering, released: frozen. Never edit it; a change is a new migration.

Peering tables: partners, invites, per-channel sequence state, inbox and durable outbox, delivery
progress, our keys and our partners' keys.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
        CREATE TABLE peers (
            node_id TEXT PRIMARY KEY CHECK (length(node_id) = 52),
            name TEXT NOT NULL,
            url TEXT NOT NULL CHECK (url LIKE 'http://%' OR url LIKE 'https://%'),
            status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'suspended', 'removed')),
            they_registered INTEGER NOT NULL DEFAULT 0 CHECK (they_registered IN (0, 1)),
            max_receivable_yen INTEGER CHECK (max_receivable_yen IS NULL OR max_receivable_yen >= 0),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            CHECK (status != 'active' OR they_registered = 1)
        );

        CREATE TABLE invites (
            invite_id TEXT PRIMARY KEY,
            secret_hash BLOB NOT NULL CHECK (length(secret_hash) = 32),
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            used_at INTEGER,
            used_by TEXT
        );

        -- What we last accepted from each partner: the next message must be seq + 1 and name it.
        CREATE TABLE channels_in (
            peer TEXT PRIMARY KEY,
            last_seq INTEGER NOT NULL CHECK (last_seq >= 0),
            last_hash BLOB NOT NULL CHECK (length(last_hash) = 32)
        );

        CREATE TABLE channels_out (
            peer TEXT PRIMARY KEY,
            last_seq INTEGER NOT NULL CHECK (last_seq >= 0),
            last_hash BLOB NOT NULL CHECK (length(last_hash) = 32)
        );

        -- Every message accepted from a partner, verbatim, with the signed reply we gave.
        CREATE TABLE inbox (
            peer TEXT NOT NULL,
            msg_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            msg_type TEXT NOT NULL,
            envelope BLOB NOT NULL,
            reply BLOB NOT NULL,
            received_at INTEGER NOT NULL,
            PRIMARY KEY (peer, msg_id),
            UNIQUE (peer, seq)
        );

        -- Every message we send, written in the same transaction as the change that causes it.
        CREATE TABLE outbox (
            peer TEXT NOT NULL,
            seq INTEGER NOT NULL CHECK (seq >= 1),
            msg_id TEXT NOT NULL UNIQUE,
            msg_type TEXT NOT NULL,
            envelope BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (peer, seq)
        );

        -- Delivery progress, kept apart so the outbox itself stays append-only.
        CREATE TABLE deliveries (
            peer TEXT NOT NULL,
            seq INTEGER NOT NULL,
            delivered_at INTEGER,
            reply BLOB,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            last_error TEXT,
            PRIMARY KEY (peer, seq),
            FOREIGN KEY (peer, seq) REFERENCES outbox(peer, seq)
        );
        CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE delivered_at IS NULL;

        -- Keys after the first (whose public half is the node id), ours and our partners'.
        -- Each row holds the rotation notice: the envelope, signed by the key before it.
        CREATE TABLE own_keys (
            position INTEGER PRIMARY KEY CHECK (position >= 1),
            public_key BLOB NOT NULL UNIQUE CHECK (length(public_key) = 32),
            activated_at INTEGER NOT NULL
        );
        CREATE TABLE peer_keys (
            peer TEXT NOT NULL,
            position INTEGER NOT NULL CHECK (position >= 1),
            public_key BLOB NOT NULL CHECK (length(public_key) = 32),
            activated_at INTEGER NOT NULL,
            since_seq INTEGER NOT NULL CHECK (since_seq >= 1),
            notice BLOB NOT NULL,
            PRIMARY KEY (peer, position)
        );

    CREATE TRIGGER inbox_no_update BEFORE UPDATE ON inbox
    BEGIN SELECT RAISE(ABORT, 'inbox is append-only'); END;
    CREATE TRIGGER inbox_no_delete BEFORE DELETE ON inbox
    BEGIN SELECT RAISE(ABORT, 'inbox is append-only'); END;

    CREATE TRIGGER outbox_no_update BEFORE UPDATE ON outbox
    BEGIN SELECT RAISE(ABORT, 'outbox is append-only'); END;
    CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox
    BEGIN SELECT RAISE(ABORT, 'outbox is append-only'); END;

    CREATE TRIGGER own_keys_no_update BEFORE UPDATE ON own_keys
    BEGIN SELECT RAISE(ABORT, 'own_keys is append-only'); END;
    CREATE TRIGGER own_keys_no_delete BEFORE DELETE ON own_keys
    BEGIN SELECT RAISE(ABORT, 'own_keys is append-only'); END;

    CREATE TRIGGER peer_keys_no_update BEFORE UPDATE ON peer_keys
    BEGIN SELECT RAISE(ABORT, 'peer_keys is append-only'); END;
    CREATE TRIGGER peer_keys_no_delete BEFORE DELETE ON peer_keys
    BEGIN SELECT RAISE(ABORT, 'peer_keys is append-only'); END;
    """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
