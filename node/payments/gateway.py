"""Stripe, through the official SDK: the calls our flow makes, and webhook events verified.

Built from `[stripe]` (node/config/model.py StripeConfig): the secret key from the config or the
environment, `api_base` to point the SDK at localstripe in tests. Keys, client secrets and card
details are never logged; what leaves this module is our own typed values (IntentView,
StripeEvent) and our own errors. Calls are asynchronous (the SDK's aiohttp client), so none
blocks the event loop.
"""

from __future__ import annotations

import logging
from typing import Any

import stripe
from aiohttp import web

from node.config.model import StripeConfig
from node.errors import (
    CardDeclined,
    PaymentProviderUnavailable,
    PaymentsDisabled,
    WebhookSignatureInvalid,
)
from node.payments import core
from node.payments.model import CardPayment, IntentView, StripeEvent

log = logging.getLogger(__name__)
INTENT_EVENTS = frozenset(
    {"payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.canceled"}
)
CHARGE_EVENTS = frozenset({"charge.succeeded", "charge.updated", "charge.refunded"})
# The money of an issued voucher went back (a refund made in Stripe's dashboard) or is disputed:
# its voucher is suspended until head office looks.
REVERSAL_EVENTS = frozenset({"charge.refunded", "charge.dispute.created"})
FIND_PAGES = 10  # of 100 intents: how far back the sweep looks for an unlinked payment's intent


class RefundRefused(Exception):
    """Stripe will never make this refund as asked (its error code in `reason`): a person must
    look (the payment's `attention`). Not a KippuError: it never reaches a customer."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason[:64]


class StripeGateway:
    """The node's one Stripe client (closed with the app)."""

    def __init__(self, config: StripeConfig) -> None:
        if not config.is_enabled:
            raise PaymentsDisabled()
        # The SDK logs request and response bodies (client secrets) at DEBUG: never, whatever
        # the logging config says of the root logger.
        logging.getLogger("stripe").setLevel(logging.WARNING)
        self._http = stripe.AIOHTTPClient()
        self._client = stripe.StripeClient(
            config.secret_key,
            base_addresses={"api": config.api_base} if config.api_base else None,
            http_client=self._http,
            max_network_retries=2,  # the SDK retries with the same idempotency key
        )
        self._webhook_secret = config.webhook_secret

    async def close(self) -> None:
        await self._http.close_async()  # type: ignore[no-untyped-call]

    async def pay(self, payment: CardPayment, payment_method_id: str) -> IntentView:
        """Create and confirm the payment's PaymentIntent (server-side confirmation)."""
        params: Any = {
            "amount": payment.amount_yen,  # JPY is zero-decimal
            "currency": core.CURRENCY,
            "payment_method": payment_method_id,
            "payment_method_types": ["card"],
            "confirm": True,
            "metadata": _metadata(payment),
        }
        options: Any = {"idempotency_key": core.intent_key(payment.payment_id)}
        try:
            intent = await self._client.v1.payment_intents.create_async(params, options)
        except stripe.CardError as exc:
            raise CardDeclined(decline_code=str(exc.code or "card_declined")) from exc
        except stripe.StripeError as exc:
            raise _unavailable(exc) from exc
        return intent_view(intent.to_dict())

    async def retrieve(self, intent_id: str) -> IntentView:
        try:
            intent = await self._client.v1.payment_intents.retrieve_async(intent_id)
        except stripe.StripeError as exc:
            raise _unavailable(exc) from exc
        return intent_view(intent.to_dict())

    async def find_intent(self, payment_id: str) -> IntentView | None:
        """The PaymentIntent created for `payment_id` (its metadata says so), for a payment we
        never linked to one (a timeout after Stripe charged, a crash before we noted its id);
        None only when Stripe lists none. Stripe lists the newest first, and the sweep asks
        within hours of the payment, so a bounded number of pages is enough; past them Stripe
        is asked again on the next sweep (unavailable), never taken to have none."""
        starting_after: str | None = None
        for _ in range(FIND_PAGES):
            params: Any = {"limit": 100}
            if starting_after is not None:
                params["starting_after"] = starting_after
            try:
                page = await self._client.v1.payment_intents.list_async(params)
            except stripe.StripeError as exc:
                raise _unavailable(exc) from exc
            for obj in page.data:
                found = intent_view(obj.to_dict())
                if found.payment_id == payment_id:
                    return found
            if not page.has_more or not page.data:
                return None
            starting_after = str(page.data[-1].id)
        raise PaymentProviderUnavailable("the payment's intent is not among Stripe's recent ones")

    async def cancel(self, intent_id: str) -> IntentView:
        """Cancel an intent still waiting (abandoned); Stripe refuses once it has succeeded."""
        try:
            intent = await self._client.v1.payment_intents.cancel_async(intent_id)
        except stripe.InvalidRequestError:
            return await self.retrieve(intent_id)  # it moved on meanwhile: say where it is
        except stripe.StripeError as exc:
            raise _unavailable(exc) from exc
        return intent_view(intent.to_dict())

    async def refund(self, payment: CardPayment) -> str:
        """Refund the whole charge of a payment whose voucher could not be issued; its id."""
        if payment.intent_id is None:
            raise PaymentProviderUnavailable("the payment has no PaymentIntent to refund")
        params: Any = {
            "payment_intent": payment.intent_id,
            "metadata": {"payment_id": payment.payment_id},
        }
        options: Any = {"idempotency_key": core.refund_key(payment.payment_id)}
        try:
            refund = await self._client.v1.refunds.create_async(params, options)
        except stripe.InvalidRequestError as exc:
            if exc.code == "charge_already_refunded":
                return await self._refund_of(payment.intent_id)
            log.warning("Stripe refused a refund: %s", exc.code)
            raise RefundRefused(str(exc.code or "invalid_request")) from exc
        except (stripe.AuthenticationError, stripe.PermissionError) as exc:
            raise RefundRefused(type(exc).__name__) from exc
        except stripe.StripeError as exc:
            raise _unavailable(exc) from exc
        return str(refund.id)

    async def _refund_of(self, intent_id: str) -> str:
        """The refund a charge already has (made before, by us or in the dashboard)."""
        params: Any = {"payment_intent": intent_id, "limit": 1}
        try:
            refunds = await self._client.v1.refunds.list_async(params)
        except stripe.StripeError as exc:
            raise _unavailable(exc) from exc
        if not refunds.data:
            raise RefundRefused("charge_already_refunded")
        return str(refunds.data[0].id)

    async def fee_of(self, balance_transaction_id: str) -> int:
        """The fee of a balance transaction (yen); unavailable when Stripe cannot say (the
        webhook then answers non-2xx, and Stripe sends the event again)."""
        try:
            txn = await self._client.v1.balance_transactions.retrieve_async(balance_transaction_id)
        except stripe.StripeError as exc:
            raise _unavailable(exc) from exc
        return int(txn.fee)

    async def fee_of_intent(self, intent_id: str) -> int | None:
        """The fee of the intent's charge, from its balance transaction; None when the charge
        has none (yet); unavailable when Stripe cannot be asked."""
        params: Any = {"expand": ["latest_charge.balance_transaction"]}
        try:
            intent = await self._client.v1.payment_intents.retrieve_async(intent_id, params)
        except stripe.StripeError as exc:
            raise _unavailable(exc) from exc
        charge = intent.to_dict().get("latest_charge")
        txn = charge.get("balance_transaction") if isinstance(charge, dict) else None
        return int(txn["fee"]) if isinstance(txn, dict) else None

    def verify(self, payload: bytes, signature: str) -> StripeEvent:
        """The event, once its Stripe-Signature is checked against the webhook secret (before
        its body is parsed); a forged, altered or stale one is refused."""
        try:
            event = stripe.Webhook.construct_event(payload, signature, self._webhook_secret)
        except (stripe.SignatureVerificationError, ValueError) as exc:
            raise WebhookSignatureInvalid() from exc
        return event_view(event.to_dict())


