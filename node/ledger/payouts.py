"""Payout rules: value that leaves the vouchers to be paid back (払戻し) and the card processor's
fee. Pure, like core.py: each takes state and a request and returns one balanced entry.

A refund is booked in one step (refund_balance: Dr voucher, Cr cash:hq) when head office pays at
once, or in two when a holder claims under an abolition: the claim sets the balance aside
(set_aside_refund: Dr voucher, Cr refund_payable, the voucher void), so that nothing (expiry, a
resume and redemption, a void) can move the value claimed; paying it later clears the payable
(pay_refund_payable: Dr refund_payable, Cr cash:hq). All three are `refund` entries.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from node.errors import InvalidAmount, NothingToRefund, RefundAmountMismatch
from node.ledger.core import journal_entry, transition
from node.ledger.model import (
    PSP_FEE_ACCOUNT,
    REFUND_PAYABLE_ACCOUNT,
    EntryKind,
    Outcome,
    Voucher,
    VoucherStatus,
    cash_account,
    psp_account,
    voucher_account,
)


def _require_whole_amount(amount_yen: int) -> None:
    if isinstance(amount_yen, bool) or not isinstance(amount_yen, int) or amount_yen < 1:
        raise InvalidAmount()


def _require_refundable(voucher: Voucher, now: datetime) -> None:
    """A suspended voucher may be refunded (a lost phone); an expired one has nothing left (its
    remainder went to breakage), nor has a void or used-up one."""
    if voucher.status in (VoucherStatus.EXPIRED, VoucherStatus.VOID) or (
        voucher.status == VoucherStatus.ACTIVE and voucher.is_expired_at(now)
    ):
        raise NothingToRefund(status=str(voucher.status))
    if voucher.balance_yen <= 0:
        raise NothingToRefund(status=str(voucher.status))


def _refund_to(voucher: Voucher, account: str, now: datetime, txn_id: str) -> Outcome:
    after = transition(replace(voucher, balance_yen=0), VoucherStatus.VOID)
    entry = journal_entry(
        txn_id,
        EntryKind.REFUND,
        now,
        (voucher_account(voucher.voucher_id), voucher.balance_yen),
        (account, -voucher.balance_yen),
    )
    return Outcome((after,), entry)


def refund_balance(voucher: Voucher, amount_yen: int, now: datetime, txn_id: str) -> Outcome:
    """Pay back a voucher's whole unused balance (払戻し) from head office's cash, where 資金決済法
    20条 allows it (the caller decides the ground: node/compliance/). The voucher ends void: a
    refunded voucher can never be used again, nor take value back (void is final). `amount_yen`
    must be the balance: a balance that moved meanwhile is refused rather than guessed."""
    _require_refundable(voucher, now)
    _require_whole_amount(amount_yen)
    if amount_yen != voucher.balance_yen:
        raise RefundAmountMismatch(balance=voucher.balance_yen)
    return _refund_to(voucher, cash_account(None), now, txn_id)


def set_aside_refund(voucher: Voucher, now: datetime, txn_id: str) -> Outcome:
    """A holder's refund claim (払戻し請求) takes the whole balance out of the voucher into
    `refund_payable`, owed to the holder until head office pays it; the voucher ends void. The
    value has left the voucher liability at the claim (回収 in the 基準日 report then)."""
    _require_refundable(voucher, now)
    return _refund_to(voucher, REFUND_PAYABLE_ACCOUNT, now, txn_id)


def pay_refund_payable(amount_yen: int, now: datetime, txn_id: str) -> Outcome:
    """Head office paid a claim set aside before (bank transfer): the payable is cleared against
    its cash. No voucher moves; the entry is a `refund` too, its second half."""
    _require_whole_amount(amount_yen)
    entry = journal_entry(
        txn_id,
        EntryKind.REFUND,
        now,
        (REFUND_PAYABLE_ACCOUNT, amount_yen),
        (cash_account(None), -amount_yen),
    )
    return Outcome((), entry)


def book_psp_fee(provider: str, fee_yen: int, now: datetime, txn_id: str) -> Outcome:
    """The card processor's fee on an online sale, as it reported it: an expense, taken out of
    what the processor owes us (Dr psp_fee_expense, Cr psp:<provider>). No voucher moves."""
    _require_whole_amount(fee_yen)
    entry = journal_entry(
        txn_id,
        EntryKind.PSP_FEE,
        now,
        (PSP_FEE_ACCOUNT, fee_yen),
        (psp_account(provider), -fee_yen),
    )
    return Outcome((), entry)
