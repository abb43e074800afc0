"""Writer units of the exchange catalogue, each a plain function of the writer's connection run
inside its transaction: an item added or retired; an order that takes the points (one `exchange`
entry, soonest-expiring lots first) and reserves one of the stock together, so it never
oversells; shipping it; cancelling it (an `exchange_cancel` entry gives the points back to the
lots they came from, a lot swept as expired meanwhile giving its share to breakage, and the
stock back)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from node.clock import Randomness, ordered_id
from node.errors import ExchangeItemNotFound, ExchangeOrderNotFound, ExchangeSoldOut
from node.points import exchange_tables, tables
from node.points.core import entry, take_from
from node.points.exchange_core import require_move
from node.points.exchange_model import (
    ExchangeItem,
    ExchangeOrder,
    OrderStatus,
    Shipping,
)
from node.points.give_back import give_back
from node.points.model import (
    EXCHANGE_ACCOUNT,
    EntryKind,
    Member,
    member_account,
)


def add_item(conn: sqlite3.Connection, item: ExchangeItem) -> ExchangeItem:
    exchange_tables.insert_item(conn, item)
    return item


def retire_item(conn: sqlite3.Connection, item_id: str, now: datetime) -> ExchangeItem:
    """No longer offered; orders taken keep going. Retiring twice keeps the first moment."""
    if exchange_tables.load_item(conn, item_id) is None:
        raise ExchangeItemNotFound(item_id=item_id)
    exchange_tables.retire_item(conn, item_id, now)
    found = exchange_tables.load_item(conn, item_id)
    if found is None:
        raise ExchangeItemNotFound(item_id=item_id)
    return found


def order(
    conn: sqlite3.Connection,
    member: Member,
    item_id: str,
    shipping: Shipping,
    actor: str,
    now: datetime,
    rng: Randomness,
) -> ExchangeOrder:
    """The item's points taken from the member (Dr member, Cr points_exchange) and one of its
    stock reserved, in this one transaction: ExchangeSoldOut or InsufficientPoints change
    nothing (the writer rolls the unit back)."""
    item = exchange_tables.load_item(conn, item_id)
    if item is None or item.is_retired:
        raise ExchangeItemNotFound(item_id=item_id)
    if not exchange_tables.take_one(conn, item_id):
        raise ExchangeSoldOut(item_id=item_id)
    moves = take_from(
        tables.lots_to_spend(conn, member.customer_id, now, item.points), item.points, now
    )
    entry_id = ordered_id(now, rng, "pe")
    tables.save_entry(
        conn,
        entry(
            entry_id,
            EntryKind.EXCHANGE,
            member.customer_id,
            now,
            actor,
            f"exchange for {item.item_id}",
            (member_account(member.customer_id), item.points),
            (EXCHANGE_ACCOUNT, -item.points),
        ),
    )
    tables.move_lots(conn, entry_id, moves)
    made = ExchangeOrder(
        order_id=ordered_id(now, rng, "xo"),
        item_id=item.item_id,
        item_name=item.name,
        customer_id=member.customer_id,
        member_no=member.member_no,
        points=item.points,
        entry_id=entry_id,
        shipping=shipping,
        status=OrderStatus.ORDERED,
        created_at=now,
        closed_at=None,
        closed_by=None,
        cancel_entry_id=None,
    )
    exchange_tables.insert_order(conn, made)
    return made


def _open_order(conn: sqlite3.Connection, order_id: str, to: OrderStatus) -> ExchangeOrder:
    found = exchange_tables.load_order(conn, order_id)
    if found is None:
        raise ExchangeOrderNotFound(order_id=order_id)
    require_move(found.status, to, order_id)
    return found


def ship(conn: sqlite3.Connection, order_id: str, actor: str, now: datetime) -> ExchangeOrder:
    _open_order(conn, order_id, OrderStatus.SHIPPED)
    exchange_tables.close_order(conn, order_id, OrderStatus.SHIPPED, actor, now, None)
    return _reloaded(conn, order_id)


def cancel(
    conn: sqlite3.Connection, order_id: str, actor: str, now: datetime, rng: Randomness
) -> ExchangeOrder:
    """The order cancelled: its points back to their lots and its stock back, once."""
    found = _open_order(conn, order_id, OrderStatus.CANCELLED)
    back = give_back(
        conn,
        found.entry_id,
        EntryKind.EXCHANGE_CANCEL,
        EXCHANGE_ACCOUNT,
        found.customer_id,
        actor,
        f"cancel of exchange order {order_id}",
        now,
        rng,
    )
    exchange_tables.give_one_back(conn, found.item_id)
    exchange_tables.close_order(conn, order_id, OrderStatus.CANCELLED, actor, now, back.entry_id)
    return _reloaded(conn, order_id)


def _reloaded(conn: sqlite3.Connection, order_id: str) -> ExchangeOrder:
    found = exchange_tables.load_order(conn, order_id)
    if found is None:
        raise ExchangeOrderNotFound(order_id=order_id)
    return found
