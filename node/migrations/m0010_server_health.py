"""Migration 0010_server_health, released: frozen. Never edit it; a change is a new migration.

The health_checks table: one row that GET /healthz rewrites through the writer to prove it writes.
"""

from __future__ import annotations

import sqlite3

SQL = """CREATE TABLE health_checks ( id INTEGER PRIMARY KEY CHECK (id = 1), checked_at INTEGER NOT NULL)"""


def apply(conn: sqlite3.Connection) -> None:
    conn.execute(SQL)
