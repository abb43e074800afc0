"""Selling at the counter (販売): a product (商品, node/products/) or a keyed amount, a confirm
step with the payment method, the hand-over QR; the store's sales nobody has taken yet, whose
QR can be shown again; cancelling a same-day sale with its money refunded the way it was paid.

Every sale and cancel is a ledger operation inside the writer (node/ledger/operations.py:
sell_at_counter, cancel_sale; a product's sale adds its checks and stock through
node/products/operations.py); this module only reads forms and renders the counter's pages.

The buttons are the products on sale now (name, face, price). While head office has defined no
product, they are the face values of `[web] sale_products`, sold at face as a keyed amount is.
"""

from __future__ import annotations

import base64

from aiohttp import web

from node.errors import (
    KippuError,
    ProductNotFound,
    SaleKeyOfOtherStore,
    SaleNotFound,
    ValidationError,
)
from node.ledger import core, sale_queries
from node.ledger import queries as ledger_queries
from node.ledger.model import PaymentMethod, Sale
from node.products import actions as product_actions
from node.products import core as product_core
from node.products import queries as product_queries
from node.products.model import Product
from node.runtime import Node
from node.web import handover
from node.web.actors import recorded_actor
from node.web.amounts import typed_yen
from node.web.counter import Counter, masked, require_counter, staff_page
from node.web.guard import read_form, requires
from node.web.model import Role, Session

OPEN_SALES_SHOWN = 20
METHODS = tuple(PaymentMethod)


def _method(text: str) -> PaymentMethod:
    """The chosen payment method; only a form not made by the confirm page sends another."""
    try:
        return PaymentMethod(text)
    except ValueError:
        raise ValidationError(field="method") from None


def _face(node: Node, text: str) -> int:
    face = typed_yen(text)
    core.require_amount(face, node.settings.policy.max_voucher_yen)
    return face


async def _sell_page(
    request: web.Request, node: Node, counter: Counter, error: KippuError | None, face: str
) -> web.Response:
    unclaimed = await sale_queries.unclaimed_sales(
        node.require_reader(), counter.store_id, OPEN_SALES_SHOWN
    )
    offers = await product_actions.on_sale_at_counter(node)
    # `[web] sale_products` stands in only until head office defines its first product.
    has_products = bool(offers) or await product_queries.has_products(node.require_reader())
    return staff_page(
        request,
        node,
        counter.session,
        "staff_sell.html",
        status=error.http_status if error else 200,
        counter=counter,
        error=error,
        face=face,
        offers=offers,
        no_offers=has_products and not offers,
        products=() if has_products else node.config.web.sale_products,
        max_yen=node.settings.policy.max_voucher_yen,
        unclaimed=unclaimed,
        masked=masked,
    )


