"""Writer units of the payout rules (payouts.py): a refund booked at once, a claimed refund set
aside and later paid, a card processor's fee. Each runs inside the writer's transaction; whoever
calls it decides the legal ground or makes sure it is booked once, in that same transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from node.errors import VoucherNotFound
from node.ledger import payouts, tables
from node.ledger.model import Voucher


def _voucher(conn: sqlite3.Connection, voucher_id: str) -> Voucher:
    voucher = tables.load_voucher(conn, voucher_id)
    if voucher is None:
        raise VoucherNotFound()
    return voucher


def refund(
    voucher_id: str, amount_yen: int, now: datetime, txn_id: str
) -> Callable[[sqlite3.Connection], Voucher]:
    """Book a refund (payouts.refund_balance): the `refund` entry and the voucher void. Whoever
    calls it has decided the legal ground and records it in its own table, in this transaction.
    A rerun after a crash finds the voucher void and refuses: nothing is refunded twice."""

    def work(conn: sqlite3.Connection) -> Voucher:
        outcome = payouts.refund_balance(_voucher(conn, voucher_id), amount_yen, now, txn_id)
        tables.save_outcome(conn, outcome)
        return outcome.vouchers[0]

    return work


def set_aside_refund(
    voucher_id: str, now: datetime, txn_id: str
) -> Callable[[sqlite3.Connection], int]:
    """Move a claimed voucher's whole balance to `refund_payable` (payouts.set_aside_refund) and
    void the voucher; returns the amount set aside, which is the amount to pay."""

    def work(conn: sqlite3.Connection) -> int:
        voucher = _voucher(conn, voucher_id)
        tables.save_outcome(conn, payouts.set_aside_refund(voucher, now, txn_id))
        return voucher.balance_yen

    return work


def pay_refund_payable(
    amount_yen: int, now: datetime, txn_id: str
) -> Callable[[sqlite3.Connection], None]:
    """Book the payment of a refund set aside (payouts.pay_refund_payable); the caller pays each
    claim once (node/compliance/refund_operations.py records it in the same transaction)."""

    def work(conn: sqlite3.Connection) -> None:
        tables.save_outcome(conn, payouts.pay_refund_payable(amount_yen, now, txn_id))

    return work


def book_psp_fee(
    provider: str, fee_yen: int, now: datetime, txn_id: str
) -> Callable[[sqlite3.Connection], None]:
    """Book a card processor's fee (payouts.book_psp_fee); the caller makes sure it is booked once
    per payment (node/payments/operations.py does, in the same transaction)."""

    def work(conn: sqlite3.Connection) -> None:
        tables.save_outcome(conn, payouts.book_psp_fee(provider, fee_yen, now, txn_id))

    return work
