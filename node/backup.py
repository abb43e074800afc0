"""`kippu backup` and `kippu restore`: a consistent copy of the live database, and putting one back.

Backup reads one snapshot of the database in a single read transaction (`VACUUM INTO`): in WAL
mode the node's writer goes on committing meanwhile and the copy is exactly the database as of
the moment it began, whatever the load (the sqlite3 shell's `.backup` copies page by page and
starts over whenever the node commits in between, so under steady load it never finishes). The
copy is written 0600 to a temporary file beside the target, checked (integrity, foreign keys, a
Kippu database of a known migration level), fsynced and only then renamed to its name: a file at
the target is always a whole, checked backup.

A backup holds the database only, never `node.key`: the key is kept offline, separately, once
(docs/operations.md, Backups). A backup is never written onto the database, its companions,
its lock or the home's own files. Restore refuses while a node holds the database's lock, checks
the file the same way, refuses a database recorded as another node's or one that does not record
node.key as the node's latest key, moves the current database and its -wal/-shm aside (0600)
with a timestamp suffix, and puts a checked copy in place.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from node import database_identity, db, serving_lock
from node.errors import BackupFailed, BackupInvalid, ConfigError
from node.home import NodeHome
from node.identity import Identity, decode_node_id, load_identity
from node.migrations import MIGRATIONS
from node.peering.rotation import next_key_path, rotated_public_keys


@dataclass(frozen=True)
class BackupCheck:
    """What a checked backup file holds."""

    migrations: int  # how many of the known migrations it has applied
    node_id: str | None  # the node it belongs to; None if it was never served
    rotated_keys: tuple[bytes, ...] = ()  # the node's keys after the first, oldest first


@dataclass(frozen=True)
class BackupMade:
    path: Path
    size_bytes: int
    seconds: float
    check: BackupCheck


@dataclass(frozen=True)
class Restored:
    check: BackupCheck
    kept: list[Path]  # the replaced files, beside the database with a timestamp suffix
    key_recorded: bool  # whether the backup records the key node.key holds


def make_backup(database_path: Path, out: Path) -> BackupMade:
    """Copy the (possibly live) database to `out`, 0600, checked, atomically."""
    started = time.monotonic()
    if not database_path.exists():
        raise BackupFailed(f"{database_path} does not exist; is this the node's home?")
    refuse_home_file(database_path, out)
    staging = out.with_name(f".{out.name}.partial-{os.getpid()}")
    try:
        _create_private(staging)
        source = sqlite3.connect(database_path, isolation_level=None)
        try:
            source.execute("PRAGMA busy_timeout = 5000")
            source.execute("VACUUM INTO ?", (str(staging),))
        finally:
            source.close()
        check = check_backup(staging, error=BackupFailed)
        _fsync(staging)
        os.replace(staging, out)
        _fsync_directory(out.parent)
    except sqlite3.Error as exc:
        raise BackupFailed(f"The backup could not be written: {exc}.") from exc
    except OSError as exc:
        raise BackupFailed(f"{out}: {exc.strerror}.") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            staging.unlink()
    return BackupMade(out, out.stat().st_size, time.monotonic() - started, check)


def refuse_home_file(database_path: Path, out: Path) -> None:
    """BackupFailed if `out` is, by any path, the database, its -wal/-shm/-journal, its lock or
    one of the home's own files: the backup is renamed onto `out`, which would swap the live
    database from under the running node (or replace its key or config)."""
    home = NodeHome(database_path.parent)
    companions = [database_path.with_name(database_path.name + s) for s in db.COMPANION_SUFFIXES]
    protected = {
        database_path: "the node's live database",
        **{path: "the live database's companion file" for path in companions},
        serving_lock.lock_path(database_path): "the lock the running node holds",
        home.key_path: "the node's signing key",
        next_key_path(home.key_path): "the node's staged signing key",
        home.config_path: "the node's configuration",
        home.token_path: "the running node's admin token",
    }
    for path, what in protected.items():
        if _same_file(out, path):
            raise BackupFailed(
                f"--out {out} is {path.name}, {what}: a backup written there would replace it."
                " Write the backup outside the node's home; nothing was written."
            )


def _same_file(a: Path, b: Path) -> bool:
    """The same path once symlinks are resolved, or (when both exist) the same file."""
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return False


def check_backup(
    path: Path, error: type[BackupFailed | BackupInvalid] = BackupInvalid
) -> BackupCheck:
    """Integrity, foreign keys, and a Kippu database whose migrations this version knows."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise error(f"{path} cannot be opened as a database: {exc}.") from exc
    conn.row_factory = sqlite3.Row
    try:
        problems = [str(row["integrity_check"]) for row in conn.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise error(f"{path} is damaged (SQLite's integrity_check: {problems[0]}).")
        if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise error(f"{path} has rows whose foreign keys point nowhere.")
        names = _applied_migrations(conn, path, error)
        node_id = database_identity.recorded_node_id(conn)
        return BackupCheck(len(names), node_id, tuple(rotated_public_keys(conn)))
    except sqlite3.Error as exc:  # not a database at all, or damaged beyond reading
        raise error(f"{path} is not a readable database: {exc}.") from exc
    finally:
        conn.close()


def _applied_migrations(
    conn: sqlite3.Connection, path: Path, error: type[BackupFailed | BackupInvalid]
) -> list[str]:
    try:
        names = db.applied_migrations(conn)
    except sqlite3.OperationalError:
        raise error(f"{path} is not a Kippu database (it has no schema_migrations).") from None
    known = [name for name, _ in MIGRATIONS]
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise error(
            f"{path} was made by a newer Kippu (migrations {', '.join(unknown)}); restore it"
            " with that version."
        )
    if known[0] not in names:
        raise error(f"{path} is not a Kippu database (no {known[0]} migration).")
    return names


def restore_backup(
    home: NodeHome,
    backup: Path,
    now: datetime | None = None,
    *,
    accept_unknown_key: bool = False,
) -> Restored:
    """Put a checked copy of `backup` in place of the home's database; keep what it replaces.

    The backup must record the key node.key holds as the node's latest: a retired key is
    refused, and a key it does not know (made by a later `kippu key rotate`) is refused unless
    `accept_unknown_key` (the node would then sign checkpoints its books cannot vouch for)."""
    database = home.database_path
    staged = database.with_name(database.name + ".restoring")
    with serving_lock.held(database):  # refuses while the node runs, and keeps it from starting
        if not backup.is_file():
            raise BackupInvalid(f"{backup} is not a file.")
        if not home.key_path.exists():
            raise ConfigError(
                [
                    f"{home.key_path} does not exist: put the node's node.key (kept offline) and"
                    " config.toml in the home first; `kippu init` would make another node"
                ]
            )
        identity = load_identity(home.key_path)
        node_id = identity.node_id
        check = check_backup(backup)
        if check.node_id is not None and check.node_id != node_id:
            raise BackupInvalid(
                f"{backup} is a backup of node {check.node_id}, but this home's node.key is node"
                f" {node_id}. Restore it into a home holding that node's node.key."
            )
        key_recorded = _check_key_history(backup, check, identity, accept_unknown_key)
        try:
            _create_private(staged, replace=True)
            with backup.open("rb") as source, staged.open("r+b") as target:
                shutil.copyfileobj(source, target, 1 << 20)
                target.flush()
                os.fsync(target.fileno())
            check_backup(staged)  # the copy, not only the original
            stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
            kept = _move_aside(database, f"replaced-{stamp}")
            os.replace(staged, database)
            _fsync_directory(database.parent)
        finally:
            with contextlib.suppress(FileNotFoundError):
                staged.unlink()
    return Restored(check, kept, key_recorded)


def _check_key_history(
    backup: Path, check: BackupCheck, identity: Identity, accept_unknown_key: bool
) -> bool:
    """Whether the backup records node.key's key as the node's latest; BackupInvalid when the
    key is one it records as retired, or one it does not know and that was not accepted."""
    history = [decode_node_id(identity.node_id), *check.rotated_keys]
    current = bytes(identity.verify_key)
    if current == history[-1]:
        return True
    if current in history:
        raise BackupInvalid(
            f"This home's node.key (key {identity.key_fingerprint}) is a key that a later `kippu"
            f" key rotate` retired, as {backup} records: the node would sign with a key its"
            " partners no longer accept. Put the node's latest node.key in the home; nothing"
            " was replaced."
        )
    if accept_unknown_key:
        return False
    raise BackupInvalid(
        f"{backup} does not record the key this home's node.key holds (key"
        f" {identity.key_fingerprint}): it was made before a `kippu key rotate`. Served with"
        " it, the node would sign checkpoints with a key its books do not list, and `kippu"
        " audit verify` would refuse them. Restore a backup made after the last key rotation;"
        " if there is none, `kippu restore --accept-unknown-key FILE` restores it anyway"
        " (docs/operations.md, Backups). Nothing was replaced."
    )


def _move_aside(database: Path, suffix: str) -> list[Path]:
    """The database and its -wal/-shm, renamed together: a WAL applied to another database file
    is what makes one "malformed", and these may hold commits the backup does not have."""
    kept = []
    for name in (database.name, *(database.name + s for s in db.COMPANION_SUFFIXES)):
        current = database.with_name(name)
        if current.exists():
            target = database.with_name(f"{name}.{suffix}")
            # It holds every voucher's secret, whatever mode an older version left it in.
            os.chmod(current, db.SECRET_MODE)
            os.replace(current, target)
            kept.append(target)
    return kept


def _create_private(path: Path, *, replace: bool = False) -> None:
    if replace:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, db.SECRET_MODE))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
