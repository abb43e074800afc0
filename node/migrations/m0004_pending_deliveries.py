"""Migration 0004_pending_deliveries, released: frozen. Never edit it; a change is a new migration.

The outbox asks for a partner's lowest undelivered messages; without this index SQLite walks every
message ever delivered to that partner first.
"""

from __future__ import annotations

import sqlite3

SQL = """CREATE INDEX deliveries_pending ON deliveries(peer, seq) WHERE delivered_at IS NULL"""


def apply(conn: sqlite3.Connection) -> None:
    conn.execute(SQL)
