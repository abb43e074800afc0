"""A voucher's own terms beyond the ledger's rules, and the store groups they name (0035): a 専用券
is usable only at the stores of one group; a campaign coupon may not be gifted."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class VoucherTerms:
    store_group: str | None  # usable only at the stores of this group; None: at any store
    no_gift: bool
    own_stores_only: bool  # never at a partner's store (a partner's claim on it is rejected)


def set_voucher_terms(
    conn: sqlite3.Connection,
    voucher_id: str,
    store_group: str | None,
    no_gift: bool,
    own_stores_only: bool = False,
) -> None:
    conn.execute(
        "INSERT INTO voucher_terms (voucher_id, store_group, no_gift, own_stores_only)"
        " VALUES (?, ?, ?, ?)",
        (voucher_id, store_group, int(no_gift), int(own_stores_only)),
    )


def voucher_terms(conn: sqlite3.Connection, voucher_id: str) -> VoucherTerms | None:
    row = conn.execute(
        "SELECT store_group, no_gift, own_stores_only FROM voucher_terms WHERE voucher_id = ?",
        (voucher_id,),
    ).fetchone()
    if row is None:
        return None
    return VoucherTerms(row["store_group"], bool(row["no_gift"]), bool(row["own_stores_only"]))


def store_in_group(conn: sqlite3.Connection, store_id: str, group_name: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM store_groups WHERE store_id = ? AND group_name = ?", (store_id, group_name)
    ).fetchone()
    return row is not None


def join_group(conn: sqlite3.Connection, store_id: str, group_name: str) -> None:
    conn.execute(
        "INSERT INTO store_groups (store_id, group_name) VALUES (?, ?)"
        " ON CONFLICT (store_id, group_name) DO NOTHING",
        (store_id, group_name),
    )


def leave_group(conn: sqlite3.Connection, store_id: str, group_name: str) -> None:
    conn.execute(
        "DELETE FROM store_groups WHERE store_id = ? AND group_name = ?", (store_id, group_name)
    )


def groups_of(conn: sqlite3.Connection, store_id: str) -> list[str]:
    rows = conn.execute(
        "SELECT group_name FROM store_groups WHERE store_id = ? ORDER BY group_name", (store_id,)
    ).fetchall()
    return [r["group_name"] for r in rows]
