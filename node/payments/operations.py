"""Card payments' writer units: start, settle (issue exactly once), refund, fee, abandon.

Each is a function of the writer's connection, run in its one transaction (node/writer.py), and
may run more than once: ids and secrets are drawn before. Whichever of the webhook and the
customer's return arrives first, both go through `settle`, and the payment row decides: the
first run that finds it `pending` issues (or refunds), every later one finds it final.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from node.campaigns import holds
from node.errors import KippuError, PaymentNotFound
from node.ledger import change_operations, payout_operations
from node.ledger.changes import ChangeRequest
from node.payments import core, tables
from node.payments.core import Next
from node.payments.model import PROVIDER, CardPayment, IntentView, PaymentStatus, StripeEvent
from node.products import operations as product_operations

# Given the payment being paid, the writer unit that issues its voucher and returns the voucher's
# id (node.products.operations.sell_product, wrapped by actions.py); it raises a KippuError when
# the voucher cannot be issued (limit reached meanwhile, retired, sold out).
SellFor = Callable[[CardPayment], Callable[[sqlite3.Connection], str]]


# A premium set's hold (node/campaigns/holds.py hold_in), made in the payment's start unit.
Reserve = Callable[[sqlite3.Connection], None]


def start(
    payment: CardPayment, zone: ZoneInfo, reserve: Reserve | None = None
) -> Callable[[sqlite3.Connection], tuple[CardPayment, bool]]:
    """Record a new pending payment, once the sale would be allowed (on sale, the customer's
    limits counting the payments still pending, stock: refused before any charge; a campaign's
    set: `reserve` holds it, or refuses as a grant would); a form posted twice (its id is the
    form's one-time key) answers the payment the first post started, and False: it is charged
    once."""

    def work(conn: sqlite3.Connection) -> tuple[CardPayment, bool]:
        earlier = tables.load_payment(conn, payment.payment_id)
        if earlier is None:
            if reserve is not None:
                reserve(conn)
            else:
                _require_product(conn, payment, zone)
            tables.insert_payment(conn, payment)
            return payment, True
        if _bought(earlier) != _bought(payment):
            raise PaymentNotFound()  # another purchase's key: nothing of it is shown
        return earlier, False

    return work


def _bought(payment: CardPayment) -> tuple[str, str | None, str | None]:
    return payment.customer_id, payment.product_id, payment.campaign_id


def _require_product(conn: sqlite3.Connection, payment: CardPayment, zone: ZoneInfo) -> None:
    if payment.product_id is None:
        raise PaymentNotFound("A card payment buys a product or a campaign's set.")
    pending = tables.pending_purchases(conn, payment.customer_id, payment.product_id)
    product_operations.require_sellable(
        conn, payment.product_id, payment.customer_id, pending, zone, payment.created_at
    )


def attach_intent(
    payment_id: str, intent_id: str, now: datetime
) -> Callable[[sqlite3.Connection], CardPayment]:
    """Remember the payment's PaymentIntent (once; the same id again changes nothing)."""

    def work(conn: sqlite3.Connection) -> CardPayment:
        payment = _load(conn, payment_id)
        if payment.intent_id == intent_id:
            return payment
        updated = replace(payment, intent_id=intent_id, updated_at=now)
        tables.save_payment(conn, updated)
        return updated

    return work


def settle(
    payment_id: str, intent: IntentView, sell_for: SellFor, now: datetime
) -> Callable[[sqlite3.Connection], CardPayment]:
    """Bring the payment where Stripe's `intent` says: issue its voucher (or mark it to refund
    when the voucher cannot be issued), fail, cancel, or leave it pending."""

    def work(conn: sqlite3.Connection) -> CardPayment:
        return _settle(conn, _load(conn, payment_id), intent, sell_for, now)

    return work


def _settle(
    conn: sqlite3.Connection,
    payment: CardPayment,
    intent: IntentView,
    sell_for: SellFor,
    now: datetime,
) -> CardPayment:
    step = core.next_step(payment, intent)
    if step == Next.NOTHING:
        return payment
    if payment.intent_id is None:
        payment = replace(payment, intent_id=intent.intent_id)
    if step == Next.ISSUE:
        updated = _issue_or_refund(conn, payment, sell_for, now)
    elif step == Next.FAIL:
        failed = core.move(payment, PaymentStatus.FAILED, now)
        updated = replace(failed, failure_code=intent.failure_code or "card_declined")
    elif step == Next.REFUND:
        refunding = core.move(payment, PaymentStatus.REFUNDING, now)
        updated = replace(refunding, refund_reason=core.LATE_PAYMENT)
    elif step == Next.MISMATCH:
        refunding = core.move(payment, PaymentStatus.REFUNDING, now)
        updated = replace(refunding, refund_reason=core.MISMATCH)
    elif step == Next.CANCEL:
        updated = core.move(payment, PaymentStatus.CANCELLED, now)
    else:
        updated = payment
    tables.save_payment(conn, updated)
    _release_unless_issued(conn, updated, now)
    return updated


ENDED_UNPAID = frozenset(
    {
        PaymentStatus.FAILED,
        PaymentStatus.CANCELLED,
        PaymentStatus.REFUNDING,
        PaymentStatus.REFUNDED,
    }
)


def _release_unless_issued(conn: sqlite3.Connection, payment: CardPayment, now: datetime) -> None:
    """A campaign set's payment that ends without its grant gives the held set back at once."""
    if payment.campaign_id is not None and payment.status in ENDED_UNPAID:
        holds.release_in(conn, payment.payment_id, now)


def _issue_or_refund(
    conn: sqlite3.Connection, payment: CardPayment, sell_for: SellFor, now: datetime
) -> CardPayment:
    """Issue in a savepoint of its own: a refused sale rolls back alone, and the payment is
    marked to be refunded in the same transaction."""
    tables.savepoint(conn, "card_sale")
    try:
        voucher_id = sell_for(payment)(conn)
    except KippuError as exc:
        tables.rollback_to(conn, "card_sale")
        refunding = core.move(payment, PaymentStatus.REFUNDING, now)
        return replace(refunding, refund_reason=exc.code)
    tables.release(conn, "card_sale")
    return replace(core.move(payment, PaymentStatus.ISSUED, now), voucher_id=voucher_id)


@dataclass(frozen=True)
class EventOutcome:
    is_replay: bool
    payment: CardPayment | None  # the payment the event was about, after it; None: not ours


def process_event(
    event: StripeEvent, sell_for: SellFor, ids: tuple[str, str], now: datetime
) -> Callable[[sqlite3.Connection], EventOutcome]:
    """A verified webhook event, processed once by its id: a replay changes nothing."""

    def work(conn: sqlite3.Connection) -> EventOutcome:
        intent_id = event.intent.intent_id if event.intent else event.charge_intent_id
        if not tables.record_event(conn, event.event_id, event.event_type, intent_id, now):
            return EventOutcome(True, None)
        payment = tables.payment_of_intent(conn, intent_id) if intent_id else None
        if payment is None and event.intent is not None and event.intent.payment_id:
            payment = tables.load_payment(conn, event.intent.payment_id)
        if payment is None and event.intent is None and intent_id is not None:
            # A charge event before its payment is linked (charge.succeeded often comes first):
            # not recorded, so Stripe sends it again, and its fee is not lost.
            raise PaymentNotFound()
        if payment is None:
            return EventOutcome(False, None)  # not one of ours: noted, nothing else
        if event.intent is not None:
            payment = _settle(conn, payment, event.intent, sell_for, now)
        fee_txn_id, change_id = ids
        if event.fee_yen is not None:
            payment = _record_fee(conn, payment, event.fee_yen, fee_txn_id, now)
        if event.is_reversal:
            payment = _reversed(conn, payment, event.event_type, change_id, now)
        return EventOutcome(False, payment)

    return work


def _reversed(
    conn: sqlite3.Connection, payment: CardPayment, event_type: str, change_id: str, now: datetime
) -> CardPayment:
    """A payment's money refunded at Stripe (not by us) or disputed. Not settled yet (the
    customer still at 3-D Secure, the success event late): it ends `refunded` here and now, its
    held set given back, so the settle that comes later finds it final and neither issues nor
    refunds. Issued: its voucher is suspended (the ledger's change, with the reason; every
    voucher of a campaign's set). Either way head office sees the payment."""
    if payment.status in core.UNSETTLED:
        ended = core.reversed_before_settle(payment, event_type, now)
        tables.save_payment(conn, ended)
        _release_unless_issued(conn, ended, now)
        return ended
    if payment.status != PaymentStatus.ISSUED or payment.voucher_id is None:
        return payment  # our own refund of a voucher never issued: nothing to suspend
    reason = f"Stripe {event_type}: the card payment {payment.payment_id} was " + (
        "refunded" if event_type == "charge.refunded" else "disputed"
    )
    vouchers = [payment.voucher_id]
    if payment.campaign_id is not None:
        vouchers = holds.vouchers_of_hold(conn, payment.payment_id) or vouchers
    for number, voucher_id in enumerate(vouchers):
        # One change per voucher: the drawn id, then the same with the voucher's place.
        request = ChangeRequest(
            voucher_id, reason, PROVIDER, change_id if number == 0 else f"{change_id}-{number}"
        )
        # Suspended already, spent or expired: refused before anything is written, and head
        # office still sees the payment.
        with contextlib.suppress(KippuError):
            change_operations.suspend(request, now)(conn)
    updated = replace(payment, attention=event_type, updated_at=now)
    tables.save_payment(conn, updated)
    return updated


def record_fee(
    payment_id: str, fee_yen: int, txn_id: str, now: datetime
) -> Callable[[sqlite3.Connection], CardPayment]:
    """Stripe's fee on the payment's charge, booked once (a `psp_fee` journal entry)."""

    def work(conn: sqlite3.Connection) -> CardPayment:
        return _record_fee(conn, _load(conn, payment_id), fee_yen, txn_id, now)

    return work


def _record_fee(
    conn: sqlite3.Connection, payment: CardPayment, fee_yen: int, txn_id: str, now: datetime
) -> CardPayment:
    if payment.fee_yen is not None or payment.status == PaymentStatus.PENDING:
        return payment  # booked already, or not charged yet
    if fee_yen > 0:
        payout_operations.book_psp_fee(PROVIDER, fee_yen, now, txn_id)(conn)
    updated = replace(payment, fee_yen=fee_yen, updated_at=now)
    tables.save_payment(conn, updated)
    return updated


def looked_at(payment_id: str, now: datetime) -> Callable[[sqlite3.Connection], CardPayment]:
    """The sweep tried this payment and must come back to it: it goes behind the others."""

    def work(conn: sqlite3.Connection) -> CardPayment:
        updated = replace(_load(conn, payment_id), updated_at=now)
        tables.save_payment(conn, updated)
        return updated

    return work


def needs_attention(
    payment_id: str, reason: str, now: datetime
) -> Callable[[sqlite3.Connection], CardPayment]:
    """The node stops trying this payment by itself; head office sees why (/admin/payments)."""

    def work(conn: sqlite3.Connection) -> CardPayment:
        updated = replace(_load(conn, payment_id), attention=reason, updated_at=now)
        tables.save_payment(conn, updated)
        return updated

    return work


def refunded(
    payment_id: str, refund_id: str, now: datetime
) -> Callable[[sqlite3.Connection], CardPayment]:
    """The refund of a payment whose voucher could not be issued was made at Stripe."""

    def work(conn: sqlite3.Connection) -> CardPayment:
        payment = _load(conn, payment_id)
        if payment.status == PaymentStatus.REFUNDED:
            return payment
        if payment.status != PaymentStatus.REFUNDING:
            # Only a refund we were due to make ends here; the wider transitions into refunded
            # (a charge reversed at Stripe before settling) are the reversal's, not this one's.
            raise KippuError(f"payment {payment_id} is {payment.status.value}, not refunding")
        done = core.move(payment, PaymentStatus.REFUNDED, now)
        updated = replace(done, refund_id=refund_id)
        tables.save_payment(conn, updated)
        return updated

    return work


def give_up(
    payment_id: str, status: PaymentStatus, code: str, now: datetime
) -> Callable[[sqlite3.Connection], CardPayment]:
    """A pending payment ends without a voucher: declined (`failed`) or abandoned (`cancelled`).
    A payment no longer pending is left as it is."""

    def work(conn: sqlite3.Connection) -> CardPayment:
        payment = _load(conn, payment_id)
        if payment.status != PaymentStatus.PENDING:
            return payment
        updated = replace(core.move(payment, status, now), failure_code=code)
        tables.save_payment(conn, updated)
        _release_unless_issued(conn, updated, now)
        return updated

    return work


def _load(conn: sqlite3.Connection, payment_id: str) -> CardPayment:
    payment = tables.load_payment(conn, payment_id)
    if payment is None:
        raise PaymentNotFound()
    return payment
