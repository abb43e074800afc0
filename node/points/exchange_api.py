"""Admin API of the exchange catalogue (what `kippu points item|order ...` calls) and its OpenAPI
parts: items (list, add, retire) and orders (list, place for a member by number, ship, cancel).
The console and the wallet call the same use cases (exchange_actions)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.http import input as body_input
from node.http.schema_parts import (
    ID,
    MAYBE_TIME,
    TIME,
    Schema,
    list_of,
    nullable,
    obj,
    op,
    ref,
    text,
    whole,
)
from node.points import exchange_actions
from node.points.core import require_caller_txn
from node.points.exchange_core import (
    DESCRIPTION_MAX,
    MAX_STOCK,
    NAME_MAX,
    SHIP_ADDRESS_MAX,
    SHIP_NAME_MAX,
)
from node.points.exchange_model import ItemTerms, OrderStatus
from node.points.model import MAX_POINTS
from node.runtime import NODE, Handler

ADMIN_ACTOR = "admin"
# A caller's transaction id (node/points/core.py require_txn): the same id and order answers the
# first answer; the same id for another order is refused.
TXN: Schema = {
    "type": "string",
    "pattern": "^[A-Za-z0-9._:/-]{1,64}$",
    "description": "never starting with return:, redeem:, wallet: or staff: (the node's own ids)",
}
ITEM_FIELDS = {"name", "points", "stock", "description"}
ORDER_FIELDS = {"member_no", "item_id", "ship_name", "ship_postcode", "ship_address", "txn"}


async def list_items(request: web.Request) -> web.Response:
    return web.json_response(await exchange_actions.list_items(request.app[NODE]))


async def add_item(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, ITEM_FIELDS)
    terms = ItemTerms(
        name=body.get("name", ""),  # checked by exchange_core.new_item
        points=body.get("points", 0),
        stock=body.get("stock"),
        description=body_input.text(body, "description", required=False, max_chars=DESCRIPTION_MAX)
        or "",
    )
    added = await exchange_actions.add_item(request.app[NODE], terms, ADMIN_ACTOR)
    return web.json_response(added, status=201)


async def retire_item(request: web.Request) -> web.Response:
    await body_input.read_body(request, set())
    node = request.app[NODE]
    return web.json_response(
        await exchange_actions.retire_item(node, request.match_info["item_id"])
    )


@body_input.accepts_query("status")
async def list_orders(request: web.Request) -> web.Response:
    status = body_input.query_text(request, "status")
    return web.json_response(await exchange_actions.list_orders(request.app[NODE], status))


def caller_txn(body: dict[str, Any]) -> str | None:
    """The optional `txn` of an admin-token request: outside the node's own ids when given."""
    txn = body.get("txn")
    return None if txn is None else require_caller_txn(txn)


async def place_order(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, ORDER_FIELDS)
    member_no = body_input.required_text(body, "member_no", 20)
    item_id = body_input.required_text(body, "item_id", 40)
    made = await exchange_actions.order_for_member(
        request.app[NODE], member_no, item_id, body, ADMIN_ACTOR, caller_txn(body)
    )
    return web.json_response(made, status=201)


async def ship_order(request: web.Request) -> web.Response:
    await body_input.read_body(request, set())
    node = request.app[NODE]
    return web.json_response(
        await exchange_actions.ship(node, request.match_info["order_id"], ADMIN_ACTOR)
    )


async def cancel_order(request: web.Request) -> web.Response:
    await body_input.read_body(request, set())
    node = request.app[NODE]
    return web.json_response(
        await exchange_actions.cancel(node, request.match_info["order_id"], ADMIN_ACTOR)
    )


BASE = "/api/v1/points/exchange"
EXCHANGE_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", f"{BASE}/items", list_items),
    ("POST", f"{BASE}/items", add_item),
    ("POST", f"{BASE}/items/{{item_id}}/retire", retire_item),
    ("GET", f"{BASE}/orders", list_orders),
    ("POST", f"{BASE}/orders", place_order),
    ("POST", f"{BASE}/orders/{{order_id}}/ship", ship_order),
    ("POST", f"{BASE}/orders/{{order_id}}/cancel", cancel_order),
)


