"""Mapping between SQLite rows and ledger values; shared by the writer's store and the read queries."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from node.ledger.model import (
    Customer,
    PaymentMethod,
    Redemption,
    Sale,
    Store,
    Voucher,
    VoucherStatus,
)


def to_epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def maybe_epoch(moment: datetime | None) -> int | None:
    return None if moment is None else to_epoch(moment)


def maybe_datetime(seconds: int | None) -> datetime | None:
    return None if seconds is None else from_epoch(seconds)


def voucher_from_row(row: sqlite3.Row) -> Voucher:
    return Voucher(
        voucher_id=row["voucher_id"],
        face_yen=row["face_yen"],
        price_yen=row["price_yen"],
        balance_yen=row["balance_yen"],
        status=VoucherStatus(row["status"]),
        holder_id=row["holder_id"],
        store_id=row["store_id"],
        created_at=from_epoch(row["created_at"]),
        expires_at=maybe_datetime(row["expires_at"]),
        is_gift=bool(row["is_gift"]),
        has_given_gift=bool(row["has_given_gift"]),
        gifted_from=row["gifted_from"],
        secret=bytes(row["secret"]),
        suspended_at=maybe_datetime(row["suspended_at"]),
    )


def store_from_row(row: sqlite3.Row) -> Store:
    return Store(row["store_id"], row["name"], from_epoch(row["created_at"]))


def customer_from_row(row: sqlite3.Row) -> Customer:
    return Customer(row["customer_id"], row["name"], row["email"], from_epoch(row["created_at"]))


def redemption_from_row(row: sqlite3.Row) -> Redemption:
    return Redemption(
        redemption_id=row["redemption_id"],
        voucher_id=row["voucher_id"],
        store_id=row["store_id"],
        amount_yen=row["amount_yen"],
        receipt_no=row["receipt_no"],
        txn_id=row["txn_id"],
        created_at=from_epoch(row["created_at"]),
        voided_at=maybe_datetime(row["voided_at"]),
    )


def sale_from_row(row: sqlite3.Row) -> Sale:
    return Sale(
        voucher_id=row["voucher_id"],
        store_id=row["store_id"],
        face_yen=row["face_yen"],
        price_yen=row["price_yen"],
        payment_method=PaymentMethod(row["payment_method"]),
        sold_by=row["sold_by"],
        txn_id=row["txn_id"],
        created_at=from_epoch(row["created_at"]),
        cancelled_at=maybe_datetime(row["cancelled_at"]),
        cancel_txn_id=row["cancel_txn_id"],
        cancelled_by=row["cancelled_by"],
        is_received=bool(row["is_received"]),
    )
