"""The wallet's point exchange (ポイント交換) and point lotteries (ポイント抽選): the catalogue with
the member's points, an item's order form with a confirm step and the member's own orders; the
lotteries with their published commitment, entries' hash and seed, entering with a confirm step,
the member's tickets and what they won. The decisions are node/points/exchange_actions.py's and
lottery_actions.py's; a refusal is shown on the form it came from, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from node.errors import ExchangeItemNotFound, KippuError, LotteryNotFound
from node.points import exchange_actions, lottery_actions
from node.points.actions import new_txn
from node.points.core import page_txn
from node.points.exchange_core import shipping
from node.points.model import MAX_TXN_CHARS
from node.runtime import Node
from node.web.guard import read_form, requires
from node.web.model import Role, Session
from node.web.points_pages import local_iso
from node.web.signin import see_other
from node.web.wallet_pages import customer_of, page

EXCHANGE = "/wallet/points/exchange"
LOTTERIES = "/wallet/points/lotteries"
SHIPPING_FIELDS = ("ship_name", "ship_postcode", "ship_address")
SHOWN_TO_MEMBERS = ("open", "ended", "closed", "drawn")  # not before opening, not cancelled
DONE = {"ordered", "entered"}


async def _catalogue(
    request: web.Request, node: Node, session: Session, status: int = 200, **context: Any
) -> web.Response:
    customer_id = customer_of(session)
    done = request.query.get("done")
    return await page(
        request,
        node,
        session,
        "wallet_points_exchange.html",
        status=status,
        items=(await exchange_actions.list_items(node, on_offer_only=True))["items"],
        orders=(await exchange_actions.list_orders(node, customer_id=customer_id))["orders"],
        balance=await exchange_actions.member_balance(node, customer_id),
        done=done if done in DONE else None,
        at=local_iso(node.config.zone),
        **context,
    )


@requires(Role.CUSTOMER)
async def catalogue(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    return await _catalogue(request, node, session)


async def _item_page(
    request: web.Request,
    node: Node,
    session: Session,
    typed: dict[str, str],
    error: KippuError | None = None,
) -> web.Response:
    item = await exchange_actions.show_item(node, request.match_info["item_id"])
    if not item["on_offer"]:
        raise ExchangeItemNotFound(item_id=item["item_id"])
    return await page(
        request,
        node,
        session,
        "wallet_points_item.html",
        status=200 if error is None else error.http_status,
        item=item,
        typed=typed,
        error=error,
        error_field=None if error is None else error.details.get("field"),
        balance=await exchange_actions.member_balance(node, customer_of(session)),
    )


@requires(Role.CUSTOMER)
async def item_form(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    return await _item_page(request, node, session, {})


@requires(Role.CUSTOMER)
async def confirm_order(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """The address checked, then the order shown once more before the points are taken."""
    form = await read_form(request)
    typed = {key: form.get(key, "")[:300] for key in SHIPPING_FIELDS}
    try:
        address = shipping(typed["ship_name"], typed["ship_postcode"], typed["ship_address"])
    except KippuError as exc:
        return await _item_page(request, node, session, typed, exc)
    item = await exchange_actions.show_item(node, request.match_info["item_id"])
    balance = await exchange_actions.member_balance(node, customer_of(session))
    return await page(
        request,
        node,
        session,
        "wallet_points_item_confirm.html",
        item=item,
        address=address,
        balance=balance,
        txn=new_txn(node, "wx"),  # a second tap on 交換する answers the first order
    )


def wallet_txn(session: Session, form: Mapping[str, str]) -> str | None:
    """The id a confirm form's posted `txn` stands for: never the posted text itself (a member
    could post a POS's id and block it), but `wallet:` and a hash over the member and it, so the
    same form sent twice still acts once."""
    posted = form.get("txn", "")[:MAX_TXN_CHARS]
    return page_txn("wallet", customer_of(session), posted) if posted else None


@requires(Role.CUSTOMER)
async def place_order(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    form = await read_form(request)
    typed = {key: form.get(key, "")[:300] for key in SHIPPING_FIELDS}
    item_id = request.match_info["item_id"]
    try:
        await exchange_actions.order_for_customer(
            node, customer_of(session), item_id, dict(typed), wallet_txn(session, form)
        )
    except KippuError as exc:
        if not exc.is_actionable or isinstance(exc, ExchangeItemNotFound):
            raise
        return await _item_page(request, node, session, typed, exc)
    return see_other(f"{EXCHANGE}?done=ordered")


@requires(Role.CUSTOMER)
async def lotteries(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    listed = (await lottery_actions.list_lotteries(node))["lotteries"]
    return await page(
        request,
        node,
        session,
        "wallet_points_lotteries.html",
        lotteries=[lo for lo in listed if lo["state"] in SHOWN_TO_MEMBERS],
        at=local_iso(node.config.zone),
    )


async def _lottery_page(
    request: web.Request,
    node: Node,
    session: Session,
    template: str = "wallet_points_lottery.html",
    error: KippuError | None = None,
    txn: str = "",
) -> web.Response:
    customer_id = customer_of(session)
    shown = await lottery_actions.member_view(node, request.match_info["lottery_id"], customer_id)
    if shown["state"] not in SHOWN_TO_MEMBERS:
        raise LotteryNotFound(lottery_id=shown["lottery_id"])
    done = request.query.get("done")
    return await page(
        request,
        node,
        session,
        template,
        status=200 if error is None else error.http_status,
        lottery=shown,
        balance=await exchange_actions.member_balance(node, customer_id),
        error=error,
        done=done if done in DONE else None,
        at=local_iso(node.config.zone),
        txn=txn,
    )


@requires(Role.CUSTOMER)
async def lottery(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    return await _lottery_page(request, node, session)


@requires(Role.CUSTOMER)
async def confirm_entry(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    await read_form(request)
    return await _lottery_page(
        request, node, session, "wallet_points_lottery_confirm.html", txn=new_txn(node, "wt")
    )


@requires(Role.CUSTOMER)
async def enter(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    form = await read_form(request)
    lottery_id = request.match_info["lottery_id"]
    try:
        customer_id = customer_of(session)
        await lottery_actions.enter(node, lottery_id, customer_id, wallet_txn(session, form))
    except KippuError as exc:
        if not exc.is_actionable or isinstance(exc, LotteryNotFound):
            raise
        return await _lottery_page(request, node, session, error=exc)
    return see_other(f"{LOTTERIES}/{lottery_id}?done=entered")


def routes() -> list[web.RouteDef]:
    return [
        web.get(EXCHANGE, catalogue),
        web.get(EXCHANGE + "/{item_id}", item_form),
        web.post(EXCHANGE + "/{item_id}/confirm", confirm_order),
        web.post(EXCHANGE + "/{item_id}", place_order),
        web.get(LOTTERIES, lotteries),
        web.get(LOTTERIES + "/{lottery_id}", lottery),
        web.post(LOTTERIES + "/{lottery_id}/confirm", confirm_entry),
        web.post(LOTTERIES + "/{lottery_id}/enter", enter),
    ]
