"""Integration keys in SQLite (table `web_api_keys`): the SQL, and nothing else.

The rules (names, scopes, what a key may call, how a key is checked) are in node/web/api_keys.py."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from node.ledger.rows import from_epoch
from node.ledger.rows import to_epoch as epoch
from node.reads import Reader
from node.web.api_key_model import ApiKey, Scope

_COLUMNS = "key_id, name, scope, secret_hash, created_at, last_used_at, revoked_at"


def _key(row: sqlite3.Row) -> ApiKey:
    last, revoked = row["last_used_at"], row["revoked_at"]
    return ApiKey(
        key_id=str(row["key_id"]),
        name=str(row["name"]),
        scope=Scope(str(row["scope"])),
        secret_hash=bytes(row["secret_hash"]),
        created_at=from_epoch(int(row["created_at"])),
        last_used_at=None if last is None else from_epoch(int(last)),
        revoked_at=None if revoked is None else from_epoch(int(revoked)),
    )


def live_name_exists(conn: sqlite3.Connection, name: str) -> bool:
    found = conn.execute(
        "SELECT 1 FROM web_api_keys WHERE name = ? AND revoked_at IS NULL", (name,)
    ).fetchone()
    return found is not None


def insert_key(conn: sqlite3.Connection, key: ApiKey) -> None:
    conn.execute(
        f"INSERT INTO web_api_keys ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, NULL, NULL)",  # noqa: S608
        (key.key_id, key.name, key.scope.value, key.secret_hash, epoch(key.created_at)),
    )


def revoke_live(conn: sqlite3.Connection, name: str, now: datetime) -> ApiKey | None:
    """Revoke the key in use named `name`; None when there is none."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM web_api_keys WHERE name = ? AND revoked_at IS NULL",  # noqa: S608
        (name,),
    ).fetchone()
    return None if row is None else _revoke_row(conn, row, now)


def revoke_live_id(conn: sqlite3.Connection, key_id: str, now: datetime) -> ApiKey | None:
    """Revoke the key `key_id` if it is still in use; None when it is not (or never was)."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM web_api_keys WHERE key_id = ? AND revoked_at IS NULL",  # noqa: S608
        (key_id,),
    ).fetchone()
    return None if row is None else _revoke_row(conn, row, now)


def _revoke_row(conn: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> ApiKey:
    conn.execute(
        "UPDATE web_api_keys SET revoked_at = ? WHERE key_id = ?", (epoch(now), row["key_id"])
    )
    return _key(row)


def mark_used(conn: sqlite3.Connection, key_id: str, now: datetime) -> None:
    conn.execute(
        "UPDATE web_api_keys SET last_used_at = ? WHERE key_id = ? AND revoked_at IS NULL",
        (epoch(now), key_id),
    )


async def load_key(db: Reader, key_id: str) -> ApiKey | None:
    async with db.execute(
        f"SELECT {_COLUMNS} FROM web_api_keys WHERE key_id = ?",  # noqa: S608
        (key_id,),
    ) as cursor:
        row = await cursor.fetchone()
    return None if row is None else _key(row)


async def list_keys(db: Reader) -> list[ApiKey]:
    """Keys in use first (newest first), then revoked ones (latest revoked first)."""
    rows = await db.execute_fetchall(
        f"SELECT {_COLUMNS} FROM web_api_keys"  # noqa: S608
        " ORDER BY revoked_at IS NOT NULL, revoked_at DESC, created_at DESC, key_id",
        (),
    )
    return [_key(row) for row in rows]