def _metadata(payment: CardPayment) -> dict[str, str]:
    """What the intent says it pays for: the product, or the campaign whose set it buys."""
    bought = (
        {"product_id": payment.product_id}
        if payment.product_id is not None
        else {"campaign_id": str(payment.campaign_id)}
    )
    return {"payment_id": payment.payment_id, **bought, "customer_id": payment.customer_id}


def _unavailable(exc: stripe.StripeError) -> PaymentProviderUnavailable:
    # Stripe's message may echo parameters; only its class and status are logged.
    log.warning("Stripe call failed: %s (HTTP %s)", type(exc).__name__, exc.http_status)
    return PaymentProviderUnavailable()


def intent_view(obj: dict[str, Any]) -> IntentView:
    """Our view of a PaymentIntent object (from a call or an event's data.object)."""
    metadata = obj.get("metadata") or {}
    error = obj.get("last_payment_error") or {}
    return IntentView(
        intent_id=str(obj["id"]),
        status=str(obj.get("status")),
        amount=int(obj["amount"]),
        currency=str(obj.get("currency", "")),
        payment_id=metadata.get("payment_id"),
        client_secret=obj.get("client_secret"),
        failure_code=error.get("decline_code") or error.get("code"),
    )


def event_view(event: dict[str, Any]) -> StripeEvent:
    """The parts of a verified event our flow uses; other types are noted and left alone."""
    event_type = str(event.get("type", ""))
    obj = (event.get("data") or {}).get("object") or {}
    intent = intent_view(obj) if event_type in INTENT_EVENTS else None
    charge_intent, fee, txn_id = None, None, None
    if event_type in CHARGE_EVENTS or event_type in REVERSAL_EVENTS:
        charge_intent = obj.get("payment_intent")
    if event_type in CHARGE_EVENTS:
        txn = obj.get("balance_transaction")
        if isinstance(txn, dict):  # expanded: the fee is in it
            fee = int(txn["fee"])
        elif isinstance(txn, str):
            txn_id = txn
    return StripeEvent(
        event_id=str(event["id"]),
        event_type=event_type,
        intent=intent,
        charge_intent_id=charge_intent,
        fee_yen=fee,
        balance_transaction_id=txn_id,
        is_reversal=event_type in REVERSAL_EVENTS,
    )


class GatewaySlot:
    """Where the app keeps its gateway: set at start-up when [stripe] is set (an app's items
    cannot change once it runs, this slot's content can)."""

    gateway: StripeGateway | None = None


GATEWAY = web.AppKey("kippu_stripe", GatewaySlot)
