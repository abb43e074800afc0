"""The console's point exchange (ポイント交換): the catalogue with each item's cost, stock and
state, the add form (refusals inline), retiring an item; the orders to ship, each shipped or
cancelled (the points go back) from here. The same use cases as the admin API
(node/points/exchange_actions.py)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.errors import ExchangeOrderClosed, InvalidAmount, InvalidPoints
from node.points import exchange_actions
from node.points.exchange_model import ItemTerms
from node.runtime import Node
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.amounts import typed_yen
from node.web.guard import read_form, requires
from node.web.model import Role, Session
from node.web.points_pages import local_iso

PAGE = "/admin/points/exchange"
SHOWN_STATUSES = ("ordered", "shipped", "cancelled")


def whole_number(form: dict[str, str], key: str, minimum: int = 1) -> int | None:
    """A whole number typed in ASCII or full-width digits; empty: not given."""
    text = form.get(key, "")[:20]
    if not text.strip():
        return None
    try:
        return typed_yen(text, minimum=minimum)
    except InvalidAmount:  # the points' own error, naming the field
        raise InvalidPoints(field=key) from None


@requires(Role.ADMIN)
async def overview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    status = request.query.get("status", "ordered")
    if status not in SHOWN_STATUSES:
        status = "ordered"
    context: dict[str, Any] = {
        "items": (await exchange_actions.list_items(node))["items"],
        "orders": (await exchange_actions.list_orders(node, status))["orders"],
        "status": status,
        "statuses": SHOWN_STATUSES,
        "at": local_iso(node.config.zone),
    }
    return admin_page(request, node, session, "admin_points_exchange.html", context, section=PAGE)


@requires(Role.ADMIN)
@shown_inline("add-item", overview)
async def add_item(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    form = await read_form(request)
    points = whole_number(form, "points")
    if points is None:
        raise InvalidPoints(field="points")
    terms = ItemTerms(
        name=form.get("name", "")[:200],
        points=points,
        stock=whole_number(form, "stock", minimum=0),
        description=form.get("description", "")[:1000],
    )
    await exchange_actions.add_item(node, terms, f"admin:{session.account.login}")
    return after_action(PAGE, "done_px_added")


@requires(Role.ADMIN)
async def retire_item(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    await read_form(request)
    await exchange_actions.retire_item(node, request.match_info["item_id"])
    return after_action(PAGE, "done_px_retired")


@requires(Role.ADMIN)
@shown_inline("order-{order_id}", overview)
async def ship(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    await read_form(request)
    actor = f"admin:{session.account.login}"
    await exchange_actions.ship(node, request.match_info["order_id"], actor)
    return after_action(PAGE, "done_px_shipped")


@requires(Role.ADMIN)
async def confirm_cancel(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Cancelling gives the points back and cannot be undone: said once more before it."""
    order = await exchange_actions.show_order(node, request.match_info["order_id"])
    if order["status"] != "ordered":
        raise ExchangeOrderClosed(order_id=order["order_id"], status=order["status"])
    context = {
        "title": "px_cancel_title",
        "warning": "px_cancel_hint",
        "facts": [
            ("px_item", order["item_name"]),
            ("px_member", order["member_no"]),
            ("px_points", f"{order['points']:,}pt"),
        ],
        "action": f"{PAGE}/orders/{order['order_id']}/cancel",
        "back": PAGE,
    }
    return admin_page(request, node, session, "admin_points_confirm.html", context, section=PAGE)


@requires(Role.ADMIN)
@shown_inline("order-{order_id}", overview)
async def cancel(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    await read_form(request)
    actor = f"admin:{session.account.login}"
    await exchange_actions.cancel(node, request.match_info["order_id"], actor)
    return after_action(PAGE, "done_px_cancelled")


def routes() -> list[web.RouteDef]:
    return [
        web.get(PAGE, overview),
        web.post(PAGE + "/items", add_item),
        web.post(PAGE + "/items/{item_id}/retire", retire_item),
        web.post(PAGE + "/orders/{order_id}/ship", ship),
        web.get(PAGE + "/orders/{order_id}/cancel", confirm_cancel),
        web.post(PAGE + "/orders/{order_id}/cancel", cancel),
    ]
