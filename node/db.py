"""The node's SQLite database: connection settings and the runner of named, recorded migrations.

The migrations themselves live beside the code that owns the tables (see node/migrations.py).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

Migration = Callable[[sqlite3.Connection], None]

# Each commit writes every page it dirtied to the WAL, and a redemption dirties a leaf in several
# indexes keyed by voucher (random positions). Smaller pages halve those bytes: measured ~20 % less
# writer time per redemption than SQLite's default 4,096 (docs/performance.md). Applies to new
# databases only; SQLite fixes the page size when the first table is created.
PAGE_SIZE = 2048


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (we issue BEGIN ourselves), WAL, fsync on every commit."""
    if read_only:
        conn = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
        )
    else:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    configure(conn)
    return conn


def configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    # Checkpoints copy the WAL into the database with their own fsyncs; doing that every 1,000
    # pages (SQLite's default) stalls the single writer often. 64 MiB of WAL between checkpoints.
    conn.execute("PRAGMA wal_autocheckpoint = 16384")
    conn.execute("PRAGMA cache_size = -65536")


def append_only(table: str) -> str:
    return f"""
    CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
    BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;
    CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
    BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;
    """


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one inside the caller's transaction (executescript would COMMIT)."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                conn.execute(pending)
            pending = ""
    if pending.strip(" \n;"):
        raise ValueError("incomplete SQL statement at the end of a migration script")


def migrate(conn: sqlite3.Connection, migrations: tuple[tuple[str, Migration], ...]) -> list[str]:
    """Apply every migration not yet recorded, each in its own transaction; return their names."""
    conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # ignored unless the database is still empty
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
    applied = []
    for name, migration in migrations:
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            migration(conn)
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (name, int(time.time())))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
