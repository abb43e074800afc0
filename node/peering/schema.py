"""Peering tables: partners, invites, per-channel sequence state, inbox and durable outbox."""

from __future__ import annotations

import sqlite3

from node.db import append_only, run_script

PEERING_SCHEMA = """
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
"""


def create_peering_tables(conn: sqlite3.Connection) -> None:
    tables = ("inbox", "outbox", "own_keys", "peer_keys")
    run_script(conn, PEERING_SCHEMA + "".join(append_only(table) for table in tables))


def index_pending_deliveries(conn: sqlite3.Connection) -> None:
    """The outbox asks for a partner's lowest undelivered messages; without this index SQLite
    walks every message ever delivered to that partner first (measured: claims/s fell by half
    between the first and third thousand)."""
    conn.execute(
        "CREATE INDEX deliveries_pending ON deliveries(peer, seq) WHERE delivered_at IS NULL"
    )


PARTNER_STORES_SCHEMA = """
        -- Each partner's stores as its latest store_list said (replaced whole by the next one).
        CREATE TABLE partner_stores (
            peer TEXT NOT NULL REFERENCES peers(node_id),
            store_id TEXT NOT NULL,
            name TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            PRIMARY KEY (peer, store_id)
        ) WITHOUT ROWID;

        -- The hash of the store list each partner last got from us.
        CREATE TABLE store_lists_sent (
            peer TEXT PRIMARY KEY REFERENCES peers(node_id),
            list_hash BLOB NOT NULL CHECK (length(list_hash) = 32),
            sent_at INTEGER NOT NULL
        );
"""


def create_partner_store_tables(conn: sqlite3.Connection) -> None:
    run_script(conn, PARTNER_STORES_SCHEMA)


PARKED_SCHEMA = """
        -- A message the partner refused for good waits, parked, for the admin (docs/protocol.md,
        -- "Parked messages"). A dropped one is never sent again and frees its position.
        ALTER TABLE deliveries ADD COLUMN parked_at INTEGER;
        ALTER TABLE deliveries ADD COLUMN parked_code TEXT;
        ALTER TABLE deliveries ADD COLUMN parked_message TEXT;
        ALTER TABLE deliveries ADD COLUMN dropped_at INTEGER;

        -- Later signed versions of a channel position the partner never accepted (re-signed with
        -- a fresh window, or a new message where a dropped one was). The first version stays in
        -- `outbox`; the newest is the one sent.
        CREATE TABLE outbox_versions (
            peer TEXT NOT NULL,
            seq INTEGER NOT NULL,
            version INTEGER NOT NULL CHECK (version >= 2),
            msg_id TEXT NOT NULL,
            msg_type TEXT NOT NULL,
            envelope BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (peer, seq, version),
            FOREIGN KEY (peer, seq) REFERENCES outbox(peer, seq)
        );

        CREATE VIEW outbox_current AS
        SELECT o.peer AS peer, o.seq AS seq,
               coalesce(v.msg_id, o.msg_id) AS msg_id,
               coalesce(v.msg_type, o.msg_type) AS msg_type,
               coalesce(v.envelope, o.envelope) AS envelope,
               coalesce(v.version, 1) AS version
        FROM outbox o LEFT JOIN outbox_versions v
          ON v.peer = o.peer AND v.seq = o.seq
         AND v.version = (SELECT max(w.version) FROM outbox_versions w
                          WHERE w.peer = o.peer AND w.seq = o.seq);
"""


def create_parked_tables(conn: sqlite3.Connection) -> None:
    run_script(conn, PARKED_SCHEMA + append_only("outbox_versions"))
