"""Card payments' refusals (the wallet's shop, Stripe and its webhooks)."""

from __future__ import annotations

from node.errors.base import KippuError
from node.errors.request import NotFound


class PaymentError(KippuError):
    """The card payment could not go on; nothing was charged that was not refunded."""

    code = "payment.refused"
    http_status = 409
    areas = ("payment",)
    is_actionable = True


class PaymentsDisabled(PaymentError):
    """Card payments are not set up on this node; buy at a store's counter, or ask head office
    to set [stripe] (docs/operations.md)."""

    code = "payment.disabled"
    http_status = 503


class CardDeclined(PaymentError):
    """The card was declined and nothing was charged; try another card."""

    code = "payment.declined"
    http_status = 402


class PaymentProviderUnavailable(PaymentError):
    """The card processor could not be reached; nothing was charged. Please try again shortly."""

    code = "payment.provider_unavailable"
    http_status = 502


class WebhookSignatureInvalid(PaymentError):
    """The webhook's Stripe-Signature does not match our webhook secret (or is too old); nothing
    was changed. Check stripe.webhook_secret against the endpoint's signing secret."""

    code = "payment.bad_signature"
    http_status = 400


class WebhookTooLarge(PaymentError):
    """The webhook's body is larger than any Stripe event we handle; nothing was changed."""

    code = "payment.webhook_too_large"
    http_status = 413


class PaymentMismatch(PaymentError):
    """Stripe reports a different amount or currency than this purchase; nothing was issued and
    the charge is refunded (the payment's refund reason). Head office should look at the payment
    in the console."""

    code = "payment.mismatch"


class PaymentNotFound(NotFound):
    """No such card payment (or it is another customer's)."""

    code = "payment.not_found"
