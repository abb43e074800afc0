"""Mapping between SQLite rows and points values; shared by the writer's tables and the reads."""

from __future__ import annotations

import sqlite3

from node.ledger.rows import from_epoch, maybe_datetime
from node.points.model import (
    Campaign,
    ExpiryKind,
    Lot,
    Member,
    Program,
    Purchase,
    Rounding,
    StoreRate,
)

MEMBER_COLUMNS = "customer_id, member_no, card_no, card_secret, notify_expiry, created_at"
PROGRAM_COLUMNS = (
    "version_id, effective_from, earn_points, earn_per_yen, rounding, expiry_kind, expiry_days,"
    " point_value_yen, min_use_points, created_at, created_by"
)
STORE_RATE_COLUMNS = "store_id, effective_from, earn_points, earn_per_yen, created_at, created_by"
CAMPAIGN_COLUMNS = (
    "campaign_id, name, store_id, multiplier_pct, starts_at, ends_at, created_at, created_by,"
    " cancelled_at"
)
LOT_COLUMNS = "lot_id, customer_id, entry_id, earned_at, expires_at, points, remaining, expired_at"
PURCHASE_COLUMNS = (
    "txn_id, customer_id, store_id, purchase_yen, points, entry_id, created_at, returned_at"
)


def member_from_row(row: sqlite3.Row) -> Member:
    return Member(
        customer_id=row["customer_id"],
        member_no=row["member_no"],
        card_no=row["card_no"],
        card_secret=bytes(row["card_secret"]),
        notify_expiry=bool(row["notify_expiry"]),
        created_at=from_epoch(row["created_at"]),
    )


def program_from_row(row: sqlite3.Row) -> Program:
    return Program(
        version_id=row["version_id"],
        effective_from=from_epoch(row["effective_from"]),
        earn_points=row["earn_points"],
        earn_per_yen=row["earn_per_yen"],
        rounding=Rounding(row["rounding"]),
        expiry_kind=ExpiryKind(row["expiry_kind"]),
        expiry_days=row["expiry_days"],
        point_value_yen=row["point_value_yen"],
        min_use_points=row["min_use_points"],
        created_at=from_epoch(row["created_at"]),
        created_by=row["created_by"],
    )


def store_rate_from_row(row: sqlite3.Row) -> StoreRate:
    return StoreRate(
        store_id=row["store_id"],
        effective_from=from_epoch(row["effective_from"]),
        earn_points=row["earn_points"],
        earn_per_yen=row["earn_per_yen"],
        created_at=from_epoch(row["created_at"]),
        created_by=row["created_by"],
    )


def campaign_from_row(row: sqlite3.Row) -> Campaign:
    return Campaign(
        campaign_id=row["campaign_id"],
        name=row["name"],
        store_id=row["store_id"],
        multiplier_pct=row["multiplier_pct"],
        starts_at=from_epoch(row["starts_at"]),
        ends_at=from_epoch(row["ends_at"]),
        created_at=from_epoch(row["created_at"]),
        created_by=row["created_by"],
        cancelled_at=maybe_datetime(row["cancelled_at"]),
    )


def lot_from_row(row: sqlite3.Row) -> Lot:
    return Lot(
        lot_id=row["lot_id"],
        customer_id=row["customer_id"],
        entry_id=row["entry_id"],
        earned_at=from_epoch(row["earned_at"]),
        expires_at=maybe_datetime(row["expires_at"]),
        points=row["points"],
        remaining=row["remaining"],
        expired_at=maybe_datetime(row["expired_at"]),
    )


def purchase_from_row(row: sqlite3.Row) -> Purchase:
    return Purchase(
        txn_id=row["txn_id"],
        customer_id=row["customer_id"],
        store_id=row["store_id"],
        purchase_yen=row["purchase_yen"],
        points=row["points"],
        entry_id=row["entry_id"],
        created_at=from_epoch(row["created_at"]),
        returned_at=maybe_datetime(row["returned_at"]),
    )
