"""Card payments' use cases, shared by the wallet's shop, the webhook and the sweep: they take
`Node` and the Stripe gateway, call Stripe, and hand every decision to the writer
(node/payments/operations.py), so the voucher is issued exactly once whoever arrives first.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from node.clock import new_id, ordered_id
from node.compliance import refund_actions, refund_operations
from node.errors import (
    CardDeclined,
    KippuError,
    PaymentNotFound,
    PaymentProviderUnavailable,
    ProductNotFound,
    ProductNotOnSale,
)
from node.ledger.model import psp_account
from node.ledger.numbers import voucher_number_from
from node.payments import core, operations, premium_sale, queries
from node.payments.gateway import RefundRefused, StripeGateway
from node.payments.model import (
    ABANDONED_AFTER_S,
    PROVIDER,
    CardPayment,
    IntentView,
    PaymentStatus,
)
from node.products import operations as product_operations
from node.products import queries as product_queries
from node.products.core import is_on_sale
from node.products.model import Product, SaleChannel
from node.runtime import Node

log = logging.getLogger(__name__)
SECRET_BYTES = 32
FEE_WINDOW_S = 3 * 24 * 3600  # how long the sweep asks Stripe for a charged payment's fee


def new_payment(product: Product, customer_id: str, payment_id: str, now: datetime) -> CardPayment:
    return CardPayment.pending(
        payment_id,
        customer_id,
        product.price_yen,
        product.face_yen,
        now,
        product_id=product.product_id,
    )


async def buy(
    node: Node,
    gateway: StripeGateway,
    customer_id: str,
    product: Product,
    payment_method_id: str,
    payment_id: str | None = None,
) -> tuple[CardPayment, IntentView | None]:
    """Start a purchase and charge the card. Returns the payment as it stands (issued, failed,
    or pending with the intent whose 3-D Secure step the page must run). `payment_id` is the
    form's one-time key: the same form posted again charges nothing more. Refused before any
    charge while a business abolition is announced or open (refund.business_abolished)."""
    await refund_actions.require_selling(node)
    now = node.clock.now()
    payment = new_payment(product, customer_id, payment_id or new_id(node.rng, "cp"), now)
    start = operations.start(payment, node.settings.zone)
    return await charge(node, gateway, start, payment_method_id)


async def charge(
    node: Node,
    gateway: StripeGateway,
    start: Callable[[sqlite3.Connection], tuple[CardPayment, bool]],
    payment_method_id: str,
) -> tuple[CardPayment, IntentView | None]:
    """The card flow of any purchase once `start` (its writer unit: checks, holds, records the
    payment once per form key) is known: charge, then settle as Stripe answers."""
    payment, is_new = await node.require_writer().submit(start)
    if not is_new:
        return await _again(node, gateway, payment)
    now = node.clock.now()
    try:
        intent = await gateway.pay(payment, payment_method_id)
    except CardDeclined as exc:
        code = str(exc.details.get("decline_code", "card_declined"))
        failed = operations.give_up(payment.payment_id, PaymentStatus.FAILED, code, now)
        return await node.require_writer().submit(failed), None
    except PaymentProviderUnavailable:
        return payment, None  # unknown at Stripe: the webhook or the sweep settles it
    await node.require_writer().submit(
        operations.attach_intent(payment.payment_id, intent.intent_id, node.clock.now())
    )
    return await settle(node, gateway, payment.payment_id, intent), intent


async def _again(
    node: Node, gateway: StripeGateway, payment: CardPayment
) -> tuple[CardPayment, IntentView | None]:
    """A purchase posted twice: where the first post's payment stands, never a second charge."""
    if payment.status != PaymentStatus.PENDING or payment.intent_id is None:
        return payment, None
    intent = await gateway.retrieve(payment.intent_id)
    return await settle(node, gateway, payment.payment_id, intent), intent


def sell_for(node: Node, now: datetime) -> operations.SellFor:
    """The unit that makes good a paid payment: a campaign's set granted from its hold
    (premium_sale.py), or a product's voucher issued."""
    sell_product = product_sale_for(node, now)
    sell_set = premium_sale.grant_for(node, now)

    def unit(payment: CardPayment) -> Callable[[sqlite3.Connection], str]:
        return sell_set(payment) if payment.campaign_id is not None else sell_product(payment)

    return unit


