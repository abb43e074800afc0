"""Buying a premium campaign's set (プレミアム商品券) by card on its wallet page: the card form
with the 資金決済法 display (shown before the pay button, as the shop shows it), the purchase,
and its result with the receipt (price, face, card, vouchers).

The card flow is the shop's (node/web/shop.py: Stripe.js, its CSP, the 3-D Secure page, the
receipt PDF); the decisions are node/payments/premium_actions.py's. A refusal (checks missing,
sold out, limit reached, closed, declined) is shown on the campaign's page in the reader's
language, and nothing was charged or held.
"""

from __future__ import annotations

import dataclasses

from aiohttp import web

from node.campaigns import actions as campaign_actions
from node.campaigns import queries as campaign_queries
from node.errors import (
    CardDeclined,
    KippuError,
    PaymentNotFound,
    PaymentsDisabled,
    ValidationError,
)
from node.payments import actions as payment_actions
from node.payments import premium_actions
from node.payments.model import CardPayment, PaymentStatus
from node.runtime import Node
from node.web import shop
from node.web.campaign_receive import refusal_shown, show
from node.web.campaign_render import in_reader_language, render_campaign_page
from node.web.campaign_verify import campaign_of
from node.web.guard import read_form, requires
from node.web.model import Role, Session
from node.web.receipt import SetVoucher
from node.web.signin import see_other
from node.web.wallet_pages import customer_of, shown_account

HOME = "/wallet/campaigns"
# How the receipt names each voucher of a set, by node.campaigns.model.StoreClass's value.
SET_VOUCHER_LABELS = {"common": "共通券 All stores", "local": "専用券 Local shops only"}


def payment_path(campaign_id: str, payment_id: str) -> str:
    return f"{HOME}/{campaign_id}/payments/{payment_id}"


@in_reader_language(home=HOME)
@requires(Role.CUSTOMER)
async def buy(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Hold the set and charge the card: granted → the purchase's page; 3-D Secure → the
    confirm page; refused or declined → the campaign's page saying why, nothing charged."""
    gateway = shop.gateway_of(request)
    if gateway is None:
        raise PaymentsDisabled()
    campaign = await campaign_actions.require_campaign(node, campaign_of(request))
    form = await read_form(request)
    method_id, key = form.get("payment_method", ""), form.get("purchase", "")
    if not shop.METHOD_ID.fullmatch(method_id) or not shop.PURCHASE_KEY.fullmatch(key):
        error = ValidationError("The card details were not sent.", field="payment_method")
        return await show(request, node, session, error=error)
    customer = customer_of(session)
    try:
        payment, intent = await premium_actions.buy_set(
            node, gateway, customer, campaign, method_id, key
        )
    except KippuError as exc:  # nothing charged: said on the campaign's page
        return await show(request, node, session, error=refusal_shown(exc))
    if payment.status == PaymentStatus.FAILED:
        return await show(request, node, session, error=CardDeclined())
    if payment.status == PaymentStatus.PENDING and shop.needs_action(intent):
        return await shop.confirm_page(request, node, session, payment, intent)
    return see_other(payment_path(campaign.campaign_id, payment.payment_id))


@in_reader_language(home=HOME)
@requires(Role.CUSTOMER)
async def purchase_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """A card purchase of a set: where it stands (asking Stripe while pending) and, once
    granted, its receipt: the price, the face, the card, the vouchers. The campaign in the
    address is checked before anything else: under another campaign the purchase is not
    there, and nothing is asked of Stripe nor settled."""
    campaign_id, customer = campaign_of(request), customer_of(session)
    gateway = shop.gateway_of(request)
    payment = await _own_purchase(request, node, customer, campaign_id)
    if gateway is not None:
        payment = await payment_actions.on_return(node, gateway, customer, payment.payment_id)
    campaign = await campaign_actions.require_campaign(node, campaign_id)
    context = {
        "account": await shown_account(node, session.account),
        "campaign": campaign,
        "payment": payment,
        "coupons": await _coupons_of(node, customer, payment),
    }
    return render_campaign_page(request, "campaigns/purchase.html", context, csrf=session.csrf)


@requires(Role.CUSTOMER)
async def receipt_pdf(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """The set's 領収書 (once granted), drawn by the shop's receipt code: the campaign's name,
    the price paid, the face of each voucher of the set (共通券 first), the issuer."""
    campaign_id, customer = campaign_of(request), customer_of(session)
    payment = await _own_purchase(request, node, customer, campaign_id)
    campaign = await campaign_actions.require_campaign(node, campaign_id)
    data = await shop.purchase_receipt(node, payment)  # refused unless the set was granted
    vouchers = tuple(
        SetVoucher(SET_VOUCHER_LABELS[c.store_class], c.face_yen, c.voucher_id)
        for c in await _coupons_of(node, customer, payment)
    )
    data = dataclasses.replace(
        data,
        store_name=data.issuer_name,
        item_name=f"{campaign.name} (プレミアム商品券 Premium vouchers)",
        set_vouchers=vouchers,
    )
    return await shop.receipt_response(node, data)


async def _own_purchase(
    request: web.Request, node: Node, customer_id: str, campaign_id: str
) -> CardPayment:
    payment = await payment_actions.own_payment(node, customer_id, request.match_info["payment_id"])
    if payment.campaign_id != campaign_id:
        raise PaymentNotFound()  # another campaign's purchase is not shown under this one
    return payment


async def _coupons_of(
    node: Node, customer_id: str, payment: CardPayment
) -> list[campaign_queries.HeldCoupon]:
    """The vouchers of the grant the payment made, the 共通券 first: read through the set's
    hold (its id is the payment's) and its grant, never from the wallet's capped list, so an
    old purchase's receipt keeps every line."""
    if payment.voucher_id is None:
        return []
    return await campaign_queries.coupons_of_hold(
        node.require_reader(), payment.payment_id, customer_id
    )


def routes() -> list[web.RouteDef]:
    return [
        web.post(f"{HOME}/{{campaign_id}}/buy", buy),
        web.get(f"{HOME}/{{campaign_id}}/payments/{{payment_id}}", purchase_page),
        web.get(f"{HOME}/{{campaign_id}}/payments/{{payment_id}}/receipt.pdf", receipt_pdf),
    ]
