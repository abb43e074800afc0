"""SQL run inside the writer's transaction for refunds: abolitions, claims, refunds (this
package's tables), and the small-amount limit's basis: its refunds from here, its journal
figures from the ledger's tables."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from zoneinfo import ZoneInfo

from node.compliance.refund_model import (
    Abolition,
    AccountType,
    BankAccount,
    Period,
    Refund,
    RefundClaim,
    RefundGround,
    SmallAmountBasis,
)
from node.compliance.refund_rules import previous_period
from node.ledger import tables as ledger_tables
from node.ledger.calendar import end_of_local_day, start_of_local_day
from node.ledger.rows import from_epoch, maybe_datetime, to_epoch

ABOLITION_COLUMNS = (
    "abolition_id, notice_date, claim_until, opens_at, closes_at, declared_by, created_at"
)
CLAIM_COLUMNS = (
    "c.claim_id, c.abolition_id, c.voucher_id, c.customer_id, c.amount_yen, c.bank_name,"
    " c.branch_name, c.account_type, c.account_number, c.account_holder, c.claimed_at,"
    " r.refund_id, r.reference, r.refunded_at"
)
CLAIM_FROM = "refund_claims c LEFT JOIN refunds r ON r.claim_id = c.claim_id"
REFUND_COLUMNS = (
    "refund_id, voucher_id, ground, amount_yen, txn_id, claim_id, reason, reference,"
    " period_start, refunded_by, refunded_at"
)


def abolition_from_row(row: sqlite3.Row) -> Abolition:
    return Abolition(
        abolition_id=row["abolition_id"],
        notice_date=date.fromisoformat(row["notice_date"]),
        claim_until=date.fromisoformat(row["claim_until"]),
        opens_at=from_epoch(row["opens_at"]),
        closes_at=from_epoch(row["closes_at"]),
        declared_by=row["declared_by"],
        created_at=from_epoch(row["created_at"]),
    )


def claim_from_row(row: sqlite3.Row) -> RefundClaim:
    account = BankAccount(
        bank_name=row["bank_name"],
        branch_name=row["branch_name"],
        account_type=AccountType(row["account_type"]),
        account_number=row["account_number"],
        account_holder=row["account_holder"],
    )
    return RefundClaim(
        claim_id=row["claim_id"],
        abolition_id=row["abolition_id"],
        voucher_id=row["voucher_id"],
        customer_id=row["customer_id"],
        amount_yen=row["amount_yen"],
        account=account,
        claimed_at=from_epoch(row["claimed_at"]),
        refund_id=row["refund_id"],
        reference=row["reference"],
        paid_at=maybe_datetime(row["refunded_at"]),
    )


def refund_from_row(row: sqlite3.Row) -> Refund:
    return Refund(
        refund_id=row["refund_id"],
        voucher_id=row["voucher_id"],
        ground=RefundGround(row["ground"]),
        amount_yen=row["amount_yen"],
        txn_id=row["txn_id"],
        claim_id=row["claim_id"],
        reason=row["reason"],
        reference=row["reference"],
        period_start=date.fromisoformat(row["period_start"]),
        refunded_by=row["refunded_by"],
        refunded_at=from_epoch(row["refunded_at"]),
    )


def abolitions(conn: sqlite3.Connection) -> list[Abolition]:
    rows = conn.execute(
        f"SELECT {ABOLITION_COLUMNS} FROM refund_abolitions"  # noqa: S608
        " ORDER BY opens_at DESC, abolition_id DESC"
    ).fetchall()
    return [abolition_from_row(row) for row in rows]


def insert_abolition(conn: sqlite3.Connection, abolition: Abolition) -> None:
    conn.execute(
        f"INSERT INTO refund_abolitions ({ABOLITION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        (
            abolition.abolition_id,
            abolition.notice_date.isoformat(),
            abolition.claim_until.isoformat(),
            to_epoch(abolition.opens_at),
            to_epoch(abolition.closes_at),
            abolition.declared_by,
            to_epoch(abolition.created_at),
        ),
    )


def load_claim(conn: sqlite3.Connection, claim_id: str) -> RefundClaim | None:
    row = conn.execute(
        f"SELECT {CLAIM_COLUMNS} FROM {CLAIM_FROM} WHERE c.claim_id = ?",  # noqa: S608
        (claim_id,),
    ).fetchone()
    return None if row is None else claim_from_row(row)


def claim_of_voucher(conn: sqlite3.Connection, voucher_id: str) -> RefundClaim | None:
    row = conn.execute(
        f"SELECT {CLAIM_COLUMNS} FROM {CLAIM_FROM} WHERE c.voucher_id = ?",  # noqa: S608
        (voucher_id,),
    ).fetchone()
    return None if row is None else claim_from_row(row)


def insert_claim(conn: sqlite3.Connection, claim: RefundClaim) -> None:
    account = claim.account
    conn.execute(
        "INSERT INTO refund_claims (claim_id, abolition_id, voucher_id, customer_id, amount_yen,"
        " bank_name, branch_name, account_type, account_number, account_holder, claimed_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            claim.claim_id,
            claim.abolition_id,
            claim.voucher_id,
            claim.customer_id,
            claim.amount_yen,
            account.bank_name,
            account.branch_name,
            str(account.account_type),
            account.account_number,
            account.account_holder,
            to_epoch(claim.claimed_at),
        ),
    )


def insert_refund(conn: sqlite3.Connection, refund: Refund) -> None:
    conn.execute(
        f"INSERT INTO refunds ({REFUND_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        (
            refund.refund_id,
            refund.voucher_id,
            str(refund.ground),
            refund.amount_yen,
            refund.txn_id,
            refund.claim_id,
            refund.reason,
            refund.reference,
            refund.period_start.isoformat(),
            refund.refunded_by,
            to_epoch(refund.refunded_at),
        ),
    )


SMALL_AMOUNT_REFUNDED = (
    "SELECT coalesce(sum(amount_yen), 0) AS total FROM refunds"
    " WHERE ground = 'small_amount' AND period_start = ?"
)


def basis_bounds(period: Period, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The previous 基準期間 of `period` as instants: from its first local midnight to the end of
    its 基準日. The basis is the ledger's issuance between them (ledger tables.
    issued_face_between: issues less same-day sale cancels) and its voucher liability at the
    end (voucher_liability_before)."""
    previous = previous_period(period)
    return start_of_local_day(previous.start, zone), end_of_local_day(previous.end, zone)


def small_amount_refunded(conn: sqlite3.Connection, period: Period) -> int:
    row = conn.execute(SMALL_AMOUNT_REFUNDED, (period.start.isoformat(),)).fetchone()
    return int(row["total"])


def small_amount_basis(
    conn: sqlite3.Connection, period: Period, zone: ZoneInfo
) -> SmallAmountBasis:
    start, end = basis_bounds(period, zone)
    return SmallAmountBasis(
        period,
        ledger_tables.issued_face_between(conn, start, end),
        ledger_tables.voucher_liability_before(conn, end),
        small_amount_refunded(conn, period),
    )
