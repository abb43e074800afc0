"""Gifting from the wallet, on its own screens: the amount on a keypad, a confirm step (what is
given, what remains), then the link to share (Web Share, LINE, copy). Unclaimed gifts are listed:
each one's link can be shown again, or the gift taken back (its value returns to the giver)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from aiohttp import web

from node.clock import ordered_id
from node.errors import (
    GiftNotAllowed,
    InsufficientBalance,
    KippuError,
    VoucherNotFound,
)
from node.ledger import queries
from node.ledger.calendar import gift_expiry
from node.ledger.core import require_usable
from node.ledger.model import Voucher, VoucherStatus
from node.runtime import Node
from node.web import handover
from node.web import queries as web_queries
from node.web.amounts import typed_yen
from node.web.guard import read_form, requires
from node.web.i18n import translator
from node.web.model import Role, Session
from node.web.pages import language
from node.web.wallet_pages import customer_of, own_voucher, page

MAX_AMOUNT_TEXT = 40
LINE_SHARE = "https://line.me/R/share?text="  # LINE's documented share URL: text, then the link


def _giftable(voucher: Voucher, node: Node) -> None:
    require_usable(voucher, node.clock.now())
    if voucher.is_gift or voucher.has_given_gift:
        raise GiftNotAllowed()


def _amount(text: str, voucher: Voucher) -> int:
    """The typed amount; `all` is the whole balance (the 全額 button)."""
    if text == "all":
        return voucher.balance_yen
    amount = typed_yen(text)
    if amount > voucher.balance_yen:
        raise InsufficientBalance(balance=voucher.balance_yen)
    return amount


async def _amount_page(
    request: web.Request,
    node: Node,
    session: Session,
    voucher: Voucher,
    typed: str,
    error: KippuError | None = None,
) -> web.Response:
    response = await page(
        request,
        node,
        session,
        "wallet_gift_amount.html",
        voucher=voucher,
        amount=typed,
        error=error,
    )
    if error is not None:
        response.set_status(error.http_status)
    return response


@requires(Role.CUSTOMER)
async def amount_form(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    voucher = await own_voucher(node, session, request.match_info["voucher_id"])
    typed = request.query.get("amount", "")[:MAX_AMOUNT_TEXT]
    try:
        _giftable(voucher, node)
    except KippuError as exc:
        return await _amount_page(request, node, session, voucher, typed, exc)
    return await _amount_page(request, node, session, voucher, typed)


@requires(Role.CUSTOMER)
async def confirm(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """The confirm step: nothing is given until the customer presses 贈る here."""
    voucher = await own_voucher(node, session, request.match_info["voucher_id"])
    form = await read_form(request)
    typed = "all" if form.get("whole") else form.get("amount", "").strip()[:MAX_AMOUNT_TEXT]
    try:
        _giftable(voucher, node)
        amount = _amount(typed, voucher)
    except KippuError as exc:
        kept = "" if typed == "all" else typed
        return await _amount_page(request, node, session, voucher, kept, exc)
    return await page(
        request,
        node,
        session,
        "wallet_gift_confirm.html",
        voucher=voucher,
        amount=amount,
        remains=voucher.balance_yen - amount,
        gift_expires=gift_expiry(node.clock.now(), node.config.zone),
    )


@requires(Role.CUSTOMER)
async def make(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    voucher = await own_voucher(node, session, request.match_info["voucher_id"])
    typed = (await read_form(request)).get("amount", "").strip()[:MAX_AMOUNT_TEXT]
    try:
        _giftable(voucher, node)
        amount = _amount(typed, voucher)
        made = await handover.gift(node, voucher.voucher_id, customer_of(session), amount)
    except KippuError as exc:
        return await _amount_page(request, node, session, voucher, typed, exc)
    raise web.HTTPSeeOther(f"/wallet/gifts/{made.voucher.voucher_id}?made=1")


async def _my_gift(node: Node, session: Session, gift_id: str) -> tuple[Voucher, Any]:
    """A gift this customer made (received, taken back or waiting), and its link's record."""
    reader = node.require_reader()
    link = await web_queries.gift_link(reader, gift_id)
    gift = await queries.get_voucher(reader, gift_id)
    if link is None or gift is None or link.from_customer != customer_of(session):
        raise VoucherNotFound()
    return gift, link


@requires(Role.CUSTOMER)
async def pending(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    reader = node.require_reader()
    gifts = []
    for made in await web_queries.open_gifts_of(reader, customer_of(session)):
        gift = await queries.get_voucher(reader, made.voucher_id)
        if gift is not None and gift.status == VoucherStatus.ACTIVE:
            gifts.append((gift, made.created_at))
    return await page(request, node, session, "wallet_gifts.html", gifts=gifts)


@requires(Role.CUSTOMER)
async def show(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """One gift: while unclaimed its link and QR (again), to share, and the take-back button."""
    gift, link = await _my_gift(node, session, request.match_info["gift_id"])
    waiting = link.taken_by is None and gift.status == VoucherStatus.ACTIVE
    shown = await handover.shown_again(node, gift.voucher_id) if waiting else None
    share_text = translator(language(request))("wl_share_text")
    return await page(
        request,
        node,
        session,
        "wallet_gift.html",
        gift=gift,
        link=shown,
        line_url=None if shown is None else LINE_SHARE + quote(f"{share_text} {shown}", safe=""),
        waiting=waiting,
        received=link.taken_by is not None,
        just_made=request.query.get("made") == "1",
    )


@requires(Role.CUSTOMER)
async def return_form(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    gift, link = await _my_gift(node, session, request.match_info["gift_id"])
    source = await queries.get_voucher(node.require_reader(), gift.gifted_from or "")
    return await page(
        request,
        node,
        session,
        "wallet_gift_return.html",
        gift=gift,
        source=source,
        waiting=link.taken_by is None and gift.status == VoucherStatus.ACTIVE,
        error=None,
    )


@requires(Role.CUSTOMER)
async def take_back(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    gift, _ = await _my_gift(node, session, request.match_info["gift_id"])
    now = node.clock.now()
    try:
        source = await node.require_writer().submit(
            handover.take_back(
                gift.voucher_id, customer_of(session), now, ordered_id(now, node.rng, "tx")
            )
        )
    except KippuError as exc:  # received meanwhile, or taken back already: say so, change nothing
        response = await page(
            request,
            node,
            session,
            "wallet_gift_return.html",
            gift=gift,
            source=None,
            waiting=False,
            error=exc,
        )
        response.set_status(exc.http_status)
        return response
    return await page(request, node, session, "wallet_gift_returned.html", gift=gift, source=source)


def routes() -> list[web.RouteDef]:
    return [
        web.get("/wallet/v/{voucher_id}/gift", amount_form),
        web.post("/wallet/v/{voucher_id}/gift/confirm", confirm),
        web.post("/wallet/v/{voucher_id}/gift", make),
        web.get("/wallet/gifts", pending),
        web.get("/wallet/gifts/{gift_id}", show),
        web.get("/wallet/gifts/{gift_id}/return", return_form),
        web.post("/wallet/gifts/{gift_id}/return", take_back),
    ]
