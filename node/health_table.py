"""The health_checks table: one row that GET /healthz rewrites through the writer to prove it writes."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable


def touch(now_s: int) -> Callable[[sqlite3.Connection], None]:
    """A unit of work for the writer: a real, tiny write (the row's time of the last check)."""

    def write(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO health_checks (id, checked_at) VALUES (1, ?)"
            " ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
            (now_s,),
        )

    return write