def product_sale_for(node: Node, now: datetime) -> operations.SellFor:
    """The unit that issues a paid payment's voucher through the products' sale (channel
    online, paid into Stripe's clearing account); ids and secret drawn now, before the writer."""
    voucher_id = voucher_number_from(node.rng.token_bytes(8))
    secret = node.rng.token_bytes(SECRET_BYTES)
    txn_id = new_id(node.rng, "tx")

    def fresh_number() -> str:
        return voucher_number_from(node.rng.token_bytes(8))

    def unit(payment: CardPayment) -> Callable[[sqlite3.Connection], str]:
        sale = product_operations.sell_product(
            str(payment.product_id),
            payment.customer_id,
            SaleChannel.ONLINE,
            None,
            psp_account(PROVIDER),
            node.settings,
            now,
            voucher_id,
            secret,
            txn_id,
            fresh_number,
        )

        # An abolition recorded after the charge: no voucher, the payment is refunded.
        sell_unless_abolished = refund_operations.while_selling(now, sale)

        def work(conn: sqlite3.Connection) -> str:
            return sell_unless_abolished(conn).voucher.voucher_id

        return work

    return unit


async def settle(
    node: Node, gateway: StripeGateway, payment_id: str, intent: IntentView
) -> CardPayment:
    """Issue, fail, cancel or wait as `intent` says; refund at once what could not be issued."""
    now = node.clock.now()
    payment = await node.require_writer().submit(
        operations.settle(payment_id, intent, sell_for(node, now), now)
    )
    return await book_fee(node, gateway, await refund_if_due(node, gateway, payment))


CHARGED = frozenset({PaymentStatus.ISSUED, PaymentStatus.REFUNDING, PaymentStatus.REFUNDED})


async def book_fee(node: Node, gateway: StripeGateway, payment: CardPayment) -> CardPayment:
    """Stripe's fee on a charged payment, read from its charge's balance transaction and
    booked once; when Stripe cannot say yet, the sweep asks again (for FEE_WINDOW)."""
    if payment.status not in CHARGED or payment.fee_yen is not None or not payment.intent_id:
        return payment
    try:
        fee = await gateway.fee_of_intent(payment.intent_id)
    except PaymentProviderUnavailable:
        fee = None
    now = node.clock.now()
    if fee is None:
        return await node.require_writer().submit(operations.looked_at(payment.payment_id, now))
    txn_id = new_id(node.rng, "tx")
    return await node.require_writer().submit(
        operations.record_fee(payment.payment_id, fee, txn_id, now)
    )


async def refund_if_due(node: Node, gateway: StripeGateway, payment: CardPayment) -> CardPayment:
    """A payment marked `refunding` is refunded through Stripe (one refund per payment: the
    idempotency key) and recorded; if Stripe cannot be reached, the sweep tries again."""
    if payment.status != PaymentStatus.REFUNDING:
        return payment
    try:
        refund_id = await gateway.refund(payment)
    except PaymentProviderUnavailable:
        return payment
    except RefundRefused as exc:
        log.warning("card payment %s needs attention: %s", payment.payment_id, exc.reason)
        attention = f"refund_refused:{exc.reason}"
        mark = operations.needs_attention(payment.payment_id, attention, node.clock.now())
        return await node.require_writer().submit(mark)
    log.info("refunded card payment %s: %s", payment.payment_id, payment.refund_reason)
    return await node.require_writer().submit(
        operations.refunded(payment.payment_id, refund_id, node.clock.now())
    )


async def on_return(
    node: Node, gateway: StripeGateway, customer_id: str, payment_id: str
) -> CardPayment:
    """The customer came back (after 3-D Secure, or reloading the result): ask Stripe, settle;
    a payment abandoned meanwhile is cancelled (or settled, if Stripe says it was paid)."""
    payment = await own_payment(node, customer_id, payment_id)
    if core.is_abandoned(payment, node.clock.now()):  # back after an hour: as the sweep would
        await _finish(node, gateway, payment)
        return await own_payment(node, customer_id, payment_id)
    if payment.status == PaymentStatus.PENDING and payment.intent_id is not None:
        intent = await gateway.retrieve(payment.intent_id)
        payment = await settle(node, gateway, payment.payment_id, intent)
    return payment


