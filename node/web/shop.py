"""The wallet's shop (オンライン購入): products on sale, a product's page with the legal display
(資金決済法13条, shown before the pay button) and the card form, paying by card through Stripe,
the result (issued, declined, refunded, pending, cancelled) and the purchase receipt.

The card never reaches us: Stripe.js (loaded from `[stripe] js_url`, the product and confirm
pages alone widen their CSP for it) turns it into a payment method id, which the form posts.
The decisions are node/payments/actions.py's.
"""

from __future__ import annotations

import asyncio
import re
from urllib.parse import urlsplit

from aiohttp import web

from node.clock import new_id
from node.compliance.display import offer_terms
from node.config.model import StripeConfig
from node.errors import (
    BusinessAbolished,
    CardDeclined,
    KippuError,
    PaymentNotFound,
    PaymentsDisabled,
    ValidationError,
)
from node.ledger import queries as ledger_queries
from node.payments import actions
from node.payments.gateway import GATEWAY, StripeGateway
from node.payments.model import CardPayment, IntentView, PaymentStatus
from node.products import queries as product_queries
from node.products.model import Product
from node.runtime import Node
from node.web.guard import read_form, requires
from node.web.legal import legal_display
from node.web.model import Role, Session
from node.web.pdf_fonts import find_font
from node.web.receipt import ReceiptData, render_receipt
from node.web.receipt_data import Letterhead, legal_note
from node.web.wallet_pages import customer_of, page

# A PaymentMethod (pm_...) from Stripe.js; a card (card_...) where only tokens exist (localstripe)
METHOD_ID = re.compile(r"(pm|card)_[A-Za-z0-9]{6,64}")
PURCHASE_KEY = re.compile(r"cp_[a-z2-7]{10,20}")  # the form's one-time key: the payment's id
STRIPE_HOOKS = "https://hooks.stripe.com"  # 3-D Secure frames of the real Stripe.js
STRIPE_API = "https://api.stripe.com"
PURCHASE_PROVISO = "デジタル商品券代として"


def gateway_of(request: web.Request) -> StripeGateway | None:
    return request.app[GATEWAY].gateway


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def card_policy(config: StripeConfig) -> str:
    """The strict CSP, widened for Stripe.js alone: its script, its API, its frames."""
    js = _origin(config.js_url)
    api = _origin(config.api_base) if config.api_base else STRIPE_API
    frames = f"{js} {STRIPE_HOOKS}" if js == "https://js.stripe.com" else js
    return (
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:;"
        f" style-src 'self'; script-src 'self' {js}; connect-src 'self' {api};"
        f" frame-src {frames}; frame-ancestors 'none'; form-action 'self'"
    )


def _with_card_policy(node: Node, response: web.Response) -> web.Response:
    response.headers["Content-Security-Policy"] = card_policy(node.config.stripe)
    return response


@requires(Role.CUSTOMER)
async def shop_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """The products on sale now."""
    products = await product_queries.products_on_sale(node.require_reader(), node.clock.now())
    enabled = gateway_of(request) is not None
    return await page(
        request, node, session, "wallet_shop.html", products=products, enabled=enabled
    )


@requires(Role.CUSTOMER)
async def product_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    product = await actions.product_on_sale(node, request.match_info["product_id"])
    return await _product_page(request, node, session, product, None)


async def _product_page(
    request: web.Request,
    node: Node,
    session: Session,
    product: Product,
    error: KippuError | None,
) -> web.Response:
    offer = offer_terms(product.face_yen, product.valid_days, product.valid_until)
    enabled = gateway_of(request) is not None
    response = await page(
        request,
        node,
        session,
        "wallet_shop_product.html",
        status=200 if error is None else error.http_status,
        product=product,
        legal=await legal_display(node, offer=offer),
        enabled=enabled,
        error=error,
        purchase_key=new_id(node.rng, "cp"),
        publishable_key=node.config.stripe.publishable_key,
        js_url=node.config.stripe.js_url,
    )
    return _with_card_policy(node, response) if enabled else response


