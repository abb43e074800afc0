"""Card payments' rules: the lifecycle's transitions, and what a PaymentIntent's state means for
our payment. Pure: no I/O, no clock; `now` comes in.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from enum import StrEnum

from node.errors import IllegalTransition, PaymentMismatch
from node.payments.model import (
    ABANDONED_AFTER_S,
    ALLOWED_PAYMENT_TRANSITIONS,
    CardPayment,
    IntentView,
    PaymentStatus,
)

CURRENCY = "jpy"  # zero-decimal: Stripe's amount is the yen as is


class Next(StrEnum):
    """What our side does with a payment, given what Stripe says of its PaymentIntent."""

    ISSUE = "issue"  # paid: issue the voucher (once), or refund when it cannot be issued
    WAIT = "wait"  # 3-D Secure or processing: the page or the webhook comes back
    FAIL = "fail"  # declined: nothing issued
    CANCEL = "cancel"  # cancelled at Stripe: nothing issued
    REFUND = "refund"  # paid after we gave up on it (declined, abandoned): refund, never issue
    MISMATCH = "mismatch"  # paid, but not what this purchase costs: refund, never issue
    NOTHING = "nothing"  # our payment is final already: a repeat changes nothing


def move(payment: CardPayment, status: PaymentStatus, now: datetime) -> CardPayment:
    """The payment in `status`, refusing any change ALLOWED_PAYMENT_TRANSITIONS does not list."""
    if status == payment.status:
        return payment
    if (payment.status, status) not in ALLOWED_PAYMENT_TRANSITIONS:
        raise IllegalTransition(f"card payment {payment.status} -> {status} is not allowed")
    return replace(payment, status=status, updated_at=now)


def next_step(payment: CardPayment, intent: IntentView) -> Next:
    """What to do for `payment` now that Stripe reports `intent` (from our call, the customer's
    return or a webhook: whichever comes first, the answer is the same)."""
    if payment.status in (PaymentStatus.FAILED, PaymentStatus.CANCELLED):
        # Its own intent (or the first we hear of, when creating it failed on our side).
        is_own = payment.intent_id is None or intent.intent_id == payment.intent_id
        is_paid = intent.status == "succeeded" and is_own
        return Next.REFUND if is_paid else Next.NOTHING
    if payment.status != PaymentStatus.PENDING:
        return Next.NOTHING
    if intent.status == "succeeded":
        if payment.intent_id is not None and intent.intent_id != payment.intent_id:
            return Next.NOTHING  # another intent naming this payment: never ours to settle
        return Next.ISSUE if is_same_charge(payment, intent) else Next.MISMATCH
    if intent.status == "canceled":
        return Next.CANCEL
    if intent.status == "requires_payment_method":  # the card was declined (or 3DS failed)
        return Next.FAIL
    return Next.WAIT


LATE_PAYMENT = "payment.late"  # the refund reason of a payment that succeeded after we gave up


MISMATCH = PaymentMismatch.code  # the refund reason of a charge of the wrong amount or currency


# The refund reason of a payment whose charge went back at Stripe before we settled it: the
# dashboard's refund, or the card holder's dispute (the model has no disputed status: the money
# is withdrawn from us all the same, and `attention` names the event for head office).
REVERSED_BEFORE_SETTLE = {
    "charge.refunded": "payment.refunded_at_stripe",
    "charge.dispute.created": "payment.disputed",
}
UNSETTLED = frozenset({PaymentStatus.PENDING, PaymentStatus.FAILED, PaymentStatus.CANCELLED})


def reversed_before_settle(payment: CardPayment, event_type: str, now: datetime) -> CardPayment:
    """A payment not settled yet whose charge Stripe reports refunded or disputed: `refunded`
    for good, with the reason and the event for head office; never issued, never refunded by
    us (the money went back without us)."""
    done = move(payment, PaymentStatus.REFUNDED, now)
    # gateway.REVERSAL_EVENTS are these keys: an event type without a reason is a bug, raised.
    return replace(done, refund_reason=REVERSED_BEFORE_SETTLE[event_type], attention=event_type)


def is_same_charge(payment: CardPayment, intent: IntentView) -> bool:
    """Issue only for what this purchase costs, in yen."""
    return intent.amount == payment.amount_yen and intent.currency == CURRENCY


def is_abandoned(payment: CardPayment, now: datetime) -> bool:
    """Still pending an hour after it started: the customer went away (cancel, issue nothing)."""
    return payment.status == PaymentStatus.PENDING and now - payment.created_at >= timedelta(
        seconds=ABANDONED_AFTER_S
    )


def refund_key(payment_id: str) -> str:
    """Stripe's idempotency key of the one refund a payment may have."""
    return f"kippu-refund-{payment_id}"


def intent_key(payment_id: str) -> str:
    """Stripe's idempotency key of the one PaymentIntent a payment creates."""
    return f"kippu-intent-{payment_id}"
