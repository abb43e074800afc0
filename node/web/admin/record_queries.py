"""Read-only SQL for the console's voucher and customer pages: searches, details, full history.

Every search takes the user's text as a parameter, never as SQL; LIKE patterns escape their own
wildcards (`like_pattern`), so "50%" or "ta_ro" match literally.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from node.ledger import queries as ledger_queries
from node.ledger.model import VOUCHER_PREFIX, Customer, Voucher
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
    " v.created_at, v.holder_id, c.name, c.email"
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
            voucher_id=r[0],
            face_yen=r[1],
            balance_yen=r[2],
            status=r[3],
            is_gift=bool(r[4]),
            expires_at=maybe_datetime(r[5]),
            created_at=from_epoch(r[6]),
            holder_id=r[7],
            holder_name=r[8],
            holder_email=r[9],
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


@dataclass(frozen=True)
class PartnerRedemption:
    """A claim a partner sent for this voucher (its store took it): role 'issuer' on our side."""

    claim_id: str
    partner: str
    store_name: str
    amount_yen: int
    status: str
    created_at: datetime
    balance_after: int | None
    receipt_no: str | None
    txn_id: str | None
    void_txn_id: str | None


@dataclass(frozen=True)
class HistoryEntry:
    """One journal line that moved the voucher's balance, with what it refers to."""

    txn_id: str
    kind: str
    created_at: datetime
    amount_yen: int  # the change of the balance: positive adds value, negative spends it
    store_name: str | None = None
    reference: str | None = None  # a redemption id or a partner's claim id
    receipt_no: str | None = None
    partner: str | None = None
    other_voucher: str | None = None  # a gift's other side
    is_voided: bool = False


@dataclass(frozen=True)
class VoucherDetail:
    voucher: Voucher
    holder: Customer | None
    store_name: str | None
    gifted_to: str | None  # the voucher this one's gift created
    history: tuple[HistoryEntry, ...]
    partner_redemptions: tuple[PartnerRedemption, ...]


async def _redemption_facts(db: Reader, voucher_id: str) -> list[RedemptionFacts]:
    rows = await db.execute_fetchall(
        "SELECT r.redemption_id, r.txn_id, coalesce(s.name, r.store_id), r.receipt_no, v.txn_id"
        " FROM redemptions r LEFT JOIN redemption_voids v USING (redemption_id)"
        " LEFT JOIN stores s ON s.store_id = r.store_id WHERE r.voucher_id = ?",
        (voucher_id,),
    )
    return [RedemptionFacts(*r) for r in rows]


async def partner_redemptions(db: Reader, voucher_id: str) -> list[PartnerRedemption]:
    rows = await db.execute_fetchall(
        "SELECT c.claim_id, coalesce(p.name, c.peer), c.store_name, c.amount_yen, c.status,"
        " c.created_at, c.balance_after, c.receipt_no, c.txn_id, c.void_txn_id"
        " FROM claims c LEFT JOIN peers p ON p.node_id = c.peer"
        " WHERE c.role = 'issuer' AND c.voucher_id = ? ORDER BY c.created_at, c.claim_id",
        (voucher_id,),
    )
    return [
        PartnerRedemption(
            claim_id=r[0],
            partner=r[1],
            store_name=r[2],
            amount_yen=r[3],
            status=r[4],
            created_at=from_epoch(r[5]),
            balance_after=r[6],
            receipt_no=r[7],
            txn_id=r[8],
            void_txn_id=r[9],
        )
        for r in rows
    ]


async def _gift_counterparts(db: Reader, voucher_id: str) -> dict[str, str]:
    """txn_id -> the other voucher in that entry (only a gift touches two vouchers)."""
    account = VOUCHER_PREFIX + voucher_id
    rows = await db.execute_fetchall(
        "SELECT other.txn_id, substr(other.account, ?) FROM postings mine"
        " JOIN postings other ON other.txn_id = mine.txn_id"
        " WHERE mine.account = ? AND other.account != mine.account"
        " AND substr(other.account, 1, ?) = ?",
        (len(VOUCHER_PREFIX) + 1, account, len(VOUCHER_PREFIX), VOUCHER_PREFIX),
    )
    return {str(r[0]): str(r[1]) for r in rows}


