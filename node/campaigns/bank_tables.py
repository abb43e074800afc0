"""SQL of `campaign_store_banks` (migration 0036): the account each store is paid to.

The writer's side is `record_store_bank`, one writer unit that checks the store in the ledger
and replaces its account in the same transaction; the reads serve the API, the CLI and the
payout run (which needs every paid store's account: node/campaigns/bank_actions.py refuses,
naming the store, when one has none)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime

from node.campaigns.bank import AccountType, BankAccount
from node.errors import StoreNotFound
from node.ledger import tables as ledger_tables
from node.ledger.rows import to_epoch
from node.reads import Reader

COLUMNS = "store_id, bank_code, branch_code, account_type, account_number, holder_kana, updated_at"


def account_from_row(row: sqlite3.Row) -> BankAccount:
    return BankAccount(
        row["bank_code"],
        row["branch_code"],
        AccountType(row["account_type"]),
        row["account_number"],
        row["holder_kana"],
    )


def record_store_bank(
    store_id: str, account: BankAccount, now: datetime
) -> Callable[[sqlite3.Connection], BankAccount]:
    """The writer unit: the store must exist; its account becomes `account` (checked already
    by bank.check_account)."""

    def work(conn: sqlite3.Connection) -> BankAccount:
        if ledger_tables.load_store(conn, store_id) is None:
            raise StoreNotFound(f"no store {store_id}", store_id=store_id)
        conn.execute(
            f"INSERT INTO campaign_store_banks ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"  # noqa: S608
            " ON CONFLICT (store_id) DO UPDATE SET bank_code = excluded.bank_code,"
            " branch_code = excluded.branch_code, account_type = excluded.account_type,"
            " account_number = excluded.account_number, holder_kana = excluded.holder_kana,"
            " updated_at = excluded.updated_at",
            (
                store_id,
                account.bank_code,
                account.branch_code,
                account.account_type.value,
                account.account_number,
                account.holder_kana,
                to_epoch(now),
            ),
        )
        return account

    return work


async def store_bank(db: Reader, store_id: str) -> BankAccount | None:
    rows = list(
        await db.execute_fetchall(
            f"SELECT {COLUMNS} FROM campaign_store_banks WHERE store_id = ?",  # noqa: S608
            (store_id,),
        )
    )
    return account_from_row(rows[0]) if rows else None


async def accounts_of(db: Reader, store_ids: Iterable[str]) -> dict[str, BankAccount]:
    """The accounts of those of the listed stores that have one, by store id."""
    wanted = sorted(set(store_ids))
    found: dict[str, BankAccount] = {}
    for start in range(0, len(wanted), 500):  # under SQLite's bound-parameter limit
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = await db.execute_fetchall(
            f"SELECT {COLUMNS} FROM campaign_store_banks WHERE store_id IN ({marks})",  # noqa: S608
            chunk,
        )
        found.update((row["store_id"], account_from_row(row)) for row in rows)
    return found
