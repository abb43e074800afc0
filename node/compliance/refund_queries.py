"""Reads of refunds on the read pools: the abolitions, claims, refunds, and the small-amount
basis of a period (for the console, the API and the wallet)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from node.compliance.refund_model import Abolition, Period, Refund, RefundClaim, SmallAmountBasis
from node.compliance.refund_tables import (
    ABOLITION_COLUMNS,
    CLAIM_COLUMNS,
    CLAIM_FROM,
    REFUND_COLUMNS,
    SMALL_AMOUNT_REFUNDED,
    abolition_from_row,
    basis_bounds,
    claim_from_row,
    refund_from_row,
)
from node.ledger import queries as ledger_queries
from node.reads import Reader


async def latest_abolition(db: Reader) -> Abolition | None:
    rows = list(
        await db.execute_fetchall(
            f"SELECT {ABOLITION_COLUMNS} FROM refund_abolitions"  # noqa: S608
            " ORDER BY opens_at DESC, abolition_id DESC LIMIT 1"
        )
    )
    return abolition_from_row(rows[0]) if rows else None


async def claims(db: Reader, abolition_id: str) -> list[RefundClaim]:
    rows = await db.execute_fetchall(
        f"SELECT {CLAIM_COLUMNS} FROM {CLAIM_FROM} WHERE c.abolition_id = ?"  # noqa: S608
        " ORDER BY c.claimed_at, c.claim_id",
        (abolition_id,),
    )
    return [claim_from_row(row) for row in rows]


async def claims_of_customer(db: Reader, customer_id: str) -> list[RefundClaim]:
    rows = await db.execute_fetchall(
        f"SELECT {CLAIM_COLUMNS} FROM {CLAIM_FROM} WHERE c.customer_id = ?"  # noqa: S608
        " ORDER BY c.claimed_at, c.claim_id",
        (customer_id,),
    )
    return [claim_from_row(row) for row in rows]


async def claim_of_voucher(db: Reader, voucher_id: str) -> RefundClaim | None:
    rows = list(
        await db.execute_fetchall(
            f"SELECT {CLAIM_COLUMNS} FROM {CLAIM_FROM} WHERE c.voucher_id = ?",  # noqa: S608
            (voucher_id,),
        )
    )
    return claim_from_row(rows[0]) if rows else None


async def refunds(db: Reader, limit: int = 200) -> list[Refund]:
    rows = await db.execute_fetchall(
        f"SELECT {REFUND_COLUMNS} FROM refunds"  # noqa: S608
        " ORDER BY refunded_at DESC, refund_id DESC LIMIT ?",
        (limit,),
    )
    return [refund_from_row(row) for row in rows]


async def refund_of_voucher(db: Reader, voucher_id: str) -> Refund | None:
    rows = list(
        await db.execute_fetchall(
            f"SELECT {REFUND_COLUMNS} FROM refunds WHERE voucher_id = ?",  # noqa: S608
            (voucher_id,),
        )
    )
    return refund_from_row(rows[0]) if rows else None


async def small_amount_basis(db: Reader, period: Period, zone: ZoneInfo) -> SmallAmountBasis:
    """refund_tables.small_amount_basis on a read pool."""
    start, end = basis_bounds(period, zone)
    rows = list(await db.execute_fetchall(SMALL_AMOUNT_REFUNDED, (period.start.isoformat(),)))
    return SmallAmountBasis(
        period,
        await ledger_queries.issued_face_between(db, start, end),
        await ledger_queries.voucher_liability_before(db, end),
        int(rows[0]["total"]),
    )
