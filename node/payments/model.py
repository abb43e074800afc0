"""A card payment (カード決済) of one purchase in the wallet's shop, and a Stripe event, as frozen values.

The payment's lifecycle is `PaymentStatus` with the transitions `ALLOWED_PAYMENT_TRANSITIONS`
allows (node/payments/core.py enforces them):

    pending --paid, voucher issued--------> issued
    pending --paid, voucher refused-------> refunding --refund made--> refunded
    pending --declined--------------------> failed
    pending --cancelled or abandoned------> cancelled
    failed or cancelled --paid after all--> refunding (a late success is refunded, never issued)
    pending, failed or cancelled --refunded or disputed at Stripe--> refunded (nothing to refund)

`issued` and `refunded` are final; `failed` and `cancelled` never issue a voucher. Only `issued`
has a voucher.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

PROVIDER = "stripe"  # the ledger's clearing account is model.psp_account(PROVIDER)
ABANDONED_AFTER_S = 3600  # a payment still pending after an hour is abandoned: cancelled


class PaymentStatus(StrEnum):
    PENDING = "pending"  # created; Stripe has not said it succeeded (or asks for 3-D Secure)
    ISSUED = "issued"  # paid, and the voucher is in the customer's wallet
    REFUNDING = "refunding"  # paid, but the voucher could not be issued: refund under way
    REFUNDED = "refunded"  # paid, no voucher, the money went back (by us, or reversed at Stripe)
    FAILED = "failed"  # the card was declined (or 3-D Secure failed): nothing issued
    CANCELLED = "cancelled"  # cancelled, or abandoned past ABANDONED_AFTER_S: nothing issued


ALLOWED_PAYMENT_TRANSITIONS: frozenset[tuple[PaymentStatus, PaymentStatus]] = frozenset(
    {
        (PaymentStatus.PENDING, PaymentStatus.ISSUED),
        (PaymentStatus.PENDING, PaymentStatus.REFUNDING),
        (PaymentStatus.REFUNDING, PaymentStatus.REFUNDED),
        (PaymentStatus.PENDING, PaymentStatus.FAILED),
        (PaymentStatus.PENDING, PaymentStatus.CANCELLED),
        (PaymentStatus.FAILED, PaymentStatus.REFUNDING),
        (PaymentStatus.CANCELLED, PaymentStatus.REFUNDING),
        # The charge refunded (the dashboard) or disputed at Stripe before we settled it: the
        # money went back without us, so it ends here and never issues.
        (PaymentStatus.PENDING, PaymentStatus.REFUNDED),
        (PaymentStatus.FAILED, PaymentStatus.REFUNDED),
        (PaymentStatus.CANCELLED, PaymentStatus.REFUNDED),
    }
)

FINAL_STATUSES = frozenset(
    {PaymentStatus.ISSUED, PaymentStatus.REFUNDED, PaymentStatus.FAILED, PaymentStatus.CANCELLED}
)


@dataclass(frozen=True)
class CardPayment:
    """One purchase paid by card: a product of the wallet's shop, or a premium campaign's set
    (exactly one of `product_id` and `campaign_id`). `amount_yen` is the price charged (JPY is
    zero-decimal)."""

    payment_id: str
    intent_id: str | None  # Stripe's PaymentIntent (pi_...), once created
    customer_id: str
    product_id: str | None
    amount_yen: int
    face_yen: int
    status: PaymentStatus
    voucher_id: str | None  # set once, with status issued
    failure_code: str | None  # Stripe's decline code, or ours for a payment not completed
    refund_id: str | None  # Stripe's refund (re_...)
    refund_reason: str | None  # the error code that kept the voucher from being issued
    fee_yen: int | None  # Stripe's fee, once reported; None: not reported (yet)
    created_at: datetime
    updated_at: datetime
    attention: str | None = None  # why the node stopped trying by itself: head office looks
    campaign_id: str | None = None  # a premium campaign's set (node/payments/premium_sale.py)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @classmethod
    def pending(
        cls,
        payment_id: str,
        customer_id: str,
        amount_yen: int,
        face_yen: int,
        now: datetime,
        *,
        product_id: str | None = None,
        campaign_id: str | None = None,
    ) -> CardPayment:
        """A purchase just started: nothing charged, issued or refunded yet."""
        return cls(
            payment_id=payment_id,
            intent_id=None,
            customer_id=customer_id,
            product_id=product_id,
            amount_yen=amount_yen,
            face_yen=face_yen,
            status=PaymentStatus.PENDING,
            voucher_id=None,
            failure_code=None,
            refund_id=None,
            refund_reason=None,
            fee_yen=None,
            created_at=now,
            updated_at=now,
            campaign_id=campaign_id,
        )


@dataclass(frozen=True)
class IntentView:
    """What our flow needs of a Stripe PaymentIntent, read from the SDK's object or an event."""

    intent_id: str
    status: str  # Stripe's: succeeded, requires_action, requires_payment_method, canceled, ...
    amount: int
    currency: str
    payment_id: str | None  # our metadata
    client_secret: str | None = field(default=None, repr=False)  # the 3-D Secure step only
    failure_code: str | None = None


@dataclass(frozen=True)
class StripeEvent:
    """A verified webhook event: its id (processed once), type and object."""

    event_id: str
    event_type: str
    intent: IntentView | None  # for payment_intent.* events
    charge_intent_id: str | None = None  # for charge.* events: the charge's PaymentIntent
    fee_yen: int | None = None  # for charge.* events with the balance transaction expanded
    balance_transaction_id: str | None = None  # for charge.* events: the id to look the fee up
    is_reversal: bool = False  # charge.refunded, charge.dispute.created: the money went back
