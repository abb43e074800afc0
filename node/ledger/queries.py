"""Read-only ledger queries over a separate aiosqlite connection (WAL lets them run beside writes)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from node.ledger.model import (
    VOUCHER_PREFIX,
    Customer,
    Redemption,
    Store,
    Voucher,
)
from node.ledger.qr import MANUAL_NONCE
from node.ledger.rows import (
    customer_from_row,
    from_epoch,
    redemption_from_row,
    store_from_row,
    to_epoch,
    voucher_from_row,
)
from node.ledger.tables import (
    ISSUED_FACE_BETWEEN,
    REDEMPTION_COLUMNS,
    REDEMPTION_FROM,
    VOUCHER_COLUMNS,
    VOUCHER_LIABILITY_BEFORE,
    VOUCHER_LIABILITY_BETWEEN,
)
from node.reads import Reader

LIST_LIMIT = 1000


@dataclass(frozen=True)
class HistoryLine:
    txn_id: str
    kind: str
    created_at: datetime
    amount_yen: int
    """Change of the voucher's balance: positive adds value, negative spends it."""


@dataclass(frozen=True)
class LedgerCheck:
    """The books' invariants, recomputed from the journal."""

    entries: int
    postings_sum_yen: int
    unbalanced_entries: int
    voucher_liability_yen: int
    voucher_balances_yen: int
    negative_balances: int

    @property
    def ok(self) -> bool:
        return (
            self.postings_sum_yen == 0
            and self.unbalanced_entries == 0
            and self.voucher_liability_yen == self.voucher_balances_yen
            and self.negative_balances == 0
        )


async def list_stores(db: Reader) -> list[Store]:
    rows = await db.execute_fetchall(
        "SELECT store_id, name, created_at FROM stores ORDER BY created_at, store_id"
    )
    return [store_from_row(r) for r in rows]


@dataclass(frozen=True)
class VoucherLimits:
    """What limits a voucher beyond the ledger's rules (voucher_terms), as a page shows it."""

    only_at: list[str] | None  # the names of the stores of its group; None: any of ours
    no_gift: bool


async def voucher_limits(db: Reader, voucher_id: str) -> VoucherLimits:
    """A campaign's 専用券 or a mail's coupon: the stores it is limited to, and whether it may be
    gifted."""
    rows = list(
        await db.execute_fetchall(
            "SELECT store_group, no_gift FROM voucher_terms WHERE voucher_id = ?", (voucher_id,)
        )
    )
    if not rows:
        return VoucherLimits(None, False)
    group = rows[0]["store_group"]
    only_at = None if group is None else [s.name for s in await group_stores(db, group)]
    return VoucherLimits(only_at, bool(rows[0]["no_gift"]))


async def group_stores(db: Reader, group_name: str) -> list[Store]:
    """The stores of one store group (a campaign's `local` shops, a mail offer's stores)."""
    rows = await db.execute_fetchall(
        "SELECT s.store_id AS store_id, s.name AS name, s.created_at AS created_at"
        " FROM store_groups g JOIN stores s ON s.store_id = g.store_id"
        " WHERE g.group_name = ? ORDER BY s.created_at, s.store_id",
        (group_name,),
    )
    return [store_from_row(r) for r in rows]


async def get_store(db: Reader, store_id: str) -> Store | None:
    rows = list(
        await db.execute_fetchall(
            "SELECT store_id, name, created_at FROM stores WHERE store_id = ?", (store_id,)
        )
    )
    return store_from_row(rows[0]) if rows else None


async def get_customer(db: Reader, customer_id: str) -> Customer | None:
    rows = list(
        await db.execute_fetchall(
            "SELECT customer_id, name, email, created_at FROM customers WHERE customer_id = ?",
            (customer_id,),
        )
    )
    return customer_from_row(rows[0]) if rows else None


async def list_customers(db: Reader) -> list[Customer]:
    rows = await db.execute_fetchall(
        "SELECT customer_id, name, email, created_at FROM customers"
        " ORDER BY created_at, customer_id LIMIT ?",
        (LIST_LIMIT,),
    )
    return [customer_from_row(r) for r in rows]


async def get_voucher(db: Reader, voucher_id: str) -> Voucher | None:
    rows = list(
        await db.execute_fetchall(
            f"SELECT {VOUCHER_COLUMNS} FROM vouchers WHERE voucher_id = ?",  # noqa: S608
            (voucher_id,),
        )
    )
    return voucher_from_row(rows[0]) if rows else None


async def list_vouchers(db: Reader, holder_id: str | None) -> list[Voucher]:
    if holder_id is None:
        sql = f"SELECT {VOUCHER_COLUMNS} FROM vouchers ORDER BY created_at, voucher_id LIMIT ?"  # noqa: S608
        params: tuple[object, ...] = (LIST_LIMIT,)
    else:
        sql = (
            f"SELECT {VOUCHER_COLUMNS} FROM vouchers WHERE holder_id = ?"  # noqa: S608
            " ORDER BY created_at, voucher_id LIMIT ?"
        )
        params = (holder_id, LIST_LIMIT)
    return [voucher_from_row(r) for r in await db.execute_fetchall(sql, params)]