async def on_webhook(
    node: Node, gateway: StripeGateway, payload: bytes, signature: str
) -> operations.EventOutcome:
    """A webhook: verified first, then processed once by its event id."""
    event = gateway.verify(payload, signature)
    if event.intent is not None:
        # Events arrive late and out of order: act on where the intent is now, not on the
        # event's snapshot (a stale payment_failed must not fail an intent paid since).
        current = await gateway.retrieve(event.intent.intent_id)
        event = replace(event, intent=replace(current, payment_id=event.intent.payment_id))
    if event.balance_transaction_id is not None and event.fee_yen is None:
        # Unreadable now: answered non-2xx, not recorded, so Stripe sends it again.
        event = replace(event, fee_yen=await gateway.fee_of(event.balance_transaction_id))
    now = node.clock.now()
    outcome = await node.require_writer().submit(
        operations.process_event(
            event,
            sell_for(node, now),
            (new_id(node.rng, "tx"), ordered_id(now, node.rng, "vc")),
            now,
        )
    )
    if outcome.payment is not None:
        await book_fee(node, gateway, await refund_if_due(node, gateway, outcome.payment))
    return outcome


async def sweep(node: Node, gateway: StripeGateway) -> int:
    """Refunds still to make, and payments abandoned (pending an hour): cancelled at Stripe
    and here, or settled if Stripe says they were paid after all. How many it looked at."""
    now = node.clock.now()
    started_before = now - timedelta(seconds=ABANDONED_AFTER_S)
    due = await queries.unfinished(node.require_reader(), started_before)
    for payment in due:
        try:
            await _finish(node, gateway, payment)
        except KippuError as exc:
            log.warning("card payment %s not finished: %s", payment.payment_id, exc.code)
            looked_at = operations.looked_at(payment.payment_id, node.clock.now())
            await node.require_writer().submit(looked_at)  # behind the others next time
    fees = await queries.fee_unknown(node.require_reader(), now - timedelta(seconds=FEE_WINDOW_S))
    for payment in fees:
        await book_fee(node, gateway, payment)
    return len(due)


async def _finish(node: Node, gateway: StripeGateway, payment: CardPayment) -> None:
    if payment.status == PaymentStatus.REFUNDING:
        after = await refund_if_due(node, gateway, payment)
        if after.status == PaymentStatus.REFUNDING and after.attention is None:
            looked_at = operations.looked_at(payment.payment_id, node.clock.now())
            await node.require_writer().submit(looked_at)  # behind the others next time
        return
    intent = await _intent_of(gateway, payment)
    if intent is not None:
        if intent.status not in ("succeeded", "canceled", "processing"):
            intent = await gateway.cancel(intent.intent_id)
        payment = await settle(node, gateway, payment.payment_id, intent)
        if intent.status == "processing":
            return  # the bank has not answered yet: never given up while it may still pay
    if payment.status == PaymentStatus.PENDING and core.is_abandoned(payment, node.clock.now()):
        await node.require_writer().submit(
            operations.give_up(
                payment.payment_id, PaymentStatus.CANCELLED, "abandoned", node.clock.now()
            )
        )


async def _intent_of(gateway: StripeGateway, payment: CardPayment) -> IntentView | None:
    """The payment's intent as Stripe has it now; for a payment never linked to one (the
    create timed out, or we stopped before noting its id), the one Stripe made for it, if any."""
    if payment.intent_id is not None:
        return await gateway.retrieve(payment.intent_id)
    return await gateway.find_intent(payment.payment_id)


async def own_payment(node: Node, customer_id: str, payment_id: str) -> CardPayment:
    payment = await queries.get_payment(node.require_reader(), payment_id[:64])
    if payment is None or payment.customer_id != customer_id:
        raise PaymentNotFound()  # another customer's payment is simply not there
    return payment


async def product_on_sale(node: Node, product_id: str) -> Product:
    """The product, if it is on sale now (its page says so otherwise, with a way back)."""
    product = await product_queries.load_product(node.require_reader(), product_id[:64])
    if product is None:
        raise ProductNotFound()
    if not is_on_sale(product, node.clock.now()):
        raise ProductNotOnSale()
    return product
