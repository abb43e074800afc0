"""Managing staff accounts (店員): their stores, passwords, disabling; each change signs them out.

Signing out on every change is the point: a disabled account, a reset password or a store taken
away must not live on in a session opened before the change.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from node.errors import AccountNotFound, StoreNotFound, ValidationError
from node.ledger import tables as ledger_tables
from node.ledger.rows import from_epoch, maybe_datetime
from node.ledger.rows import to_epoch as epoch
from node.reads import Reader
from node.text import require_printable

MAX_STORES = 100
MAX_LOGIN_CHARS = 100


@dataclass(frozen=True)
class StaffMember:
    account_id: str
    login: str
    store_ids: tuple[str, ...]
    created_at: datetime
    disabled_at: datetime | None
    open_sessions: int

    @property
    def is_disabled(self) -> bool:
        return self.disabled_at is not None


async def list_staff(db: Reader, now_s: int) -> list[StaffMember]:
    rows = await db.execute_fetchall(
        "SELECT a.account_id, a.login, a.created_at, a.disabled_at,"
        " (SELECT group_concat(store_id, ' ') FROM web_staff_stores s"
        "   WHERE s.account_id = a.account_id) AS store_ids,"
        " (SELECT count(*) FROM web_sessions w WHERE w.account_id = a.account_id"
        "   AND w.expires_at > ?) AS open_sessions"
        " FROM web_accounts a WHERE a.role = 'staff' ORDER BY a.login",
        (now_s,),
    )
    return [
        StaffMember(
            str(r["account_id"]),
            str(r["login"]),
            tuple(sorted(str(r["store_ids"] or "").split())),
            from_epoch(int(r["created_at"])),
            maybe_datetime(r["disabled_at"]),
            int(r["open_sessions"]),
        )
        for r in rows
    ]


def check_login(name: str) -> str:
    """A staff login: printable, at most 100 characters, trimmed."""
    name = name.strip()
    if not name or len(name) > MAX_LOGIN_CHARS:
        raise ValidationError(
            f"The login name must be printable text of 1-{MAX_LOGIN_CHARS} characters.",
            field="name",
        )
    return require_printable(name, "name")


def check_store_ids(conn: sqlite3.Connection, store_ids: list[str]) -> list[str]:
    """The distinct stores, each one of ours; at least one."""
    wanted = sorted(set(store_ids))
    if not 1 <= len(wanted) <= MAX_STORES:
        raise ValidationError(f"Choose 1-{MAX_STORES} stores.", field="stores")
    for store_id in wanted:
        if ledger_tables.load_store(conn, store_id) is None:
            raise StoreNotFound(f"No store {store_id!r} on this node.")
    return wanted


@dataclass(frozen=True)
class StaffListing:
    """A staff account as the admin API lists it."""

    account_id: str
    login: str
    store_ids: tuple[str, ...]
    is_disabled: bool


async def staff_listing(db: Reader) -> list[StaffListing]:
    """Every staff account with its stores, by login."""
    rows = await db.execute_fetchall(
        "SELECT a.account_id, a.login, a.created_at, a.disabled_at,"
        " group_concat(s.store_id, ' ') AS store_ids FROM web_accounts a"
        " LEFT JOIN web_staff_stores s USING (account_id) WHERE a.role = 'staff'"
        " GROUP BY a.account_id ORDER BY a.login"
    )
    return [
        StaffListing(
            r["account_id"],
            r["login"],
            tuple(str(r["store_ids"] or "").split()),
            r["disabled_at"] is not None,
        )
        for r in rows
    ]


def _require_staff(conn: sqlite3.Connection, account_id: str) -> None:
    found = conn.execute(
        "SELECT 1 FROM web_accounts WHERE account_id = ? AND role = 'staff'", (account_id,)
    ).fetchone()
    if found is None:
        raise AccountNotFound()


def _sign_out(conn: sqlite3.Connection, account_id: str) -> None:
    conn.execute("DELETE FROM web_sessions WHERE account_id = ?", (account_id,))


def set_stores(account_id: str, store_ids: list[str]) -> Callable[[sqlite3.Connection], None]:
    def work(conn: sqlite3.Connection) -> None:
        _require_staff(conn, account_id)
        wanted = check_store_ids(conn, store_ids)
        conn.execute("DELETE FROM web_staff_stores WHERE account_id = ?", (account_id,))
        conn.executemany(
            "INSERT INTO web_staff_stores (account_id, store_id) VALUES (?, ?)",
            [(account_id, s) for s in wanted],
        )
        _sign_out(conn, account_id)

    return work


def set_password(account_id: str, password_hash: str) -> Callable[[sqlite3.Connection], None]:
    def work(conn: sqlite3.Connection) -> None:
        _require_staff(conn, account_id)
        conn.execute(
            "UPDATE web_accounts SET password_hash = ? WHERE account_id = ?",
            (password_hash, account_id),
        )
        _sign_out(conn, account_id)

    return work


def set_disabled(
    account_id: str, disabled: bool, now: datetime
) -> Callable[[sqlite3.Connection], None]:
    """Disable (the account can no longer sign in) or enable again; history stays attached."""

    def work(conn: sqlite3.Connection) -> None:
        _require_staff(conn, account_id)
        conn.execute(
            "UPDATE web_accounts SET disabled_at = ? WHERE account_id = ?",
            (epoch(now) if disabled else None, account_id),
        )
        _sign_out(conn, account_id)

    return work
