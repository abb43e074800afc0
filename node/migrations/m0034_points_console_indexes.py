"""Migration 0034_points_console_indexes, released: frozen. Never edit it; a change is a new migration.

Two indexes so the console's points figures never read the whole points journal (issue 17):
- `point_entries_time`: the entries of one kind in a period (earned, used, expired this month on
  the console's home) found by range, not by reading every entry ever made.
- `point_lots_live`: the lots with points left, with their expiry and remainder in the index
  itself, so the points outstanding (the liability: the sum of the live lots' remainders) is read
  from the lots still open; spent and expired lots leave it, so it grows with what is owed now,
  not with the history.
"""

from __future__ import annotations

import sqlite3

from node.db import run_script

SQL = """CREATE INDEX point_entries_time ON point_entries (kind, created_at);
        CREATE INDEX point_lots_live ON point_lots (expires_at, remaining) WHERE remaining > 0;
        """


def apply(conn: sqlite3.Connection) -> None:
    run_script(conn, SQL)
