"""The node's SQLite database: connection settings and the runner of named, recorded migrations.

The migrations themselves are frozen SQL, one module each, in node/migrations/.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from node.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseReadOnly,
    DiskFull,
    StorageError,
    StorageIOError,
)

Migration = Callable[[sqlite3.Connection], None]

# Each commit writes every page it dirtied to the WAL, and a redemption dirties a leaf in several
# indexes keyed by voucher (random positions). Smaller pages halve those bytes: measured ~20 % less
# writer time per redemption than SQLite's default 4,096 (docs/performance.md). Applies to new
# databases only; SQLite fixes the page size when the first table is created.
PAGE_SIZE = 2048


# The database holds every voucher's secret: only the node's user may read it, and its -wal and
# -shm files, which SQLite creates with the database file's mode.
SECRET_MODE = 0o600
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")


def secure_files(path: Path) -> None:
    """Create the database file 0600 if it does not exist yet; nobody but its owner may read it or
    its -wal/-shm."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, SECRET_MODE))
    for file in (path, *(path.with_name(path.name + s) for s in COMPANION_SUFFIXES)):
        with contextlib.suppress(FileNotFoundError):
            mode = file.stat().st_mode & 0o777
            if mode & 0o077:  # only take from group and others: a 0400 file stays read-only
                file.chmod(mode & 0o700)


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (we issue BEGIN ourselves), WAL, fsync on every commit.

    A writable connection first makes the files 0600 (secure_files)."""
    if read_only:
        conn = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
        )
    else:
        secure_files(path)
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    configure(conn)
    return conn


# SQLite's primary result codes for a disk or file that refuses a write: the same for every unit
# of a batch, so they are reported to all, never retried unit by unit (node/writer.py).
_STORAGE_ERRORS: dict[int, type[StorageError]] = {
    sqlite3.SQLITE_FULL: DiskFull,
    sqlite3.SQLITE_READONLY: DatabaseReadOnly,
    sqlite3.SQLITE_CANTOPEN: DatabaseReadOnly,
    sqlite3.SQLITE_IOERR: StorageIOError,
    sqlite3.SQLITE_BUSY: DatabaseBusy,  # another program's lock, past busy_timeout
    sqlite3.SQLITE_CORRUPT: DatabaseDamaged,
    sqlite3.SQLITE_NOTADB: DatabaseDamaged,
}


def storage_error(exc: BaseException) -> StorageError | None:
    """The StorageError for a SQLite error caused by the disk or the file, else None."""
    if not isinstance(exc, sqlite3.Error):
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return None
    kind = _STORAGE_ERRORS.get(code & 0xFF)
    return kind() if kind is not None else None


def configure(conn: sqlite3.Connection) -> None:
    conn.row_factory = sqlite3.Row  # rows are read by column name (issue 14, item 2)
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    # Checkpoints copy the WAL into the database with their own fsyncs; doing that every 1,000
    # pages (SQLite's default) stalls the single writer often. 64 MiB of WAL between checkpoints.
    conn.execute("PRAGMA wal_autocheckpoint = 16384")
    conn.execute("PRAGMA cache_size = -65536")


def open_checked(path: Path) -> sqlite3.Connection:
    """The writer's connection, once the database passed SQLite's quick_check and took a write
    (rolled back): a damaged, foreign or unwritable database is refused before anything is served."""
    try:
        conn = connect(path)
    except OSError as exc:
        raise DatabaseReadOnly(f"{path} cannot be opened for writing: {exc.strerror}.") from exc
    except sqlite3.Error as exc:
        raise _refusal(path, exc) from exc
    try:
        problems = [str(row["quick_check"]) for row in conn.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise DatabaseDamaged(
                f"{path} failed SQLite's quick_check ({problems[0]}); the node will not serve it."
                " Restore the latest backup with `kippu restore FILE`."
            )
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("CREATE TABLE main.kippu_write_probe (x)")
        conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        conn.close()
        raise _refusal(path, exc) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _refusal(path: Path, exc: sqlite3.Error) -> StorageError:
    failure = storage_error(exc) or StorageError()
    failure.message = f"{path}: {exc}. {failure.message}"
    return failure


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one inside the caller's transaction (executescript would COMMIT).

    Frozen: the released migrations run their SQL through it, and tests/test_migrations_frozen.py
    pins its text; a different splitting needs a new runner that old migrations do not use."""
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
    done = set(applied_migrations(conn))
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


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """The names of the migrations recorded as applied (OperationalError: not a Kippu database)."""
    # Unpacked, so that it reads a connection of any row factory (a test's, a tool's).
    return [str(name) for (name,) in conn.execute("SELECT name FROM schema_migrations")]
