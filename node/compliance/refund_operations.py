"""Writer units of refunds: announce an abolition, record a holder's claim (its balance set aside
and the voucher void), pay a claim, refund a voucher on a 府令 ground. Each books value only
through the ledger's payout operations and records its ground in this package's tables, in one
transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from node.compliance import refund_rules, refund_tables
from node.compliance.refund_model import (
    Abolition,
    BankAccount,
    Refund,
    RefundClaim,
    RefundGround,
)
from node.errors import (
    NothingToRefund,
    RefundClaimExists,
    RefundClaimNotFound,
    RefundClaimPaid,
    RefundNotHolder,
    RefundVoucherHeld,
    VoucherNotFound,
)
from node.ledger import operations as ledger_operations
from node.ledger import payout_operations, tables
from node.ledger.model import Voucher, VoucherStatus

T = TypeVar("T")


@dataclass(frozen=True)
class RefundIds:
    """Ids drawn by the caller for one refund: its row and its journal entry."""

    refund_id: str
    txn_id: str


def abolish(
    abolition_id: str,
    notice_date: date,
    claim_until: date,
    actor: str,
    now: datetime,
    zone: ZoneInfo,
) -> Callable[[sqlite3.Connection], Abolition]:
    def work(conn: sqlite3.Connection) -> Abolition:
        earlier = refund_tables.abolitions(conn)
        abolition = refund_rules.plan_abolition(
            abolition_id, notice_date, claim_until, actor, earlier, now, zone
        )
        refund_tables.insert_abolition(conn, abolition)
        return abolition

    return work


def require_selling(now: datetime) -> Callable[[sqlite3.Connection], None]:
    """Refuse (refund.business_abolished) inside a sale's transaction while an abolition is
    announced or open: run it first in the unit that sells, so a sale and an abolition recorded
    at the same moment cannot both stand."""

    def work(conn: sqlite3.Connection) -> None:
        earlier = refund_tables.abolitions(conn)
        refund_rules.require_selling(earlier[0] if earlier else None, now)

    return work


def while_selling(
    now: datetime, sale: Callable[[sqlite3.Connection], T]
) -> Callable[[sqlite3.Connection], T]:
    """The unit `sale`, refused first (require_selling) while an abolition is announced or open."""

    def work(conn: sqlite3.Connection) -> T:
        require_selling(now)(conn)
        return sale(conn)

    return work


def _refundable(conn: sqlite3.Connection, voucher_id: str, now: datetime) -> Voucher:
    voucher = tables.load_voucher(conn, voucher_id)
    if voucher is None:
        raise VoucherNotFound()
    if (
        voucher.status != VoucherStatus.ACTIVE
        or voucher.balance_yen <= 0
        or voucher.is_expired_at(now)
    ):
        raise NothingToRefund(status=str(voucher.status))
    return voucher


def claim_txn_id(claim_id: str) -> str:
    """The journal entry that set a claim's balance aside: derived from the claim, so a claim has
    exactly one and it can be found from the claim."""
    return f"tx_claim_{claim_id}"


def claim(
    claim_id: str,
    voucher_id: str,
    customer_id: str,
    account: BankAccount,
    now: datetime,
) -> Callable[[sqlite3.Connection], RefundClaim]:
    """The holder claims the voucher's whole balance inside the open window. The balance is set
    aside at once (Dr voucher, Cr refund_payable) and the voucher is void: the amount claimed is
    the amount paid, whatever happens to the voucher afterwards (its expiry, a resume, a void)."""

    def work(conn: sqlite3.Connection) -> RefundClaim:
        abolitions = refund_tables.abolitions(conn)
        abolition = refund_rules.require_claimable(abolitions[0] if abolitions else None, now)
        voucher = _refundable(conn, voucher_id, now)
        if voucher.holder_id != customer_id:
            raise RefundNotHolder()
        if refund_tables.claim_of_voucher(conn, voucher_id) is not None:
            raise RefundClaimExists()
        set_aside = payout_operations.set_aside_refund(voucher_id, now, claim_txn_id(claim_id))
        new = RefundClaim(
            claim_id,
            abolition.abolition_id,
            voucher_id,
            customer_id,
            set_aside(conn),
            account,
            now,
        )
        refund_tables.insert_claim(conn, new)
        return new

    return work


@dataclass(frozen=True)
class Claimant:
    """Someone head office records a claim for (a voucher nobody holds): the customer record made
    for them (no e-mail), and their name as they gave it."""

    customer_id: str
    name: str


def record_claim(
    claim_id: str,
    voucher_id: str,
    claimant: Claimant,
    account: BankAccount,
    now: datetime,
) -> Callable[[sqlite3.Connection], RefundClaim]:
    """Head office records the claim of a bearer without an account (a counter sale nobody took,
    a gift not received), who showed it the voucher: the claimant becomes a customer without
    e-mail, holds the voucher, and claims it as a holder would (`claim`), in one transaction."""
    take = claim(claim_id, voucher_id, claimant.customer_id, account, now)

    def work(conn: sqlite3.Connection) -> RefundClaim:
        abolitions = refund_tables.abolitions(conn)
        refund_rules.require_claimable(abolitions[0] if abolitions else None, now)
        voucher = _refundable(conn, voucher_id, now)
        if voucher.holder_id is not None:
            raise RefundVoucherHeld()
        ledger_operations.add_customer(claimant.customer_id, claimant.name, None, now)(conn)
        ledger_operations.hand_over(voucher_id, claimant.customer_id, now)(conn)
        return take(conn)

    return work


def pay_claim(
    claim_id: str, reference: str, actor: str, ids: RefundIds, now: datetime, zone: ZoneInfo
) -> Callable[[sqlite3.Connection], RefundClaim]:
    """Head office paid the claim (bank transfer `reference`): clear what the claim set aside
    against head office's cash and record the refund (its `txn_id` is this payment's entry)."""

    def work(conn: sqlite3.Connection) -> RefundClaim:
        found = refund_tables.load_claim(conn, claim_id)
        if found is None:
            raise RefundClaimNotFound()
        if found.is_paid:
            raise RefundClaimPaid()
        payout_operations.pay_refund_payable(found.amount_yen, now, ids.txn_id)(conn)
        refund = Refund(
            ids.refund_id,
            found.voucher_id,
            RefundGround.ABOLITION,
            found.amount_yen,
            ids.txn_id,
            claim_id,
            None,
            reference,
            refund_rules.period_of(now.astimezone(zone).date()).start,
            actor,
            now,
        )
        refund_tables.insert_refund(conn, refund)
        return replace(found, refund_id=ids.refund_id, reference=reference, paid_at=now)

    return work


def refund_voucher(
    voucher_id: str,
    ground: RefundGround,
    reason: str | None,
    actor: str,
    ids: RefundIds,
    now: datetime,
    zone: ZoneInfo,
) -> Callable[[sqlite3.Connection], Refund]:
    """Head office refunds a voucher's whole balance on a 府令 ground (the ground is checked by
    refund_rules.checked_ground before): small_amount within the period's limit, unavoidable
    with its reason. A voucher with a claim is paid through its claim instead."""

    def work(conn: sqlite3.Connection) -> Refund:
        voucher = _refundable(conn, voucher_id, now)
        if refund_tables.claim_of_voucher(conn, voucher_id) is not None:
            raise RefundClaimExists()
        period = refund_rules.period_of(now.astimezone(zone).date())
        basis = refund_tables.small_amount_basis(conn, period, zone)
        if ground == RefundGround.SMALL_AMOUNT:
            refund_rules.require_small_amount(basis, voucher.balance_yen)
        payout_operations.refund(voucher_id, voucher.balance_yen, now, ids.txn_id)(conn)
        refund = Refund(
            ids.refund_id,
            voucher_id,
            ground,
            voucher.balance_yen,
            ids.txn_id,
            None,
            reason,
            None,
            basis.period.start,
            actor,
            now,
        )
        refund_tables.insert_refund(conn, refund)
        return refund

    return work