async def voucher_history(db: Reader, voucher_id: str) -> list[HistoryLine]:
    rows = await db.execute_fetchall(
        "SELECT j.txn_id, j.kind, j.created_at, -p.amount_yen AS amount_yen FROM postings p"
        " JOIN journal j USING (txn_id) WHERE p.account = ? ORDER BY j.created_at, j.rowid",
        (VOUCHER_PREFIX + voucher_id,),
    )
    return [
        HistoryLine(r["txn_id"], r["kind"], from_epoch(r["created_at"]), r["amount_yen"])
        for r in rows
    ]


async def get_redemption(db: Reader, redemption_id: str) -> Redemption | None:
    rows = list(
        await db.execute_fetchall(
            f"SELECT {REDEMPTION_COLUMNS} FROM {REDEMPTION_FROM} WHERE r.redemption_id = ?",  # noqa: S608
            (redemption_id,),
        )
    )
    return redemption_from_row(rows[0]) if rows else None


async def code_use(
    db: Reader, voucher_id: str, step: int, nonce: str
) -> tuple[bool, Redemption | None]:
    """Whether a code was used, and the redemption of ours that used it, if one did."""
    rows = list(
        await db.execute_fetchall(
            "SELECT redemption_id FROM used_codes WHERE voucher_id = ? AND step = ? AND nonce = ?",
            (voucher_id, step, nonce),
        )
    )
    if not rows:
        return False, None
    made = rows[0]["redemption_id"]
    return True, None if made is None else await get_redemption(db, str(made))


async def used_manual_steps(db: Reader, voucher_id: str, from_step: int) -> list[int]:
    """The steps since `from_step` in which a typed code of the voucher made a redemption."""
    rows = await db.execute_fetchall(
        "SELECT step FROM used_codes WHERE voucher_id = ? AND step >= ? AND nonce = ?"
        " AND redemption_id IS NOT NULL",
        (voucher_id, from_step, MANUAL_NONCE),
    )
    return [int(r["step"]) for r in rows]


async def list_redemptions(
    db: Reader, voucher_id: str | None, store_id: str | None
) -> list[Redemption]:
    clauses, params = [], []
    if voucher_id is not None:
        clauses.append("r.voucher_id = ?")
        params.append(voucher_id)
    if store_id is not None:
        clauses.append("r.store_id = ?")
        params.append(store_id)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = await db.execute_fetchall(
        f"SELECT {REDEMPTION_COLUMNS} FROM {REDEMPTION_FROM} {where}"  # noqa: S608
        " ORDER BY r.created_at, r.receipt_no LIMIT ?",
        (*params, LIST_LIMIT),
    )
    return [redemption_from_row(r) for r in rows]


async def redemptions_at_store(
    db: Reader, store_id: str, start_s: int, end_s: int, limit: int
) -> list[Redemption]:
    """The store's redemptions of our vouchers made in [start_s, end_s), newest first."""
    rows = await db.execute_fetchall(
        f"SELECT {REDEMPTION_COLUMNS} FROM {REDEMPTION_FROM}"  # noqa: S608
        " WHERE r.store_id = ? AND r.created_at >= ? AND r.created_at < ?"
        " ORDER BY r.created_at DESC LIMIT ?",
        (store_id, start_s, end_s, limit),
    )
    return [redemption_from_row(r) for r in rows]


async def check_ledger(db: Reader) -> LedgerCheck:
    """Trial balance and voucher invariants, straight from the stored rows."""
    rows = list(
        await db.execute_fetchall(
            """
            SELECT
              (SELECT count(*) FROM journal) AS entries,
              (SELECT coalesce(sum(amount_yen), 0) FROM postings) AS postings_sum_yen,
              (SELECT count(*) FROM (SELECT txn_id FROM postings GROUP BY txn_id
                                     HAVING sum(amount_yen) != 0 OR count(*) < 2))
                AS unbalanced_entries,
              (SELECT coalesce(-sum(amount_yen), 0) FROM postings
                WHERE substr(account, 1, 8) = 'voucher:') AS voucher_liability_yen,
              (SELECT coalesce(sum(balance_yen), 0) FROM vouchers) AS voucher_balances_yen,
              (SELECT count(*) FROM vouchers WHERE balance_yen < 0) AS negative_balances
            """
        )
    )
    return LedgerCheck(**{field.name: rows[0][field.name] for field in fields(LedgerCheck)})


async def issued_face_between(db: Reader, start: datetime, end: datetime) -> int:
    """tables.issued_face_between on a read pool."""
    rows = list(await db.execute_fetchall(ISSUED_FACE_BETWEEN, (to_epoch(start), to_epoch(end))))
    return int(rows[0]["total"])


async def voucher_liability_before(db: Reader, end: datetime) -> int:
    """tables.voucher_liability_before on a read pool."""
    rows = list(await db.execute_fetchall(VOUCHER_LIABILITY_BEFORE, (to_epoch(end),)))
    return int(rows[0]["total"])


async def voucher_liability_change(db: Reader, start: datetime, end: datetime) -> int:
    """How much the vouchers' worth changed over the entries of [start, end): what
    voucher_liability_before(end) adds to voucher_liability_before(start)."""
    rows = list(
        await db.execute_fetchall(VOUCHER_LIABILITY_BETWEEN, (to_epoch(start), to_epoch(end)))
    )
    return int(rows[0]["total"])
