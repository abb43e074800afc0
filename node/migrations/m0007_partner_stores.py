"""Migration 0007_partner_stores, released: frozen. Never edit it; a change is a new migration.

Each partner's stores as its latest store list said, and the hash of the list each partner last got
from us.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """
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


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
