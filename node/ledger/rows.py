"""Mapping between SQLite rows and ledger values; shared by the writer's store and the read queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from node.ledger.model import Customer, Redemption, Store, Voucher, VoucherStatus

VOUCHER_COLUMNS = (
    "voucher_id, face_yen, price_yen, balance_yen, status, holder_id, store_id, created_at, "
    "expires_at, is_gift, has_given_gift, gifted_from, secret"
)
REDEMPTION_COLUMNS = (
    "r.redemption_id, r.voucher_id, r.store_id, r.amount_yen, r.receipt_no, r.txn_id, "
    "r.created_at, v.voided_at"
)
REDEMPTION_FROM = "redemptions r LEFT JOIN redemption_voids v USING (redemption_id)"


def to_epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def maybe_epoch(moment: datetime | None) -> int | None:
    return None if moment is None else to_epoch(moment)


def maybe_datetime(seconds: int | None) -> datetime | None:
    return None if seconds is None else from_epoch(seconds)


def voucher_from_row(row: Sequence[Any]) -> Voucher:
    return Voucher(
        voucher_id=row[0],
        face_yen=row[1],
        price_yen=row[2],
        balance_yen=row[3],
        status=VoucherStatus(row[4]),
        holder_id=row[5],
        store_id=row[6],
        created_at=from_epoch(row[7]),
        expires_at=maybe_datetime(row[8]),
        is_gift=bool(row[9]),
        has_given_gift=bool(row[10]),
        gifted_from=row[11],
        secret=bytes(row[12]),
    )


def store_from_row(row: Sequence[Any]) -> Store:
    return Store(row[0], row[1], from_epoch(row[2]))


def customer_from_row(row: Sequence[Any]) -> Customer:
    return Customer(row[0], row[1], row[2], from_epoch(row[3]))


def redemption_from_row(row: Sequence[Any]) -> Redemption:
    return Redemption(
        redemption_id=row[0],
        voucher_id=row[1],
        store_id=row[2],
        amount_yen=row[3],
        receipt_no=row[4],
        txn_id=row[5],
        created_at=from_epoch(row[6]),
        voided_at=maybe_datetime(row[7]),
    )
