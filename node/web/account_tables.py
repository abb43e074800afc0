"""Accounts in SQLite: the SQL of accounts, sessions and sign-in links, and nothing else.

The rules (who may take a login, when a link is spent) are in node/web/accounts.py."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from node.ledger.rows import to_epoch as epoch
from node.reads import Reader
from node.web.model import ADMIN_LOGIN, Account, Role, Session


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode("ascii", "replace")).digest()


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def set_admin_password(
    account_id: str, password_hash: str, now: datetime
) -> Callable[[sqlite3.Connection], bool]:
    """Create the admin account or change its password; True when it was created."""

    def work(conn: sqlite3.Connection) -> bool:
        cursor = conn.execute(
            "UPDATE web_accounts SET password_hash = ? WHERE role = 'admin' AND login = ?",
            (password_hash, ADMIN_LOGIN),
        )
        if cursor.rowcount:
            conn.execute(
                "DELETE FROM web_sessions WHERE account_id IN"
                " (SELECT account_id FROM web_accounts WHERE login = ?)",
                (ADMIN_LOGIN,),
            )
            return False
        conn.execute(
            "INSERT INTO web_accounts (account_id, role, login, display_name, password_hash,"
            " created_at) VALUES (?, 'admin', ?, '本部 (admin)', ?, ?)",
            (account_id, ADMIN_LOGIN, password_hash, epoch(now)),
        )
        return True

    return work


def login_exists(conn: sqlite3.Connection, login: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM web_accounts WHERE login = ?", (login,)).fetchone() is not None
    )


def insert_staff(
    conn: sqlite3.Connection,
    account_id: str,
    name: str,
    password_hash: str,
    stores: tuple[str, ...],
    now: datetime,
    display_name: str | None = None,
) -> None:
    conn.execute(
        "INSERT INTO web_accounts (account_id, role, login, display_name, password_hash,"
        " created_at) VALUES (?, 'staff', ?, ?, ?, ?)",
        (account_id, name, display_name or name, password_hash, epoch(now)),
    )
    conn.executemany(
        "INSERT INTO web_staff_stores (account_id, store_id) VALUES (?, ?)",
        [(account_id, s) for s in stores],
    )


async def read_password(db: Reader, login: str) -> tuple[str, str | None, Role] | None:
    """(account id, password hash, role) of the enabled admin or staff account `login`."""
    async with db.execute(
        "SELECT account_id, password_hash, role FROM web_accounts WHERE login = ?"
        " AND role != 'customer' AND disabled_at IS NULL",
        (login,),
    ) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return None
    return str(row["account_id"]), _opt(row["password_hash"]), Role(str(row["role"]))


def open_session(
    account_id: str, token: str, csrf: str, now: datetime, lifetime_s: int
) -> Callable[[sqlite3.Connection], None]:
    def work(conn: sqlite3.Connection) -> None:
        now_s = epoch(now)
        conn.execute("DELETE FROM web_sessions WHERE expires_at <= ?", (now_s,))
        conn.execute(
            "INSERT INTO web_sessions (token_hash, account_id, csrf, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (token_hash(token), account_id, csrf, now_s, now_s + lifetime_s),
        )

    return work


def close_session(hashed: bytes) -> Callable[[sqlite3.Connection], None]:
    def work(conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM web_sessions WHERE token_hash = ?", (hashed,))

    return work


def choose_store(hashed: bytes, store_id: str) -> Callable[[sqlite3.Connection], None]:
    def work(conn: sqlite3.Connection) -> None:
        conn.execute(
            "UPDATE web_sessions SET store_id = ? WHERE token_hash = ?", (store_id, hashed)
        )

    return work


async def load_session(db: Reader, token: str, now_s: int) -> Session | None:
    hashed = token_hash(token)
    async with db.execute(
        "SELECT a.account_id, a.role, a.login, a.display_name, a.customer_id, s.csrf, s.store_id,"
        " s.expires_at FROM web_sessions s"
        " JOIN web_accounts a ON a.account_id = s.account_id"
        " WHERE s.token_hash = ? AND s.expires_at > ? AND a.disabled_at IS NULL",
        (hashed, now_s),
    ) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return None
    async with db.execute(
        "SELECT store_id FROM web_staff_stores WHERE account_id = ? ORDER BY store_id",
        (row["account_id"],),
    ) as cursor:
        stores = tuple(str(r["store_id"]) for r in await cursor.fetchall())
    account = Account(
        str(row["account_id"]),
        Role(str(row["role"])),
        str(row["login"]),
        str(row["display_name"]),
        _opt(row["customer_id"]),
        stores,
    )
    return Session(hashed, account, str(row["csrf"]), _opt(row["store_id"]), int(row["expires_at"]))


# -- customers: one-time links by email ------------------------------------------------------


def add_login_link(
    token: str, email: str, next_path: str, now: datetime, lifetime_s: int
) -> Callable[[sqlite3.Connection], None]:
    def work(conn: sqlite3.Connection) -> None:
        now_s = epoch(now)
        conn.execute("DELETE FROM web_login_links WHERE expires_at <= ?", (now_s - 86_400,))
        conn.execute(
            "INSERT INTO web_login_links (token_hash, email, next_path, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (token_hash(token), email, next_path, now_s, now_s + lifetime_s),
        )

    return work


async def is_login_link_usable(db: Reader, token: str, now_s: int) -> bool:
    """Whether a sign-in link is unused and unexpired (read only: opening it spends nothing)."""
    async with db.execute(
        "SELECT 1 FROM web_login_links WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
        (token_hash(token), now_s),
    ) as cursor:
        return await cursor.fetchone() is not None


def spend_login_link(conn: sqlite3.Connection, token: str, now_s: int) -> tuple[str, str] | None:
    """Mark an unused, unexpired link used: its (email, next path), or None if there is none."""
    row = conn.execute(
        "SELECT email, next_path FROM web_login_links WHERE token_hash = ? AND used_at IS NULL"
        " AND expires_at > ?",
        (token_hash(token), now_s),
    ).fetchone()
    if row is None:
        return None
    conn.execute(
        "UPDATE web_login_links SET used_at = ? WHERE token_hash = ?", (now_s, token_hash(token))
    )
    return str(row["email"]), str(row["next_path"])


@dataclass(frozen=True)
class LoginOwner:
    """The account that holds a login, as sign-in by link needs it."""

    account_id: str
    role: Role
    is_disabled: bool


def login_owner(conn: sqlite3.Connection, login: str) -> LoginOwner | None:
    found = conn.execute(
        "SELECT account_id, role, disabled_at FROM web_accounts WHERE login = ?", (login,)
    ).fetchone()
    if found is None:
        return None
    return LoginOwner(
        str(found["account_id"]), Role(str(found["role"])), found["disabled_at"] is not None
    )


def insert_customer_account(
    conn: sqlite3.Connection,
    account_id: str,
    email: str,
    name: str,
    customer_id: str,
    now_s: int,
) -> None:
    conn.execute(
        "INSERT INTO web_accounts (account_id, role, login, display_name, customer_id,"
        " created_at) VALUES (?, 'customer', ?, ?, ?, ?)",
        (account_id, email, name, customer_id, now_s),
    )


def retire_customer_account(
    conn: sqlite3.Connection, customer_id: str, shown_name: str, now_s: int
) -> None:
    """An erased customer's wallet account: its login (their e-mail) and name replaced, disabled,
    every session ended and the sign-in links sent to the address gone. The row stays: records
    name the account. Signing in with the address again makes a new customer."""
    found = conn.execute(
        "SELECT account_id, login FROM web_accounts WHERE customer_id = ?", (customer_id,)
    ).fetchone()
    if found is None:
        return
    account_id = str(found["account_id"])
    conn.execute("DELETE FROM web_login_links WHERE email = ?", (str(found["login"]),))
    conn.execute(
        "UPDATE web_accounts SET login = ?, display_name = ?, disabled_at = ? WHERE account_id = ?",
        (f"erased:{account_id}", shown_name, now_s, account_id),
    )
    conn.execute("DELETE FROM web_sessions WHERE account_id = ?", (account_id,))