def history_entries(
    lines: Sequence[ledger_queries.HistoryLine],
    redemptions: Sequence[RedemptionFacts],
    claims: Sequence[PartnerRedemption],
    counterparts: dict[str, str],
) -> tuple[HistoryEntry, ...]:
    """Each journal line of the voucher joined with the redemption, claim or gift it records."""
    by_txn: dict[str, dict[str, Any]] = {}
    for r in redemptions:
        facts = {"store_name": r.store_name, "reference": r.redemption_id}
        by_txn[r.txn_id] = {**facts, "receipt_no": r.receipt_no, "is_voided": bool(r.void_txn_id)}
        if r.void_txn_id:
            by_txn[r.void_txn_id] = facts
    for c in claims:
        facts = {"store_name": c.store_name, "reference": c.claim_id, "partner": c.partner}
        if c.txn_id:
            voided = c.void_txn_id is not None
            by_txn[c.txn_id] = {**facts, "receipt_no": c.receipt_no, "is_voided": voided}
        if c.void_txn_id:
            by_txn[c.void_txn_id] = facts
    return tuple(
        HistoryEntry(
            txn_id=line.txn_id,
            kind=line.kind,
            created_at=line.created_at,
            amount_yen=line.amount_yen,
            other_voucher=counterparts.get(line.txn_id),
            **by_txn.get(line.txn_id, {}),
        )
        for line in lines
    )


async def voucher_detail(db: Reader, voucher_id: str) -> VoucherDetail | None:
    voucher = await ledger_queries.get_voucher(db, voucher_id)
    if voucher is None:
        return None
    holder = None if voucher.holder_id is None else await get_customer(db, voucher.holder_id)
    store = (
        None if voucher.store_id is None else await ledger_queries.get_store(db, voucher.store_id)
    )
    claims = await partner_redemptions(db, voucher_id)
    counterparts = await _gift_counterparts(db, voucher_id)
    history = history_entries(
        await ledger_queries.voucher_history(db, voucher_id),
        await _redemption_facts(db, voucher_id),
        claims,
        counterparts,
    )
    gifted_to = next(
        (e.other_voucher for e in history if e.kind == "gift" and e.amount_yen < 0), None
    )
    return VoucherDetail(
        voucher=voucher,
        holder=holder,
        store_name=None if store is None else store.name,
        gifted_to=gifted_to,
        history=history,
        partner_redemptions=tuple(claims),
    )


@dataclass(frozen=True)
class CustomerSummary:
    customer_id: str
    name: str
    email: str | None
    created_at: datetime
    voucher_count: int
    balance_yen: int  # what the customer's active vouchers are worth


_CUSTOMER_FIGURES = (
    "SELECT c.customer_id, c.name, c.email, c.created_at, count(v.voucher_id),"
    " coalesce(sum(CASE WHEN v.status = 'active' THEN v.balance_yen ELSE 0 END), 0)"
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
    return [CustomerSummary(r[0], r[1], r[2], from_epoch(r[3]), r[4], r[5]) for r in rows]


async def get_customer(db: Reader, customer_id: str) -> Customer | None:
    rows = list(
        await db.execute_fetchall(
            "SELECT customer_id, name, email, created_at FROM customers WHERE customer_id = ?",
            (customer_id,),
        )
    )
    return customer_from_row(rows[0]) if rows else None


@dataclass(frozen=True)
class WalletAccount:
    """The customer's sign-in account for the wallet pages."""

    created_at: datetime
    disabled_at: datetime | None
    last_sign_in: datetime | None  # None when no session or sign-in link of theirs is on record


async def wallet_account(db: Reader, customer: Customer) -> WalletAccount | None:
    # Sessions and sign-in links are pruned once expired, so the last sign-in is known only
    # while one of them is still kept.
    rows = list(
        await db.execute_fetchall(
            "SELECT a.created_at, a.disabled_at,"
            " (SELECT max(s.created_at) FROM web_sessions s WHERE s.account_id = a.account_id),"
            " (SELECT max(l.used_at) FROM web_login_links l WHERE l.email = a.login)"
            " FROM web_accounts a WHERE a.customer_id = ?",
            (customer.customer_id,),
        )
    )
    if not rows:
        return None
    created, disabled, session, link = rows[0]
    known = [moment for moment in (session, link) if moment is not None]
    return WalletAccount(
        created_at=from_epoch(created),
        disabled_at=maybe_datetime(disabled),
        last_sign_in=from_epoch(max(known)) if known else None,
    )
