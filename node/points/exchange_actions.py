"""What head office and members do with the exchange catalogue, shared by the admin API, the
CLI (through the API), the console and the wallet. Each takes `Node`, runs any change in one
writer unit and returns the JSON answer every surface shows."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from node.clock import iso, new_id
from node.errors import ExchangeItemNotFound, ExchangeOrderNotFound, InvalidPoints
from node.points import exchange_operations, exchange_queries, operations, queries, tables
from node.points.core import require_txn
from node.points.exchange_core import new_item, shipping
from node.points.exchange_model import (
    ExchangeItem,
    ExchangeOrder,
    ItemTerms,
    OrderStatus,
    Shipping,
)
from node.points.model import Member
from node.runtime import Node


def item_json(item: ExchangeItem) -> dict[str, Any]:
    return {
        "item_id": item.item_id,
        "name": item.name,
        "points": item.points,
        "stock": item.stock,
        "description": item.description,
        "created_at": iso(item.created_at),
        "retired_at": iso(item.retired_at),
        "on_offer": not item.is_retired and not item.is_sold_out,
    }


def order_json(order: ExchangeOrder) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "item_id": order.item_id,
        "item_name": order.item_name,
        "member_no": order.member_no,
        "points": order.points,
        "status": str(order.status),
        "ship_name": order.shipping.name,
        "ship_postcode": order.shipping.postcode,
        "ship_address": order.shipping.address,
        "created_at": iso(order.created_at),
        "closed_at": iso(order.closed_at),
        "entry_id": order.entry_id,
        "cancel_entry_id": order.cancel_entry_id,
    }


async def add_item(node: Node, terms: ItemTerms, actor: str) -> dict[str, Any]:
    item = new_item(terms, new_id(node.rng, "xi"), node.clock.now(), actor)
    added = await node.require_writer().submit(
        lambda conn: exchange_operations.add_item(conn, item)
    )
    return item_json(added)


async def list_items(node: Node, on_offer_only: bool = False) -> dict[str, Any]:
    found = await exchange_queries.items(node.require_reader())
    shown = [i for i in found if not on_offer_only or not (i.is_retired or i.is_sold_out)]
    return {"items": [item_json(i) for i in shown]}


async def show_item(node: Node, item_id: str) -> dict[str, Any]:
    found = await exchange_queries.item(node.require_reader(), item_id)
    if found is None:
        raise ExchangeItemNotFound(item_id=item_id)
    return item_json(found)


async def retire_item(node: Node, item_id: str) -> dict[str, Any]:
    now = node.clock.now()
    retired = await node.require_writer().submit(
        lambda conn: exchange_operations.retire_item(conn, item_id, now)
    )
    return item_json(retired)


def _with_balance(conn: sqlite3.Connection, order: ExchangeOrder, now: datetime) -> dict[str, Any]:
    return order_json(order) | {"balance": tables.live_balance(conn, order.customer_id, now)}


def _placed(
    conn: sqlite3.Connection,
    node: Node,
    member: Member,
    item_id: str,
    address: Shipping,
    actor: str,
    txn: str | None,
    now: datetime,
) -> dict[str, Any]:
    """The order, once per `txn` when one is given: the same txn with the same order answers the
    first answer (a double tap on the confirm form, a retried EC request) and orders nothing
    more; the same txn for another order is refused (points.txn_conflict)."""

    def run() -> tuple[dict[str, Any], str | None, str | None]:
        made = exchange_operations.order(conn, member, item_id, address, actor, now, node.rng)
        return _with_balance(conn, made, now), made.entry_id, member.customer_id

    if txn is None:
        return run()[0]
    request = {"member_no": member.member_no, "item_id": item_id, **vars(address)}
    return operations.replay_or_run(conn, txn, "exchange_order", request, actor, now, run)


async def order_for_member(
    node: Node,
    member_no: str,
    item_id: str,
    typed: dict[str, object],
    actor: str,
    txn: object = None,
) -> dict[str, Any]:
    """An order placed for a member by number (head office, with the admin token; no integration
    key may): the points taken and one of the stock reserved in one writer unit; the answer
    carries the balance after it."""
    address = shipping(
        typed.get("ship_name"), typed.get("ship_postcode"), typed.get("ship_address")
    )
    txn_id = None if txn is None else require_txn(txn)
    now = node.clock.now()

    def work(conn: sqlite3.Connection) -> dict[str, Any]:
        member = operations.require_member(conn, member_no)
        return _placed(conn, node, member, item_id, address, actor, txn_id, now)

    return await node.require_writer().submit(work)


async def order_for_customer(
    node: Node, customer_id: str, item_id: str, typed: dict[str, object], txn: object = None
) -> dict[str, Any]:
    """The wallet's order: the customer's membership made on first need, in the same unit; the
    confirm form's `txn` makes a second tap answer the first order."""
    address = shipping(
        typed.get("ship_name"), typed.get("ship_postcode"), typed.get("ship_address")
    )
    txn_id = None if txn is None else require_txn(txn)
    now = node.clock.now()

    def work(conn: sqlite3.Connection) -> dict[str, Any]:
        member = operations.ensure_member(conn, customer_id, now, node.rng)
        actor = f"customer:{customer_id}"
        return _placed(conn, node, member, item_id, address, actor, txn_id, now)

    return await node.require_writer().submit(work)


def _status(text: str | None) -> str | None:
    if text is None:
        return None
    if text not in {s.value for s in OrderStatus}:
        raise InvalidPoints("`status` is ordered, shipped or cancelled.", field="status")
    return text


async def list_orders(
    node: Node, status: str | None = None, customer_id: str | None = None
) -> dict[str, Any]:
    db, wanted = node.require_reader(), _status(status)
    if customer_id is None:
        found = await exchange_queries.orders(db, wanted)
    else:
        mine = await exchange_queries.member_orders(db, customer_id)
        found = [o for o in mine if wanted is None or o.status == wanted]
    return {"orders": [order_json(o) for o in found]}


async def show_order(node: Node, order_id: str, customer_id: str | None = None) -> dict[str, Any]:
    """One order; with `customer_id`, only that customer's (another's is simply not there)."""
    found = await exchange_queries.order(node.require_reader(), order_id)
    if found is None or (customer_id is not None and found.customer_id != customer_id):
        raise ExchangeOrderNotFound(order_id=order_id)
    return order_json(found)


async def ship(node: Node, order_id: str, actor: str) -> dict[str, Any]:
    now = node.clock.now()
    shipped = await node.require_writer().submit(
        lambda conn: exchange_operations.ship(conn, order_id, actor, now)
    )
    return order_json(shipped)


async def cancel(node: Node, order_id: str, actor: str) -> dict[str, Any]:
    """Cancel an order not yet shipped: the points back to their lots, the stock back."""
    now = node.clock.now()
    cancelled = await node.require_writer().submit(
        lambda conn: exchange_operations.cancel(conn, order_id, actor, now, node.rng)
    )
    return order_json(cancelled)


async def member_balance(node: Node, customer_id: str) -> int:
    """The customer's live points now (0 before they are a member)."""
    balance = await queries.balance(node.require_reader(), customer_id, node.clock.now())
    return balance.points
