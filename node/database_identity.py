"""Which node a database belongs to: recorded at the first start, checked at every start and restore.

A database holds one node's vouchers, claims and signed log; served under another node's key it
would sign a history that is not that node's. The node id (the first key's public half) is
recorded once and never changes, key rotations included.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from node.errors import DatabaseOfAnotherNode


def recorded_node_id(conn: sqlite3.Connection) -> str | None:
    """The node id the database belongs to; None if it was never served (or predates 0010)."""
    try:
        row = conn.execute("SELECT node_id FROM node_identity").fetchone()
    except sqlite3.OperationalError:  # no such table: a database from before the migration
        return None
    return None if row is None else str(row["node_id"])


def claim_for(node_id: str) -> Callable[[sqlite3.Connection], None]:
    """Writer unit: record `node_id` if no node is recorded; refuse a database of another node."""

    def work(conn: sqlite3.Connection) -> None:
        recorded = recorded_node_id(conn)
        if recorded is None:
            conn.execute("INSERT INTO node_identity (singleton, node_id) VALUES (1, ?)", (node_id,))
        elif recorded != node_id:
            raise DatabaseOfAnotherNode(
                f"This database belongs to node {recorded}, but this home's node.key is node"
                f" {node_id}. Put that node's node.key back, or restore this node's own backup."
            )

    return work
