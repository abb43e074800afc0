"""The participating stores' writer units: an application stored; approved (the ledger store
made, marked a small local shop when it asked to be, its store code given, all in one unit) or
rejected; a store code given to a store that has none; and a resident's payment at a store.

A payment is one unit: the form's key looked up (a second submit answers the redemption the
first made), the coupon checked to be the resident's own campaign coupon, its one-time code
made from its secret as the wallet's QR would show it, and the ledger's own redeem run with it,
so every rule of a redemption at the counter (balance, expiry, suspension, a 専用券's store
group) holds here too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from node.campaigns import bank_tables, store_tables
from node.campaigns.model import LOCAL_GROUP
from node.campaigns.store_model import ApplicationStatus, StoreApplication, StorePayment
from node.errors import (
    CouponNotHeld,
    KippuError,
    PayFormUsed,
    StoreApplicationDecided,
    StoreApplicationNotFound,
    StoreCodeUnknown,
    StoreNotFound,
)
from node.ledger import operations as ledger_operations
from node.ledger import tables as ledger_tables
from node.ledger import terms_tables
from node.ledger.model import Store
from node.ledger.operations import LedgerSettings, Redeemed
from node.ledger.qr import make_payload, parse_code

CODE_ATTEMPTS = 20  # a clash among 32**5 codes is rare; twenty in a row means a broken draw


def submit_application(app: StoreApplication) -> Callable[[sqlite3.Connection], StoreApplication]:
    def work(conn: sqlite3.Connection) -> StoreApplication:
        store_tables.insert_application(conn, app)
        return app

    return work


def give_code(
    conn: sqlite3.Connection, store_id: str, now: datetime, fresh_code: Callable[[], str]
) -> str:
    """The store's code, given now when it has none (inside the caller's unit)."""
    existing = store_tables.code_of_store(conn, store_id)
    if existing is not None:
        return existing
    for _ in range(CODE_ATTEMPTS):
        code = fresh_code()
        if store_tables.insert_code(conn, store_id, code, now):
            return code
    raise KippuError("no free store code found; the code's randomness is broken")


def ensure_code(
    store_id: str, now: datetime, fresh_code: Callable[[], str]
) -> Callable[[sqlite3.Connection], str]:
    def work(conn: sqlite3.Connection) -> str:
        if ledger_tables.load_store(conn, store_id) is None:
            raise StoreNotFound()
        return give_code(conn, store_id, now, fresh_code)

    return work


def _pending(conn: sqlite3.Connection, application_id: str) -> StoreApplication:
    found = store_tables.load_application(conn, application_id)
    if found is None:
        raise StoreApplicationNotFound()
    if found.status != ApplicationStatus.PENDING:
        raise StoreApplicationDecided(status=found.status.value)
    return found


@dataclass(frozen=True)
class Approval:
    application: StoreApplication  # as decided
    store_code: str


def approve(
    application_id: str,
    store_id: str,
    actor: str,
    now: datetime,
    fresh_code: Callable[[], str],
) -> Callable[[sqlite3.Connection], Approval]:
    """The ledger store made under `store_id`, its bank account recorded for payouts (the one it
    applied with, checked then), in the small local shops' group when the store asked to be one,
    with its store code; the application marked approved. All or nothing."""

    def work(conn: sqlite3.Connection) -> Approval:
        pending = _pending(conn, application_id)
        ledger_operations.add_store(Store(store_id, pending.name, now))(conn)
        bank_tables.record_store_bank(store_id, pending.account, now)(conn)
        if pending.wants_local:
            terms_tables.join_group(conn, store_id, LOCAL_GROUP)
        code = give_code(conn, store_id, now, fresh_code)
        store_tables.decide(
            conn, application_id, ApplicationStatus.APPROVED, "", now, actor, store_id
        )
        decided = store_tables.load_application(conn, application_id)
        assert decided is not None  # noqa: S101 - read just above in this transaction
        return Approval(decided, code)

    return work


def reject(
    application_id: str, reason: str, actor: str, now: datetime
) -> Callable[[sqlite3.Connection], StoreApplication]:
    def work(conn: sqlite3.Connection) -> StoreApplication:
        _pending(conn, application_id)
        store_tables.decide(
            conn, application_id, ApplicationStatus.REJECTED, reason, now, actor, None
        )
        decided = store_tables.load_application(conn, application_id)
        assert decided is not None  # noqa: S101 - read just above in this transaction
        return decided

    return work


@dataclass(frozen=True)
class PayRequest:
    """A payment asked for from the wallet, with what the writer must not draw itself: the
    redemption's ids and the one-time code's nonce."""

    pay_key: str
    customer_id: str
    store_code: str
    voucher_id: str
    amount_yen: int
    node_id: str
    nonce: bytes
    redemption_id: str
    txn_id: str


@dataclass(frozen=True)
class Paid:
    redeemed: Redeemed
    store: Store
    is_repeat: bool  # the form was submitted before: this is what that submit made


def pay(
    request: PayRequest, settings: LedgerSettings, now: datetime
) -> Callable[[sqlite3.Connection], Paid]:
    def work(conn: sqlite3.Connection) -> Paid:
        earlier = store_tables.payment_of_key(conn, request.pay_key)
        if earlier is not None:
            return _repeat(conn, earlier, request.customer_id)
        store_id = store_tables.store_of_code(conn, request.store_code)
        store = None if store_id is None else ledger_tables.load_store(conn, store_id)
        if store is None:
            raise StoreCodeUnknown()
        voucher = ledger_tables.load_voucher(conn, request.voucher_id)
        if voucher is None or not store_tables.is_coupon_of(
            conn, request.voucher_id, request.customer_id
        ):
            raise CouponNotHeld()
        payload = make_payload(
            request.node_id,
            voucher.voucher_id,
            voucher.secret,
            now,
            settings.step_seconds,
            request.nonce,
        )
        redeemed = ledger_operations.redeem(
            parse_code(payload),
            request.amount_yen,
            store.store_id,
            settings,
            now,
            request.redemption_id,
            request.txn_id,
        )(conn)
        store_tables.insert_payment(
            conn,
            StorePayment(
                request.pay_key, request.customer_id, store.store_id, request.redemption_id, now
            ),
        )
        return Paid(redeemed, store, is_repeat=False)

    return work


def _repeat(conn: sqlite3.Connection, earlier: StorePayment, customer_id: str) -> Paid:
    if earlier.customer_id != customer_id:
        raise PayFormUsed()
    redemption = ledger_tables.load_redemption(conn, earlier.redemption_id)
    store = ledger_tables.load_store(conn, earlier.store_id)
    voucher = (
        None if redemption is None else ledger_tables.load_voucher(conn, redemption.voucher_id)
    )
    if redemption is None or store is None or voucher is None:
        raise KippuError("a recorded store payment lost its redemption")
    return Paid(Redeemed(redemption, voucher, is_repeat=True), store, is_repeat=True)