def exchange_paths() -> dict[str, dict[str, Any]]:
    status = {"type": "string", "enum": [s.value for s in OrderStatus]}
    return {
        f"{BASE}/items": {
            "get": op("The exchange catalogue, newest first", list_of("items", "ExchangeItem")),
            "post": op(
                "Add an item: its name, point cost, stock (none: no limit), description",
                ref("ExchangeItem"),
                201,
                body="NewExchangeItem",
                errors=(422,),
            ),
        },
        f"{BASE}/items/{{item_id}}/retire": {
            "post": op(
                "Retire an item: no longer offered; orders taken keep going",
                ref("ExchangeItem"),
                params=("item_id",),
                body="Nothing",
            )
        },
        f"{BASE}/orders": {
            "get": op(
                "Exchange orders, newest first (200 at most), of one status when given",
                list_of("orders", "ExchangeOrder"),
                query={"status": status},
                errors=(422,),
            ),
            "post": op(
                "Exchange points for an item for a member: the points taken (soonest expiry"
                " first) and one of the stock reserved together",
                ref("PlacedExchangeOrder"),
                201,
                body="NewExchangeOrder",
                errors=(404, 409, 422),
            ),
        },
        **{
            f"{BASE}/orders/{{order_id}}/{action}": {
                "post": op(
                    summary,
                    ref("ExchangeOrder"),
                    params=("order_id",),
                    body="Nothing",
                    errors=(409,),
                )
            }
            for action, summary in (
                ("ship", "Mark an order shipped (once)"),
                (
                    "cancel",
                    "Cancel an order not shipped: its points back to their lots, stock back",
                ),
            )
        },
    }


def exchange_schemas() -> dict[str, Schema]:
    points = whole(1, MAX_POINTS)
    order_fields: dict[str, Schema] = {
        "order_id": ID,
        "item_id": ID,
        "item_name": {"type": "string"},
        "member_no": {"type": "string"},
        "points": points,
        "status": {"type": "string", "enum": [s.value for s in OrderStatus]},
        "ship_name": {"type": "string"},
        "ship_postcode": {"type": "string"},
        "ship_address": {"type": "string"},
        "created_at": TIME,
        "closed_at": MAYBE_TIME,
        "entry_id": ID,
        "cancel_entry_id": {"type": ["string", "null"]},
    }
    return {
        "NewExchangeItem": obj(
            ["name", "points"],
            name=text(NAME_MAX),
            points=points,
            stock=nullable(whole(0, MAX_STOCK)),
            description=nullable(text(DESCRIPTION_MAX)),
        ),
        "ExchangeItem": obj(
            [
                "item_id",
                "name",
                "points",
                "stock",
                "description",
                "created_at",
                "retired_at",
                "on_offer",
            ],
            item_id=ID,
            name={"type": "string"},
            points=points,
            stock={"type": ["integer", "null"], "description": "null: no limit"},
            description={"type": "string"},
            created_at=TIME,
            retired_at=MAYBE_TIME,
            on_offer={"type": "boolean"},
        ),
        "NewExchangeOrder": obj(
            ["member_no", "item_id", "ship_name", "ship_postcode", "ship_address"],
            member_no=text(20),
            item_id=text(40),
            ship_name=text(SHIP_NAME_MAX),
            ship_postcode=text(10, "7 digits, e.g. 150-0001"),
            ship_address=text(SHIP_ADDRESS_MAX),
            txn=nullable(TXN),
        ),
        "ExchangeOrder": obj(list(order_fields), **order_fields),
        "PlacedExchangeOrder": obj(
            [*order_fields, "balance"],
            **order_fields,
            balance={"type": "integer", "minimum": 0},
            replayed={"type": "boolean", "description": "with `txn`: the first answer again"},
        ),
    }