@requires(Role.CUSTOMER)
async def pay(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Charge the card for the product: issued → the result; declined → the form again, saying
    so; 3-D Secure → the confirm page; anything else → the result page, which says where it is."""
    gateway = gateway_of(request)
    if gateway is None:
        raise PaymentsDisabled()
    product = await actions.product_on_sale(node, request.match_info["product_id"])
    form = await read_form(request)
    method_id, key = form.get("payment_method", ""), form.get("purchase", "")
    if not METHOD_ID.fullmatch(method_id) or not PURCHASE_KEY.fullmatch(key):
        error = ValidationError("The card details were not sent.", field="payment_method")
        return await _product_page(request, node, session, product, error)
    customer = customer_of(session)
    try:
        payment, intent = await actions.buy(node, gateway, customer, product, method_id, key)
    except BusinessAbolished as exc:  # nothing charged: said on the product's page
        return await _product_page(request, node, session, product, exc)
    if payment.status == PaymentStatus.FAILED:
        return await _product_page(request, node, session, product, CardDeclined())
    if payment.status == PaymentStatus.PENDING and needs_action(intent):
        return await confirm_page(request, node, session, payment, intent)
    raise web.HTTPSeeOther(f"/wallet/shop/payments/{payment.payment_id}")


def needs_action(intent: IntentView | None) -> bool:
    return intent is not None and intent.status == "requires_action" and bool(intent.client_secret)


async def confirm_page(
    request: web.Request,
    node: Node,
    session: Session,
    payment: CardPayment,
    intent: IntentView | None,
) -> web.Response:
    """3-D Secure: Stripe.js runs it with the intent's client secret, then comes back."""
    response = await page(
        request,
        node,
        session,
        "wallet_shop_confirm.html",
        payment=payment,
        client_secret=intent.client_secret if intent else "",
        publishable_key=node.config.stripe.publishable_key,
        js_url=node.config.stripe.js_url,
    )
    return _with_card_policy(node, response)


@requires(Role.CUSTOMER)
async def result_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Where the payment stands, asking Stripe when it is still pending (the return URL)."""
    payment_id = request.match_info["payment_id"]
    gateway = gateway_of(request)
    if gateway is None:
        payment = await actions.own_payment(node, customer_of(session), payment_id)
    else:
        payment = await actions.on_return(node, gateway, customer_of(session), payment_id)
    if payment.campaign_id is not None:  # a campaign's set: its own page says where it is
        raise web.HTTPSeeOther(f"/wallet/campaigns/{payment.campaign_id}/payments/{payment_id}")
    product = await product_queries.load_product(node.require_reader(), str(payment.product_id))
    return await page(
        request, node, session, "wallet_shop_result.html", payment=payment, product=product
    )


@requires(Role.CUSTOMER)
async def receipt_pdf(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """The purchase's 領収書: the price paid by card for the voucher (only once it is issued)."""
    payment = await actions.own_payment(
        node, customer_of(session), request.match_info["payment_id"]
    )
    if payment.campaign_id is not None:  # a premium set's receipt names its campaign and vouchers
        raise web.HTTPSeeOther(
            f"/wallet/campaigns/{payment.campaign_id}/payments/{payment.payment_id}/receipt.pdf"
        )
    return await receipt_response(node, await purchase_receipt(node, payment))


async def receipt_response(node: Node, data: ReceiptData) -> web.Response:
    """A purchase's 領収書 drawn as the PDF download (the shop's, or a campaign's set)."""
    font = find_font(node.config.web.receipt_font)
    pdf = await asyncio.to_thread(render_receipt, data, node.config.zone, font)
    return web.Response(
        body=pdf,
        content_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="receipt-{data.receipt_number}.pdf"',
            "Cache-Control": "no-store",
        },
    )


async def purchase_receipt(node: Node, payment: CardPayment) -> ReceiptData:
    """The 領収書 of an issued payment, dated when its voucher was issued (the payment's own
    `updated_at` moves later, when the fee is booked)."""
    voucher = None
    if payment.status == PaymentStatus.ISSUED and payment.voucher_id is not None:
        voucher = await ledger_queries.get_voucher(node.require_reader(), payment.voucher_id)
    if voucher is None:
        raise PaymentNotFound("This payment has no receipt: no voucher was issued.")
    letterhead = Letterhead.from_config(node.config)
    return ReceiptData(
        issuer_name=letterhead.issuer_name,
        store_name=f"{letterhead.brand_name} オンラインショップ (Online shop)",
        receipt_number=payment.payment_id,
        redeemed_at=voucher.created_at,
        amount_yen=payment.amount_yen,
        balance_after_yen=payment.face_yen,
        voucher_number=voucher.voucher_id,
        proviso=PURCHASE_PROVISO,
        brand_name=letterhead.brand_name,
        issuer=letterhead.facts,
        logo_png=letterhead.logo_png,
        is_purchase=True,
        legal=legal_note(await legal_display(node)),  # the 資金決済法 display's compact block
    )


def routes() -> list[web.RouteDef]:
    return [
        web.get("/wallet/shop", shop_page),
        web.get("/wallet/shop/payments/{payment_id}/receipt.pdf", receipt_pdf),
        web.get("/wallet/shop/payments/{payment_id}", result_page),
        web.get("/wallet/shop/{product_id}", product_page),
        web.post("/wallet/shop/{product_id}/pay", pay),
    ]
