"""Reads of card payments on the read pools: a customer's own, the console's list, the sweeps."""

from __future__ import annotations

from datetime import datetime

from node.ledger.rows import to_epoch
from node.payments.model import CardPayment, PaymentStatus
from node.payments.rows import PAYMENT_COLUMNS, payment_from_row
from node.reads import Reader


async def get_payment(db: Reader, payment_id: str) -> CardPayment | None:
    rows = await db.execute_fetchall(
        f"SELECT {PAYMENT_COLUMNS} FROM card_payments WHERE payment_id = ?",  # noqa: S608
        (payment_id,),
    )
    found = list(rows)
    return payment_from_row(found[0]) if found else None


async def list_payments(
    db: Reader, status: PaymentStatus | None = None, limit: int = 200
) -> list[CardPayment]:
    """The newest first, of one status or all."""
    where, params = ("WHERE status = ?", (str(status),)) if status else ("", ())
    rows = await db.execute_fetchall(
        f"SELECT {PAYMENT_COLUMNS} FROM card_payments {where}"  # noqa: S608
        " ORDER BY created_at DESC, payment_id DESC LIMIT ?",
        (*params, limit),
    )
    return [payment_from_row(r) for r in rows]


async def payments_of_customer(db: Reader, customer_id: str, limit: int = 50) -> list[CardPayment]:
    rows = await db.execute_fetchall(
        f"SELECT {PAYMENT_COLUMNS} FROM card_payments WHERE customer_id = ?"  # noqa: S608
        " ORDER BY created_at DESC, payment_id DESC LIMIT ?",
        (customer_id, limit),
    )
    return [payment_from_row(r) for r in rows]


async def payment_of_voucher(db: Reader, voucher_id: str) -> CardPayment | None:
    rows = await db.execute_fetchall(
        f"SELECT {PAYMENT_COLUMNS} FROM card_payments WHERE voucher_id = ?",  # noqa: S608
        (voucher_id,),
    )
    found = list(rows)
    return payment_from_row(found[0]) if found else None


async def unfinished(db: Reader, started_before: datetime, limit: int = 100) -> list[CardPayment]:
    """Payments pending since before `started_before` (abandoned), and refunds still to make,
    tried longest ago first (each attempt moves `updated_at`: rows that keep failing go behind
    newer ones); a payment that needs a person's attention is left to head office."""
    rows = await db.execute_fetchall(
        f"SELECT {PAYMENT_COLUMNS} FROM card_payments"  # noqa: S608
        " WHERE ((status = 'pending' AND created_at < ?) OR status = 'refunding')"
        " AND attention IS NULL ORDER BY updated_at, payment_id LIMIT ?",
        (to_epoch(started_before), limit),
    )
    return [payment_from_row(r) for r in rows]


async def fee_unknown(db: Reader, charged_since: datetime, limit: int = 20) -> list[CardPayment]:
    """Charged payments started since `charged_since` whose fee is not booked yet, the longest
    untried first (a failed read moves a payment behind the others)."""
    rows = await db.execute_fetchall(
        f"SELECT {PAYMENT_COLUMNS} FROM card_payments"  # noqa: S608
        " WHERE status IN ('issued', 'refunding', 'refunded') AND fee_yen IS NULL"
        " AND intent_id IS NOT NULL AND created_at >= ?"
        " ORDER BY updated_at, payment_id LIMIT ?",
        (to_epoch(charged_since), limit),
    )
    return [payment_from_row(r) for r in rows]
