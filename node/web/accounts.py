"""Who may sign in and how: the rules of staff logins, their stores, and customers' links.

Each function returns an operation for the writer; the SQL is in account_tables.py and
staff_tables.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from node.crm.operations import ERASED_NAME
from node.errors import BadCredentials, LinkInvalid, LoginTaken, StoreNotFound, ValidationError
from node.ledger import tables as ledger_tables
from node.ledger.operations import customer_with_email
from node.ledger.rows import to_epoch as epoch
from node.text import require_printable
from node.web import account_tables, staff_tables
from node.web.model import ADMIN_LOGIN, Account, Role

MAX_STORES = 100
MAX_LOGIN_CHARS = 100


def check_login(name: str) -> str:
    """A staff login: printable, at most 100 characters, trimmed."""
    name = name.strip()
    if not name or len(name) > MAX_LOGIN_CHARS:
        raise ValidationError(
            f"The login name must be printable text of 1-{MAX_LOGIN_CHARS} characters.",
            field="name",
        )
    return require_printable(name, "name")


def check_display_name(text: str) -> str | None:
    """A staff member's display name (表示名, e.g. 山田太郎): printable, at most 100 characters,
    trimmed; None when left empty (the login is shown)."""
    name = text.strip()
    if not name:
        return None
    if len(name) > MAX_LOGIN_CHARS:
        raise ValidationError(
            f"The display name may have at most {MAX_LOGIN_CHARS} characters.",
            field="display_name",
        )
    return require_printable(name, "display_name")


def check_store_ids(conn: sqlite3.Connection, store_ids: list[str]) -> list[str]:
    """The distinct stores, each one of ours; at least one."""
    wanted = sorted(set(store_ids))
    if not 1 <= len(wanted) <= MAX_STORES:
        raise ValidationError(f"Choose 1-{MAX_STORES} stores.", field="stores")
    for store_id in wanted:
        if ledger_tables.load_store(conn, store_id) is None:
            raise StoreNotFound(f"No store {store_id!r} on this node.")
    return wanted


def add_staff(
    account_id: str,
    name: str,
    password_hash: str,
    store_ids: list[str],
    now: datetime,
    display_name: str | None = None,
) -> Callable[[sqlite3.Connection], Account]:
    """A staff member signs in with `name` as the login; bound to one or more stores; shown by
    `display_name` (the login when None)."""

    def work(conn: sqlite3.Connection) -> Account:
        stores = tuple(check_store_ids(conn, store_ids))
        if name.lower() == ADMIN_LOGIN:
            raise LoginTaken(f"{name!r} is the head office's login.", field="name")
        if account_tables.login_exists(conn, name):
            raise LoginTaken(f"An account named {name!r} exists already.", field="name")
        account_tables.insert_staff(
            conn, account_id, name, password_hash, stores, now, display_name
        )
        return Account(account_id, Role.STAFF, name, display_name or name, None, stores)

    return work


def set_stores(account_id: str, store_ids: list[str]) -> Callable[[sqlite3.Connection], None]:
    """Bind a staff member to other stores (which signs them out)."""

    def work(conn: sqlite3.Connection) -> None:
        staff_tables.require_staff(conn, account_id)
        staff_tables.replace_stores(conn, account_id, check_store_ids(conn, store_ids))

    return work


def use_login_link(
    token: str, new_account_id: str, new_customer_id: str, now: datetime
) -> Callable[[sqlite3.Connection], tuple[str, str]]:
    """Spend a link: the customer account of its email (created on first use); (account id, next)."""

    def work(conn: sqlite3.Connection) -> tuple[str, str]:
        now_s = epoch(now)
        spent = account_tables.spend_login_link(conn, token, now_s)
        if spent is None:
            raise LinkInvalid()
        email, next_path = spent
        found = account_tables.login_owner(conn, email)
        if found is not None:
            if found.role != Role.CUSTOMER or found.is_disabled:
                raise BadCredentials("This email belongs to an account that cannot sign in here.")
            return found.account_id, next_path
        name = email.split("@")[0]
        customer_id = customer_with_email(new_customer_id, name, email, now)(conn)
        account_tables.insert_customer_account(
            conn, new_account_id, email, name, customer_id, now_s
        )
        return new_account_id, next_path

    return work


def retire_customer_account(
    customer_id: str, now: datetime
) -> Callable[[sqlite3.Connection], None]:
    """Run with a customer's erasure (node/crm/profile_actions.erase): their wallet account keeps
    none of their personal data and signs nobody in any more."""

    def work(conn: sqlite3.Connection) -> None:
        account_tables.retire_customer_account(conn, customer_id, ERASED_NAME, epoch(now))

    return work
