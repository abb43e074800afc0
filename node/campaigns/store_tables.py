"""The participating stores' SQL in the writer: applications and their decisions, store codes,
and the wallet's payments at a store keyed by their form (0039)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from node.campaigns.bank import AccountType, BankAccount
from node.campaigns.store_model import (
    ApplicationStatus,
    StoreApplication,
    StoreCategory,
    StorePayment,
)
from node.ledger.rows import from_epoch, maybe_epoch, to_epoch

APPLICATION_COLUMNS = (
    "application_id, name, address, category, wants_local, email, bank_code, branch_code,"
    " account_type, account_number, holder_kana, status, reason, applied_at, decided_at,"
    " decided_by, store_id"
)


def application_from_row(row: sqlite3.Row) -> StoreApplication:
    decided = row["decided_at"]
    return StoreApplication(
        application_id=row["application_id"],
        name=row["name"],
        address=row["address"],
        category=StoreCategory(row["category"]),
        wants_local=bool(row["wants_local"]),
        email=row["email"],
        account=BankAccount(
            bank_code=row["bank_code"],
            branch_code=row["branch_code"],
            account_type=AccountType(row["account_type"]),
            account_number=row["account_number"],
            holder_kana=row["holder_kana"],
        ),
        status=ApplicationStatus(row["status"]),
        reason=row["reason"],
        applied_at=from_epoch(row["applied_at"]),
        decided_at=None if decided is None else from_epoch(decided),
        decided_by=row["decided_by"],
        store_id=row["store_id"],
    )


def insert_application(conn: sqlite3.Connection, a: StoreApplication) -> None:
    conn.execute(
        f"INSERT INTO campaign_store_applications ({APPLICATION_COLUMNS})"  # noqa: S608
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            a.application_id,
            a.name,
            a.address,
            a.category.value,
            int(a.wants_local),
            a.email,
            a.account.bank_code,
            a.account.branch_code,
            a.account.account_type.value,
            a.account.account_number,
            a.account.holder_kana,
            a.status.value,
            a.reason,
            to_epoch(a.applied_at),
            maybe_epoch(a.decided_at),
            a.decided_by,
            a.store_id,
        ),
    )


def load_application(conn: sqlite3.Connection, application_id: str) -> StoreApplication | None:
    row = conn.execute(
        f"SELECT {APPLICATION_COLUMNS} FROM campaign_store_applications"  # noqa: S608
        " WHERE application_id = ?",
        (application_id,),
    ).fetchone()
    return None if row is None else application_from_row(row)


def decide(
    conn: sqlite3.Connection,
    application_id: str,
    status: ApplicationStatus,
    reason: str,
    now: datetime,
    actor: str,
    store_id: str | None,
) -> bool:
    """Record the decision of a pending application; False when it was decided already."""
    cursor = conn.execute(
        "UPDATE campaign_store_applications SET status = ?, reason = ?, decided_at = ?,"
        " decided_by = ?, store_id = ? WHERE application_id = ? AND status = 'pending'",
        (status.value, reason, to_epoch(now), actor, store_id, application_id),
    )
    return cursor.rowcount == 1


def code_of_store(conn: sqlite3.Connection, store_id: str) -> str | None:
    row = conn.execute(
        "SELECT code FROM campaign_store_codes WHERE store_id = ?", (store_id,)
    ).fetchone()
    return None if row is None else str(row["code"])


def store_of_code(conn: sqlite3.Connection, code: str) -> str | None:
    row = conn.execute(
        "SELECT store_id FROM campaign_store_codes WHERE code = ?", (code,)
    ).fetchone()
    return None if row is None else str(row["store_id"])


def insert_code(conn: sqlite3.Connection, store_id: str, code: str, now: datetime) -> bool:
    """Give the store `code`; False when another store has that code (draw another)."""
    cursor = conn.execute(
        "INSERT INTO campaign_store_codes (store_id, code, created_at) VALUES (?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        (store_id, code, to_epoch(now)),
    )
    return cursor.rowcount == 1


def payment_of_key(conn: sqlite3.Connection, pay_key: str) -> StorePayment | None:
    row = conn.execute(
        "SELECT pay_key, customer_id, store_id, redemption_id, paid_at"
        " FROM campaign_store_payments WHERE pay_key = ?",
        (pay_key,),
    ).fetchone()
    if row is None:
        return None
    return StorePayment(
        pay_key=row["pay_key"],
        customer_id=row["customer_id"],
        store_id=row["store_id"],
        redemption_id=row["redemption_id"],
        paid_at=from_epoch(row["paid_at"]),
    )


def insert_payment(conn: sqlite3.Connection, payment: StorePayment) -> None:
    conn.execute(
        "INSERT INTO campaign_store_payments"
        " (pay_key, customer_id, store_id, redemption_id, paid_at) VALUES (?, ?, ?, ?, ?)",
        (
            payment.pay_key,
            payment.customer_id,
            payment.store_id,
            payment.redemption_id,
            to_epoch(payment.paid_at),
        ),
    )


def is_coupon_of(conn: sqlite3.Connection, voucher_id: str, customer_id: str) -> bool:
    """Whether the voucher is a campaign coupon the customer holds now."""
    row = conn.execute(
        "SELECT 1 FROM campaign_grant_vouchers gv JOIN vouchers v ON v.voucher_id = gv.voucher_id"
        " WHERE gv.voucher_id = ? AND v.holder_id = ?",
        (voucher_id, customer_id),
    ).fetchone()
    return row is not None
