"""The point exchange catalogue (ポイント交換) as frozen values: items and orders, and the order's
lifecycle (ordered → shipped | cancelled, once)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class OrderStatus(StrEnum):
    ORDERED = "ordered"  # the points taken and one of the stock reserved: head office ships
    SHIPPED = "shipped"
    CANCELLED = "cancelled"  # the points given back, the stock too


# The only moves an order makes; shipped and cancelled are final.
ALLOWED_ORDER_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.ORDERED: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED}),
    OrderStatus.SHIPPED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}


@dataclass(frozen=True)
class ItemTerms:
    """What head office states for a new item; checked by exchange_core.new_item."""

    name: str
    points: int
    stock: int | None  # None: no limit
    description: str


@dataclass(frozen=True)
class ExchangeItem:
    item_id: str
    name: str
    points: int  # what one costs
    stock: int | None  # how many are left to order; None: no limit
    description: str
    created_at: datetime
    created_by: str
    retired_at: datetime | None

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def is_sold_out(self) -> bool:
        return self.stock is not None and self.stock <= 0


@dataclass(frozen=True)
class Shipping:
    """Where the member wants the item sent: printable text, checked by exchange_core."""

    name: str
    postcode: str  # 123-4567
    address: str


@dataclass(frozen=True)
class ExchangeOrder:
    order_id: str
    item_id: str
    item_name: str
    customer_id: str
    member_no: str
    points: int
    entry_id: str
    shipping: Shipping
    status: OrderStatus
    created_at: datetime
    closed_at: datetime | None
    closed_by: str | None
    cancel_entry_id: str | None
