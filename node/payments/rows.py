"""A `card_payments` row, read by column name, as a CardPayment (shared by tables.py and queries.py)."""

from __future__ import annotations

import sqlite3

from node.ledger.rows import from_epoch
from node.payments.model import CardPayment, PaymentStatus

PAYMENT_COLUMNS = (
    "payment_id, intent_id, customer_id, product_id, amount_yen, face_yen, status, voucher_id,"
    " failure_code, refund_id, refund_reason, fee_yen, created_at, updated_at, attention,"
    " campaign_id"
)


def payment_from_row(row: sqlite3.Row) -> CardPayment:
    fee = row["fee_yen"]
    return CardPayment(
        payment_id=str(row["payment_id"]),
        intent_id=row["intent_id"],
        customer_id=str(row["customer_id"]),
        product_id=row["product_id"],
        amount_yen=int(row["amount_yen"]),
        face_yen=int(row["face_yen"]),
        status=PaymentStatus(row["status"]),
        voucher_id=row["voucher_id"],
        failure_code=row["failure_code"],
        refund_id=row["refund_id"],
        refund_reason=row["refund_reason"],
        fee_yen=None if fee is None else int(fee),
        created_at=from_epoch(int(row["created_at"])),
        updated_at=from_epoch(int(row["updated_at"])),
        attention=row["attention"],
        campaign_id=row["campaign_id"],
    )
