"""Read-only SQL over the ledger's tables for the console's voucher and customer pages: searches,
a voucher's redemptions and gifts, customers with their figures.

Every search takes the user's text as a parameter, never as SQL; LIKE patterns escape their own
wildcards (`like_pattern`), so "50%" or "ta_ro" match literally.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from node.ledger.model import VOUCHER_PREFIX, Customer
from node.ledger.rows import customer_from_row, from_epoch, maybe_datetime
from node.reads import Reader

LIKE_ESCAPE = "\\"
GIFT_FILTER = "gift"  # not a status: a voucher someone gave (is_gift), whatever its status


def like_pattern(text: str) -> str:
    """`%text%` for `LIKE ? ESCAPE '\\'`, the text's own %, _ and \\ matched literally."""
    escaped = (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    return f"%{escaped}%"


@dataclass(frozen=True)
class VoucherFilters:
    """A voucher search; empty strings mean "any"."""

    number: str = ""  # digits only
    is_whole_number: bool = False  # a complete voucher number: matched exactly, else as a part
    holder: str = ""  # part of the holder's name or email
    status: str = ""  # a VoucherStatus value or GIFT_FILTER
    store_id: str = ""  # where it was sold


@dataclass(frozen=True)
class VoucherSummary:
    voucher_id: str
    face_yen: int
    balance_yen: int
    status: str
    is_gift: bool
    expires_at: datetime | None
    created_at: datetime
    holder_id: str | None
    holder_name: str | None
    holder_email: str | None


def _voucher_where(filters: VoucherFilters) -> tuple[list[str], list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if filters.number and filters.is_whole_number:
        clauses.append("v.voucher_id = ?")
        params.append(filters.number)
    elif filters.number:
        clauses.append("v.voucher_id LIKE ? ESCAPE '\\'")
        params.append(like_pattern(filters.number))
    if filters.holder:
        clauses.append("(c.name LIKE ? ESCAPE '\\' OR c.email LIKE ? ESCAPE '\\')")
        params += [like_pattern(filters.holder)] * 2
    if filters.status == GIFT_FILTER:
        clauses.append("v.is_gift = 1")
    elif filters.status:
        clauses.append("v.status = ?")
        params.append(filters.status)
    if filters.store_id:
        clauses.append("v.store_id = ?")
        params.append(filters.store_id)
    return clauses, params


_VOUCHER_SEARCH = (
    "SELECT v.voucher_id, v.face_yen, v.balance_yen, v.status, v.is_gift, v.expires_at,"
    " v.created_at, v.holder_id, c.name AS holder_name, c.email AS holder_email"
    " FROM vouchers v LEFT JOIN customers c ON c.customer_id = v.holder_id"
)


async def search_vouchers(db: Reader, filters: VoucherFilters, limit: int) -> list[VoucherSummary]:
    """Newest first, at most `limit` + 1 rows (one more than shown tells the page it was capped)."""
    clauses, params = _voucher_where(filters)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    order = "ORDER BY v.created_at DESC, v.voucher_id DESC LIMIT ?"
    sql = f"{_VOUCHER_SEARCH} {where} {order}"  # the clauses are constants, values are "?"
    rows = await db.execute_fetchall(sql, (*params, limit + 1))
    return [
        VoucherSummary(
            voucher_id=r["voucher_id"],
            face_yen=r["face_yen"],
            balance_yen=r["balance_yen"],
            status=r["status"],
            is_gift=bool(r["is_gift"]),
            expires_at=maybe_datetime(r["expires_at"]),
            created_at=from_epoch(r["created_at"]),
            holder_id=r["holder_id"],
            holder_name=r["holder_name"],
            holder_email=r["holder_email"],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class RedemptionFacts:
    """One redemption of the voucher at our store, keyed by its own and its void's journal entry."""

    redemption_id: str
    txn_id: str
    store_name: str
    receipt_no: str
    void_txn_id: str | None


async def redemption_facts(db: Reader, voucher_id: str) -> list[RedemptionFacts]:
    rows = await db.execute_fetchall(
        "SELECT r.redemption_id, r.txn_id, coalesce(s.name, r.store_id) AS store_name,"
        " r.receipt_no, v.txn_id AS void_txn_id"
        " FROM redemptions r LEFT JOIN redemption_voids v USING (redemption_id)"
        " LEFT JOIN stores s ON s.store_id = r.store_id WHERE r.voucher_id = ?",
        (voucher_id,),
    )
    return [
        RedemptionFacts(
            r["redemption_id"], r["txn_id"], r["store_name"], r["receipt_no"], r["void_txn_id"]
        )
        for r in rows
    ]


async def gift_counterparts(db: Reader, voucher_id: str) -> dict[str, str]:
    """txn_id -> the other voucher in that entry (only a gift touches two vouchers)."""
    account = VOUCHER_PREFIX + voucher_id
    rows = await db.execute_fetchall(
        "SELECT other.txn_id, substr(other.account, ?) AS other_voucher FROM postings mine"
        " JOIN postings other ON other.txn_id = mine.txn_id"
        " WHERE mine.account = ? AND other.account != mine.account"
        " AND substr(other.account, 1, ?) = ?",
        (len(VOUCHER_PREFIX) + 1, account, len(VOUCHER_PREFIX), VOUCHER_PREFIX),
    )
    return {str(r["txn_id"]): str(r["other_voucher"]) for r in rows}


@dataclass(frozen=True)
class CustomerSummary:
    customer_id: str
    name: str
    email: str | None
    created_at: datetime
    voucher_count: int
    balance_yen: int  # what the customer's active vouchers are worth


_CUSTOMER_FIGURES = (
    "SELECT c.customer_id, c.name, c.email, c.created_at, count(v.voucher_id) AS voucher_count,"
    " coalesce(sum(CASE WHEN v.status = 'active' THEN v.balance_yen ELSE 0 END), 0)"
    " AS balance_yen"
    " FROM customers c LEFT JOIN vouchers v ON v.holder_id = c.customer_id"
)


async def search_customers(db: Reader, text: str, limit: int) -> list[CustomerSummary]:
    """Newest first, name or email containing `text`; at most `limit` + 1 rows."""
    where, params = "", []
    if text:
        where = " WHERE c.name LIKE ? ESCAPE '\\' OR c.email LIKE ? ESCAPE '\\'"
        params = [like_pattern(text)] * 2
    rows = await db.execute_fetchall(
        _CUSTOMER_FIGURES + where + " GROUP BY c.customer_id"
        " ORDER BY c.created_at DESC, c.customer_id DESC LIMIT ?",
        (*params, limit + 1),
    )
    return [
        CustomerSummary(
            r["customer_id"],
            r["name"],
            r["email"],
            from_epoch(r["created_at"]),
            r["voucher_count"],
            r["balance_yen"],
        )
        for r in rows
    ]


async def get_customer(db: Reader, customer_id: str) -> Customer | None:
    rows = list(
        await db.execute_fetchall(
            "SELECT customer_id, name, email, created_at FROM customers WHERE customer_id = ?",
            (customer_id,),
        )
    )
    return customer_from_row(rows[0]) if rows else None


CUSTOMERS_AT_ONCE = 500  # ids per statement: well under SQLite's limit on bound parameters


async def customers_among(db: Reader, customer_ids: Sequence[str]) -> list[Customer]:
    """The customers of these ids (at most CUSTOMERS_AT_ONCE), by id; an unknown id is skipped.
    The statement is only `?` marks joined, one per id: the ids go in as parameters."""
    if len(customer_ids) > CUSTOMERS_AT_ONCE:
        raise ValueError(f"at most {CUSTOMERS_AT_ONCE} ids at once")
    if not customer_ids:
        return []
    marks = ", ".join("?" for _ in customer_ids)
    rows = await db.execute_fetchall(
        "SELECT customer_id, name, email, created_at FROM customers"  # noqa: S608
        f" WHERE customer_id IN ({marks}) ORDER BY customer_id",
        tuple(customer_ids),
    )
    return [customer_from_row(r) for r in rows]
