"""An offer's writer-side SQL: the offer a mail carries and the coupon each recipient got."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from node.crm.offers import Offer
from node.ledger.rows import to_epoch


def insert_offer(conn: sqlite3.Connection, mail_id: str, offer: Offer, group: str | None) -> None:
    conn.execute(
        "INSERT INTO mail_offers (mail_id, face_yen, use_until, store_group) VALUES (?, ?, ?, ?)",
        (mail_id, offer.face_yen, to_epoch(offer.use_until), group),
    )


def coupon_of(conn: sqlite3.Connection, mail_id: str, customer_id: str) -> str | None:
    row = conn.execute(
        "SELECT voucher_id FROM mail_offer_coupons WHERE mail_id = ? AND customer_id = ?",
        (mail_id, customer_id),
    ).fetchone()
    return None if row is None else str(row["voucher_id"])


def insert_coupon(
    conn: sqlite3.Connection, mail_id: str, customer_id: str, voucher_id: str, now: datetime
) -> None:
    conn.execute(
        "INSERT INTO mail_offer_coupons (mail_id, customer_id, voucher_id, issued_at)"
        " VALUES (?, ?, ?, ?)",
        (mail_id, customer_id, voucher_id, to_epoch(now)),
    )
