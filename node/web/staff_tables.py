"""Staff accounts (店員) in SQLite: their stores, passwords, disabling; each change signs them out.

Signing out on every change is the point: a disabled account, a reset password or a store taken
away must not live on in a session opened before the change. The rules (a valid login, stores of
this node) are in node/web/accounts.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from node.errors import AccountNotFound
from node.ledger.rows import from_epoch, maybe_datetime
from node.ledger.rows import to_epoch as epoch
from node.reads import Reader


@dataclass(frozen=True)
class StaffMember:
    account_id: str
    login: str
    store_ids: tuple[str, ...]
    created_at: datetime
    disabled_at: datetime | None
    open_sessions: int
    display_name: str = ""  # 表示名 shown at the counter and in records (the login if never set)

    @property
    def is_disabled(self) -> bool:
        return self.disabled_at is not None


async def list_staff(db: Reader, now_s: int) -> list[StaffMember]:
    rows = await db.execute_fetchall(
        "SELECT a.account_id, a.login, a.display_name, a.created_at, a.disabled_at,"
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
            str(r["display_name"]),
        )
        for r in rows
    ]


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


def require_staff(conn: sqlite3.Connection, account_id: str) -> None:
    found = conn.execute(
        "SELECT 1 FROM web_accounts WHERE account_id = ? AND role = 'staff'", (account_id,)
    ).fetchone()
    if found is None:
        raise AccountNotFound()


def _sign_out(conn: sqlite3.Connection, account_id: str) -> None:
    conn.execute("DELETE FROM web_sessions WHERE account_id = ?", (account_id,))


def replace_stores(conn: sqlite3.Connection, account_id: str, store_ids: list[str]) -> None:
    conn.execute("DELETE FROM web_staff_stores WHERE account_id = ?", (account_id,))
    conn.executemany(
        "INSERT INTO web_staff_stores (account_id, store_id) VALUES (?, ?)",
        [(account_id, s) for s in store_ids],
    )
    _sign_out(conn, account_id)


def set_password(account_id: str, password_hash: str) -> Callable[[sqlite3.Connection], None]:
    def work(conn: sqlite3.Connection) -> None:
        require_staff(conn, account_id)
        conn.execute(
            "UPDATE web_accounts SET password_hash = ? WHERE account_id = ?",
            (password_hash, account_id),
        )
        _sign_out(conn, account_id)

    return work


def set_display_name(account_id: str, display_name: str) -> Callable[[sqlite3.Connection], None]:
    """The name the counter's header and the records show (the session stays: nothing to guard)."""

    def work(conn: sqlite3.Connection) -> None:
        require_staff(conn, account_id)
        conn.execute(
            "UPDATE web_accounts SET display_name = ? WHERE account_id = ?",
            (display_name, account_id),
        )

    return work


def set_disabled(
    account_id: str, disabled: bool, now: datetime
) -> Callable[[sqlite3.Connection], None]:
    """Disable (the account can no longer sign in) or enable again; history stays attached."""

    def work(conn: sqlite3.Connection) -> None:
        require_staff(conn, account_id)
        conn.execute(
            "UPDATE web_accounts SET disabled_at = ? WHERE account_id = ?",
            (epoch(now) if disabled else None, account_id),
        )
        _sign_out(conn, account_id)

    return work
