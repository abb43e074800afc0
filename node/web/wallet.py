"""The customer's wallet (マイ商品券): sign in by email link, vouchers, the QR, history, gifts, receipts."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.client_address import request_client_address
from node.clock import new_id
from node.compliance import refund_actions
from node.errors import (
    BadCredentials,
    GiftReturned,
    GiftToHolder,
    KippuError,
    LinkInvalid,
    SaleCancelled,
    ValidationError,
)
from node.ledger import live_queries, queries
from node.ledger.qr import fresh_code
from node.peering.partner_stores import active_partner_stores
from node.runtime import NODE, Node
from node.settlement import queries as settlement_queries
from node.text import MAX_EMAIL, email_address
from node.web import account_tables, accounts, gifts, handover, live_stream, mail, refund_wallet
from node.web.brand import page_brand
from node.web.guard import (
    check_pre_form,
    current_session,
    new_token,
    pre_token,
    requires,
    safe_next,
    with_pre_cookie,
)
from node.web.history import history_lines
from node.web.legal import legal_display
from node.web.model import Role, Session
from node.web.pages import render
from node.web.signin import start_session
from node.web.throttle import SignInThrottle
from node.web.wallet_card import membership
from node.web.wallet_pages import customer_of, own_voucher, page, shown_account

LINK_LIFETIME_S = 15 * 60
LINK_THROTTLE = web.AppKey("kippu_link_throttle", SignInThrottle)


def install_throttle(app: web.Application) -> None:
    # Every link sent counts. In 15 minutes: 3 per email from one address, 20 per address; past
    # 5 for an email from anywhere, only addresses that asked for no link may ask, one link every
    # 30 seconds between them all (throttle.py). IPv6 counts by /64, the 20 also by /48.
    app[LINK_THROTTLE] = SignInThrottle(
        pair_limit=3, address_limit=20, name_limit=5, window_s=15 * 60, clean_interval_s=30
    )


def _email(text: str) -> str:
    email = email_address(text)
    if email is None:
        raise ValidationError("Please enter a valid email address.", field="email")
    return email


def _anonymous(
    request: web.Request, template: str, status: int = 200, **context: Any
) -> web.StreamResponse:
    node = request.app[NODE]
    context.setdefault("account", None)
    page = render(
        request, template, context, zone=node.config.zone, csrf=pre_token(request), status=status
    )
    return with_pre_cookie(request, page)


async def login_form(request: web.Request) -> web.StreamResponse:
    next_path = safe_next(request.query.get("next"), "/wallet")
    return _anonymous(
        request,
        "wallet_login.html",
        error=None,
        email="",
        next=next_path,
        sent=False,
        expired=request.query.get("expired") == "1",
    )


async def request_link(request: web.Request) -> web.StreamResponse:
    node = request.app[NODE]
    form = await check_pre_form(request)
    next_path = safe_next(form.get("next"), "/wallet")
    try:
        email = _email(form.get("email", ""))
        request.app[LINK_THROTTLE].attempt(
            email,
            request_client_address(request, node.config.web.trusted_proxies),
            node.clock.now().timestamp(),
        )
    except KippuError as exc:
        return _anonymous(
            request,
            "wallet_login.html",
            status=exc.http_status,
            error=exc,
            email=form.get("email", "")[:MAX_EMAIL],
            next=next_path,
            sent=False,
        )
    token = new_token()
    await node.require_writer().submit(
        account_tables.add_login_link(token, email, next_path, node.clock.now(), LINK_LIFETIME_S)
    )
    link = f"{node.config.node.public_url}/wallet/link/{token}"
    await mail.send_sign_in_link(node.config.web, page_brand(node.config), email, link)
    # The same answer whether or not the address has an account: nothing to learn from it.
    return _anonymous(
        request, "wallet_login.html", error=None, email=email, next=next_path, sent=True
    )


async def link_page(request: web.Request) -> web.StreamResponse:
    """A GET never spends the link (mail scanners open links); the button posts. A link that is
    used or expired says so at once and offers to send a new one."""
    node = request.app[NODE]
    token = request.match_info["token"][:100]
    now_s = int(node.clock.now().timestamp())
    is_usable = await account_tables.is_login_link_usable(node.require_reader(), token, now_s)
    return _link_page(request, token, None if is_usable else LinkInvalid())


def _link_page(request: web.Request, token: str, error: KippuError | None) -> web.StreamResponse:
    status = 200 if error is None else error.http_status
    return _anonymous(request, "wallet_link.html", status, token=token, error=error, email="")


async def use_link(request: web.Request) -> web.StreamResponse:
    node = request.app[NODE]
    await check_pre_form(request)
    now = node.clock.now()
    token = request.match_info["token"][:100]
    try:
        account_id, next_path = await node.require_writer().submit(
            accounts.use_login_link(token, new_id(node.rng, "ac"), new_id(node.rng, "cu"), now)
        )
    except (LinkInvalid, BadCredentials) as exc:  # inline, with a way to a new link
        return _link_page(request, token, exc)
    return await start_session(node, account_id, Role.CUSTOMER, safe_next(next_path, "/wallet"))


@requires(Role.CUSTOMER)
async def home(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    await membership(node, customer_of(session))  # every customer is a member (会員証)
    reader = node.require_reader()
    vouchers = await queries.list_vouchers(reader, customer_of(session))
    stores = await queries.list_stores(reader)
    partners = await active_partner_stores(node.require_reader())
    return await page(
        request,
        node,
        session,
        "wallet_home.html",
        vouchers=vouchers,
        stores=stores,
        partners=partners,
        issuer=node.config.node.name,
        abolition=await refund_actions.abolition_state(node),  # 払戻し請求 while it is open
    )


@requires(Role.CUSTOMER)
async def voucher_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    voucher = await own_voucher(node, session, request.match_info["voucher_id"])
    reader = node.require_reader()
    history = await queries.voucher_history(reader, voucher.voucher_id)
    redemptions = await queries.list_redemptions(reader, voucher.voucher_id, None)
    store_names = {s.store_id: s.name for s in await queries.list_stores(reader)}
    partner_uses = await settlement_queries.partner_uses(reader, voucher.voucher_id)
    usable = voucher.status == "active" and not voucher.is_expired_at(node.clock.now())
    usable = usable and voucher.suspended_at is None  # 利用停止中: no code (issue 15, console)
    partner_names = await settlement_queries.peer_names(reader)
    limits = await queries.voucher_limits(reader, voucher.voucher_id)
    return await page(
        request,
        node,
        session,
        "wallet_voucher.html",
        voucher=voucher,
        lines=history_lines(history, redemptions, store_names, partner_uses, partner_names),
        usable=usable,
        only_at=limits.only_at,
        can_gift=usable
        and not limits.no_gift
        and not voucher.is_gift
        and not voucher.has_given_gift,
        point=await live_queries.voucher_point(reader, voucher.voucher_id),
        legal=await legal_display(node, voucher),
        **await refund_wallet.claim_offer(node, voucher),  # 払戻し請求 during an abolition
    )


@requires(Role.CUSTOMER)
async def voucher_code(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """A fresh one-time code for the QR; the page asks again before this one expires."""
    voucher = await own_voucher(node, session, request.match_info["voucher_id"])
    now, step_s = node.clock.now(), node.settings.step_seconds
    code = fresh_code(node.identity.node_id, voucher, now, step_s, node.rng.token_bytes(5))
    return web.json_response(
        {**code, "balance": voucher.balance_yen},
        headers={"Cache-Control": "no-store"},
    )


async def take_page(request: web.Request) -> web.StreamResponse:
    """The landing page of a sold or gifted voucher's link: sign in (or register), then receive;
    a link that can no longer be received says why, with a way on."""
    node = request.app[NODE]
    session = await current_session(request, node)
    return await _take_page(request, node, session, None)


async def _take_page(
    request: web.Request, node: Node, session: Session | None, error: KippuError | None
) -> web.Response:
    token = request.match_info["token"][:100]
    is_customer = session is not None and session.account.role == Role.CUSTOMER
    customer_id = session.account.customer_id if session is not None and is_customer else None
    view = await handover.link_view(node, token, customer_id)
    is_pending = view.state == handover.LinkState.PENDING and view.voucher is not None
    context = {
        # 資金決済法13条: the display is shown before the customer takes the voucher.
        "legal": await legal_display(node, view.voucher) if is_pending else None,
        "voucher": view.voucher,
        "giver": await handover.giver_name(node, token) if view.voucher else None,
        "state": str(view.state),
        "error": error,
        "token": token,
        "signed_in": is_customer,
        "account": await shown_account(node, session.account) if session else None,
    }
    status = {"pending": 200, "mine": 200, "unknown": 404}.get(str(view.state), 410)
    return render(
        request,
        "take.html",
        context,
        zone=node.config.zone,
        csrf=session.csrf if session else "",
        status=error.http_status if error is not None else status,
    )


@requires(Role.CUSTOMER)
async def take(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    try:
        voucher = await node.require_writer().submit(
            handover.take(request.match_info["token"][:100], customer_of(session), node.clock.now())
        )
    except GiftToHolder as exc:  # inline on the landing page
        return await _take_page(request, node, session, exc)
    except (LinkInvalid, GiftReturned, SaleCancelled):  # taken, taken back or cancelled since
        return await _take_page(request, node, session, None)
    raise web.HTTPSeeOther(f"/wallet/v/{voucher.voucher_id}")


def routes() -> list[web.RouteDef]:
    return [
        web.get("/wallet/login", login_form),
        web.post("/wallet/login", request_link),
        web.get("/wallet/link/{token}", link_page),
        web.post("/wallet/link/{token}", use_link),
        web.get("/wallet", home),
        web.get("/wallet/v/{voucher_id}", voucher_page),
        web.get("/wallet/v/{voucher_id}/code.json", voucher_code),
        web.get("/wallet/v/{voucher_id}/events", live_stream.events),
        *gifts.routes(),
        web.get("/take/{token}", take_page),
        web.post("/take/{token}", take),
    ]
