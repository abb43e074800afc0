"""Migration 0011_storage_node_identity, released: frozen. Never edit it; a change is a new migration.

Which node a database belongs to: recorded at the first start, checked at every start and restore.
"""

# ruff: noqa: E501 (the SQL text is frozen as it was released, long lines included)

from __future__ import annotations

import sqlite3

SQL = """CREATE TABLE node_identity ( singleton INTEGER PRIMARY KEY CHECK (singleton = 1), node_id TEXT NOT NULL CHECK (length(node_id) = 52))"""


def apply(conn: sqlite3.Connection) -> None:
    conn.execute(SQL)
