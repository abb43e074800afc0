"""SQL the writer runs for card payments: `card_payments` and `stripe_events` (migration 0021)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from node.ledger.rows import from_epoch, to_epoch
from node.payments.model import CardPayment
from node.payments.rows import PAYMENT_COLUMNS, payment_from_row
from node.products.core import PastPurchase


def insert_payment(conn: sqlite3.Connection, payment: CardPayment) -> None:
    conn.execute(
        "INSERT INTO card_payments (payment_id, intent_id, customer_id, product_id, campaign_id,"
        " amount_yen, face_yen, status, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            payment.payment_id,
            payment.intent_id,
            payment.customer_id,
            payment.product_id,
            payment.campaign_id,
            payment.amount_yen,
            payment.face_yen,
            str(payment.status),
            to_epoch(payment.created_at),
            to_epoch(payment.updated_at),
        ),
    )


def save_payment(conn: sqlite3.Connection, payment: CardPayment) -> None:
    """Write the payment's changing fields (the triggers keep the voucher and the fee set once)."""
    conn.execute(
        "UPDATE card_payments SET intent_id = ?, status = ?, voucher_id = ?, failure_code = ?,"
        " refund_id = ?, refund_reason = ?, fee_yen = ?, updated_at = ?, attention = ?"
        " WHERE payment_id = ?",
        (
            payment.intent_id,
            str(payment.status),
            payment.voucher_id,
            payment.failure_code,
            payment.refund_id,
            payment.refund_reason,
            payment.fee_yen,
            to_epoch(payment.updated_at),
            payment.attention,
            payment.payment_id,
        ),
    )


def load_payment(conn: sqlite3.Connection, payment_id: str) -> CardPayment | None:
    row = conn.execute(
        f"SELECT {PAYMENT_COLUMNS} FROM card_payments WHERE payment_id = ?",  # noqa: S608
        (payment_id,),
    ).fetchone()
    return payment_from_row(row) if row else None


def payment_of_intent(conn: sqlite3.Connection, intent_id: str) -> CardPayment | None:
    row = conn.execute(
        f"SELECT {PAYMENT_COLUMNS} FROM card_payments WHERE intent_id = ?",  # noqa: S608
        (intent_id,),
    ).fetchone()
    return payment_from_row(row) if row else None


def record_event(
    conn: sqlite3.Connection, event_id: str, event_type: str, intent_id: str | None, now: datetime
) -> bool:
    """Note a webhook event as processed; False when it was already (a replay)."""
    cursor = conn.execute(
        "INSERT INTO stripe_events (event_id, event_type, intent_id, received_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING",
        (event_id, event_type, intent_id, to_epoch(now)),
    )
    return cursor.rowcount == 1


def pending_purchases(
    conn: sqlite3.Connection, customer_id: str, product_id: str
) -> list[PastPurchase]:
    """The customer's payments of the product still being paid: counted against its limits."""
    rows = conn.execute(
        "SELECT created_at, amount_yen FROM card_payments"
        " WHERE customer_id = ? AND product_id = ? AND status = 'pending'",
        (customer_id, product_id),
    ).fetchall()
    return [PastPurchase(from_epoch(int(r["created_at"])), int(r["amount_yen"])) for r in rows]


def savepoint(conn: sqlite3.Connection, name: str) -> None:
    conn.execute(f"SAVEPOINT {name}")


def rollback_to(conn: sqlite3.Connection, name: str) -> None:
    """Undo what was written since the savepoint, and leave it."""
    conn.execute(f"ROLLBACK TO {name}")
    conn.execute(f"RELEASE {name}")


def release(conn: sqlite3.Connection, name: str) -> None:
    conn.execute(f"RELEASE {name}")