@requires(Role.STAFF)
async def sell_form(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Step one: a product, or an amount keyed on the keypad; below, the sales not taken yet."""
    counter = await require_counter(node, session)
    return await _sell_page(request, node, counter, None, "")


@requires(Role.STAFF)
async def sell_confirm(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Step two: the amount restated and how the customer pays, before anything is sold."""
    counter = await require_counter(node, session)
    form = await read_form(request)
    face_text = form.get("face", "")[:20]
    try:
        product = await _product(node, form.get("product", "")[:40])
        face = product.face_yen if product is not None else _face(node, face_text)
    except KippuError as exc:
        return await _sell_page(request, node, counter, exc, face_text)
    key = _new_sale_key(node)
    return _confirm_page(request, node, counter, face, None, None, key, product)


async def _product(node: Node, product_id: str) -> Product | None:
    """The product a form names, if it names one, a counter may sell it and it is on sale now;
    None: a keyed amount."""
    if not product_id:
        return None
    product = await product_queries.load_product(node.require_reader(), product_id)
    if product is None:
        raise ProductNotFound()
    product_core.require_counter_sale(product)
    product_core.require_on_sale(product, node.clock.now())
    return product


def _new_sale_key(node: Node) -> str:
    """The confirm form's one-time key: the same form sent twice sells once."""
    return base64.urlsafe_b64encode(node.rng.token_bytes(18)).decode("ascii")


def _sale_key(text: str) -> str | None:
    """The posted key, or None when it is none a confirm page made (then nothing is matched)."""
    is_key = 16 <= len(text) <= 64 and all(c.isascii() and (c.isalnum() or c in "-_") for c in text)
    return text if is_key else None


def _confirm_page(
    request: web.Request,
    node: Node,
    counter: Counter,
    face: int,
    method: str | None,
    error: KippuError | None,
    sale_key: str,
    product: Product | None = None,
) -> web.Response:
    return staff_page(
        request,
        node,
        counter.session,
        "staff_sell_confirm.html",
        status=error.http_status if error else 200,
        counter=counter,
        face=face,
        product=product,
        methods=METHODS,
        method=method or PaymentMethod.CASH.value,
        error=error,
        sale_key=sale_key,
    )


@requires(Role.STAFF)
async def sell(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Step three: the voucher is issued, the sale recorded with its method; the hand-over QR."""
    counter = await require_counter(node, session)
    form = await read_form(request)
    face_text, method_text = form.get("face", "")[:20], form.get("method", "")[:20]
    sale_key = _sale_key(form.get("sale_key", "")[:64])
    product_id = form.get("product", "")[:40]
    try:
        product = await product_queries.load_product(node.require_reader(), product_id)
        face = product.face_yen if product is not None else _face(node, face_text)
        if product_id and product is None:
            raise ProductNotFound()
    except KippuError as exc:
        return await _sell_page(request, node, counter, exc, face_text)
    try:
        method = _method(method_text)
        actor = recorded_actor(session)
        sold = await (
            handover.sell(node, face, counter.store_id, method, actor, sale_key)
            if product is None
            else handover.sell_product(
                node, product.product_id, counter.store_id, method, actor, sale_key
            )
        )
    except KippuError as exc:
        # A key another store used is spent: this confirm page gets a fresh one.
        is_spent = isinstance(exc, SaleKeyOfOtherStore)
        key = _new_sale_key(node) if sale_key is None or is_spent else sale_key
        return _confirm_page(request, node, counter, face, method_text, exc, key, product)
    return _sold_page(
        request, node, counter, sold.sale, sold.link, is_again=False, is_repeat=sold.is_repeat
    )


def _sold_page(
    request: web.Request,
    node: Node,
    counter: Counter,
    sale: Sale,
    link: str | None,
    *,
    is_again: bool,
    is_repeat: bool = False,
) -> web.Response:
    return staff_page(
        request,
        node,
        counter.session,
        "staff_sold.html",
        counter=counter,
        sale=sale,
        link=link,
        is_again=is_again,
        is_repeat=is_repeat,
        masked=masked(sale.voucher_id),
    )


async def _store_sale(node: Node, counter: Counter, voucher_id: str) -> Sale:
    """A sale made at this counter's store; SaleNotFound for any other voucher."""
    sale = await sale_queries.get_sale(node.require_reader(), voucher_id[:40])
    if sale is None or sale.store_id != counter.store_id:
        raise SaleNotFound()
    return sale


@requires(Role.STAFF)
async def show_again(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """The hand-over QR of a sale nobody has taken yet, shown again (with a fresh link)."""
    counter = await require_counter(node, session)
    sale = await _store_sale(node, counter, request.match_info["voucher_id"])
    link = await handover.renew_link(node, sale.voucher_id)
    return _sold_page(request, node, counter, sale, link, is_again=True)


async def _cancel_page(
    request: web.Request, node: Node, counter: Counter, sale: Sale, error: KippuError | None
) -> web.Response:
    """The cancel's confirm step: what is refunded and how; a refusal instead of the button."""
    voucher = await ledger_queries.get_voucher(node.require_reader(), sale.voucher_id)
    refusal = error
    if refusal is None and voucher is not None:
        try:
            core.require_cancellable(
                voucher, sale, counter.store_id, node.clock.now(), node.config.zone
            )
        except KippuError as exc:
            refusal = exc
    return staff_page(
        request,
        node,
        counter.session,
        "staff_sale_cancel.html",
        status=refusal.http_status if refusal else 200,
        counter=counter,
        sale=sale,
        error=refusal,
        masked=masked(sale.voucher_id),
    )


@requires(Role.STAFF)
async def cancel_form(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    counter = await require_counter(node, session)
    sale = await _store_sale(node, counter, request.match_info["voucher_id"])
    return await _cancel_page(request, node, counter, sale, None)


@requires(Role.STAFF)
async def cancel(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """The sale cancelled by a correcting entry; the page says how much to refund, and how."""
    counter = await require_counter(node, session)
    sale = await _store_sale(node, counter, request.match_info["voucher_id"])
    try:
        cancelled, _ = await handover.cancel_sale(
            node, sale.voucher_id, counter.store_id, recorded_actor(session)
        )
    except KippuError as exc:
        return await _cancel_page(request, node, counter, sale, exc)
    return staff_page(
        request,
        node,
        session,
        "staff_sale_cancelled.html",
        counter=counter,
        sale=cancelled,
        masked=masked(cancelled.voucher_id),
    )


def routes() -> list[web.RouteDef]:
    return [
        web.get("/staff/sell", sell_form),
        web.post("/staff/sell/confirm", sell_confirm),
        web.post("/staff/sell", sell),
        web.post("/staff/sales/{voucher_id}/handover", show_again),
        web.get("/staff/sales/{voucher_id}/cancel", cancel_form),
        web.post("/staff/sales/{voucher_id}/cancel", cancel),
    ]
