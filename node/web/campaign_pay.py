"""Paying at a participating store from the wallet (店舗QR払い): the resident scans the store's
poster QR (`/pay/<store code>`), types its code or picks it from the list; chooses one of their
campaign coupons (a 専用券 only at a small local shop), keys the amount, confirms; the coupon
pays through the ledger's own redeem (node/campaigns/store_operations.py). The last page is
what the resident shows to staff: the store, the amount, the balance and the receipt number
beside a clock that ticks every second and a moving band, so a screenshot shows a stopped one.

A confirm form carries a one-time key: submitting it twice answers the first payment."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from aiohttp import web

from node.campaigns import queries as campaign_queries
from node.campaigns import store_actions
from node.campaigns.model import StoreClass
from node.campaigns.queries import HeldCoupon
from node.campaigns.store_actions import PayInput
from node.campaigns.store_queries import PayableStore
from node.errors import CouponNotHeld, InsufficientBalance, KippuError, RedemptionNotFound
from node.ledger import queries as ledger_queries
from node.runtime import Node
from node.web.campaign_render import in_reader_language, render_campaign_page
from node.web.guard import read_form, requires
from node.web.model import Role, Session
from node.web.signin import see_other
from node.web.wallet_pages import customer_of

PAGE = "/wallet/pay"


async def poster_link(request: web.Request) -> web.StreamResponse:
    """The poster's QR opens here: on to the wallet's page of that store (signing in first)."""
    return see_other(f"{PAGE}/{quote(request.match_info['code'][:20], safe='')}")


def _page(
    request: web.Request, session: Session, template: str, status: int = 200, **context: Any
) -> web.Response:
    return render_campaign_page(
        request, f"campaigns/{template}", context, csrf=session.csrf, status=status
    )


@in_reader_language(home=PAGE)
@requires(Role.CUSTOMER)
async def find_store(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Scan a poster, type a store code, or pick from the participating stores."""
    typed = request.query.get("store", "")[:300]
    error: KippuError | None = None
    if typed.strip():
        try:
            store = await store_actions.store_of_text(node, typed)
        except KippuError as exc:
            error = exc
        else:
            return see_other(f"{PAGE}/{store.code}")
    search = request.query.get("q", "")[:50]
    return _page(
        request,
        session,
        "pay_find.html",
        status=error.http_status if error else 200,
        error=error,
        typed=typed,
        search=search,
        stores=await store_actions.payable_stores(node, search),
        scan_prefix=f"{node.config.node.public_url.rstrip('/')}/pay/".upper(),
    )


async def _usable_coupons(node: Node, session: Session, store: PayableStore) -> list[HeldCoupon]:
    """The resident's coupons that can pay here now: active, with a balance, not expired, and a
    専用券 only at a small local shop."""
    now = node.clock.now()
    held = await campaign_queries.coupons_of(node.require_reader(), customer_of(session))
    return [
        c
        for c in held
        if c.status == "active"
        and c.balance_yen > 0
        and (c.store_class != StoreClass.LOCAL.value or store.is_local)
        and (c.expires_at is None or c.expires_at > now)
    ]


async def _store_page(
    request: web.Request,
    node: Node,
    session: Session,
    store: PayableStore,
    error: KippuError | None,
    kept: dict[str, str],
) -> web.Response:
    return _page(
        request,
        session,
        "pay_store.html",
        status=error.http_status if error else 200,
        store=store,
        coupons=await _usable_coupons(node, session, store),
        error=error,
        kept=kept,
    )


@in_reader_language(home=PAGE)
@requires(Role.CUSTOMER)
async def store_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    store = await store_actions.store_of_text(node, request.match_info["code"])
    return await _store_page(request, node, session, store, None, {})


@in_reader_language(home=PAGE)
@requires(Role.CUSTOMER)
async def confirm(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """What will be paid, from which coupon, at which store, before it is."""
    store = await store_actions.store_of_text(node, request.match_info["code"])
    form = await read_form(request)
    kept = {"voucher_id": form.get("voucher_id", "")[:40], "amount": form.get("amount", "")[:20]}
    try:
        amount = store_actions.checked_amount(kept["amount"])
        coupons = await _usable_coupons(node, session, store)
        coupon = next((c for c in coupons if c.voucher_id == kept["voucher_id"]), None)
        if coupon is None:
            raise CouponNotHeld(field="voucher_id")
        if amount > coupon.balance_yen:  # said now; the ledger refuses it anyway when paid
            raise InsufficientBalance(balance=coupon.balance_yen)
    except KippuError as exc:
        return await _store_page(request, node, session, store, exc, kept)
    return _page(
        request,
        session,
        "pay_confirm.html",
        store=store,
        coupon=coupon,
        amount=amount,
        pay_key=store_actions.new_pay_key(node),
    )


@in_reader_language(home=PAGE)
@requires(Role.CUSTOMER)
async def pay(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    store = await store_actions.store_of_text(node, request.match_info["code"])
    form = await read_form(request)
    kept = {"voucher_id": form.get("voucher_id", "")[:40], "amount": form.get("amount", "")[:20]}
    try:
        paid = await store_actions.pay(
            node,
            PayInput(
                customer_id=customer_of(session),
                pay_key=store_actions.checked_pay_key(form.get("pay_key", "")[:80]),
                store_code=store.code,
                voucher_id=kept["voucher_id"],
                amount_yen=store_actions.checked_amount(kept["amount"]),
            ),
        )
    except KippuError as exc:
        if not exc.is_actionable:
            raise
        return await _store_page(request, node, session, store, exc, kept)
    return see_other(f"/wallet/paid/{paid.redeemed.redemption.redemption_id}")


@in_reader_language(home=PAGE)
@requires(Role.CUSTOMER)
async def paid(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """The live confirmation to show staff (post/redirect/get: a reload pays nothing)."""
    reader = node.require_reader()
    redemption = await ledger_queries.get_redemption(reader, request.match_info["redemption_id"])
    voucher = (
        None
        if redemption is None
        else await ledger_queries.get_voucher(reader, redemption.voucher_id)
    )
    if redemption is None or voucher is None or voucher.holder_id != customer_of(session):
        raise RedemptionNotFound()
    store = await ledger_queries.get_store(reader, redemption.store_id)
    return _page(
        request,
        session,
        "pay_done.html",
        redemption=redemption,
        store_name=store.name if store else redemption.store_id,
        balance=voucher.balance_yen,
    )


def routes() -> list[web.RouteDef]:
    return [
        web.get("/pay/{code}", poster_link),
        web.get(PAGE, find_store),
        web.get(PAGE + "/{code}", store_page),
        web.post(PAGE + "/{code}/confirm", confirm),
        web.post(PAGE + "/{code}", pay),
        web.get("/wallet/paid/{redemption_id}", paid),
    ]
