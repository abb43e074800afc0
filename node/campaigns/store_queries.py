"""The participating stores' reads: applications for the console, the stores residents can pay
at (name, code, small local shop or not), a store's code, and a payment made from the wallet."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from node.campaigns.model import LOCAL_GROUP
from node.campaigns.store_model import StoreApplication
from node.campaigns.store_tables import APPLICATION_COLUMNS, application_from_row
from node.reads import Reader

LIST_LIMIT = 500


@dataclass(frozen=True)
class PayableStore:
    """A store with a store code, as residents find it."""

    store_id: str
    name: str
    code: str
    is_local: bool  # in the ledger's store group of small local shops: 専用券 accepted


async def applications(conn: Reader, status: str | None) -> list[StoreApplication]:
    where, params = ("WHERE status = ?", (status,)) if status else ("", ())
    rows = list(
        await conn.execute_fetchall(
            f"SELECT {APPLICATION_COLUMNS} FROM campaign_store_applications {where}"  # noqa: S608
            f" ORDER BY applied_at DESC, application_id LIMIT {LIST_LIMIT}",
            params,
        )
    )
    return [application_from_row(r) for r in rows]


async def application(conn: Reader, application_id: str) -> StoreApplication | None:
    rows = list(
        await conn.execute_fetchall(
            f"SELECT {APPLICATION_COLUMNS} FROM campaign_store_applications"  # noqa: S608
            " WHERE application_id = ?",
            (application_id,),
        )
    )
    return application_from_row(rows[0]) if rows else None


_PAYABLE = (
    "SELECT s.store_id, s.name, c.code, EXISTS (SELECT 1 FROM store_groups g"
    " WHERE g.store_id = s.store_id AND g.group_name = ?) AS is_local"
    " FROM campaign_store_codes c JOIN stores s ON s.store_id = c.store_id"
)


def _payable(r: sqlite3.Row) -> PayableStore:
    return PayableStore(r["store_id"], r["name"], r["code"], bool(r["is_local"]))


async def payable_stores(conn: Reader, search: str) -> list[PayableStore]:
    """Participating stores whose name holds `search` (all when empty), by name."""
    pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = list(
        await conn.execute_fetchall(
            f"{_PAYABLE} WHERE s.name LIKE ? ESCAPE '\\' ORDER BY s.name, s.store_id"
            f" LIMIT {LIST_LIMIT}",
            (LOCAL_GROUP, pattern),
        )
    )
    return [_payable(r) for r in rows]


async def store_of_code(conn: Reader, code: str) -> PayableStore | None:
    rows = list(await conn.execute_fetchall(f"{_PAYABLE} WHERE c.code = ?", (LOCAL_GROUP, code)))
    return _payable(rows[0]) if rows else None


async def store_by_id(conn: Reader, store_id: str) -> PayableStore | None:
    rows = list(
        await conn.execute_fetchall(f"{_PAYABLE} WHERE s.store_id = ?", (LOCAL_GROUP, store_id))
    )
    return _payable(rows[0]) if rows else None
