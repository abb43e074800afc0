"""Rules of the exchange catalogue, pure: a new item's terms, the shipping address a member types,
and the order's allowed moves. No I/O; ids and `now` come in."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from node.errors import ExchangeOrderClosed, InvalidPoints
from node.points.core import require_whole
from node.points.exchange_model import (
    ALLOWED_ORDER_TRANSITIONS,
    ExchangeItem,
    ItemTerms,
    OrderStatus,
    Shipping,
)
from node.points.model import MAX_POINTS
from node.text import is_printable

NAME_MAX = 80
DESCRIPTION_MAX = 400
MAX_STOCK = 1_000_000
SHIP_NAME_MAX = 60
SHIP_ADDRESS_MAX = 200
POSTCODE = re.compile(r"[0-9]{3}-?[0-9]{4}")


def _text(value: object, field: str, max_chars: int, *, required: bool = True) -> str:
    if not isinstance(value, str) or not is_printable(value) or len(value) > max_chars:
        raise InvalidPoints(
            f"`{field}` must be printable text of at most {max_chars}.", field=field
        )
    trimmed = value.strip()
    if required and not trimmed:
        raise InvalidPoints(f"`{field}` is required.", field=field)
    return trimmed


def new_item(terms: ItemTerms, item_id: str, now: datetime, actor: str) -> ExchangeItem:
    """An item for the catalogue, or InvalidPoints naming the field at fault."""
    return ExchangeItem(
        item_id=item_id,
        name=_text(terms.name, "name", NAME_MAX),
        points=require_whole(terms.points, "points", 1, MAX_POINTS),
        stock=None if terms.stock is None else require_whole(terms.stock, "stock", 0, MAX_STOCK),
        description=_text(terms.description, "description", DESCRIPTION_MAX, required=False),
        created_at=now,
        created_by=actor,
        retired_at=None,
    )


def shipping(name: object, postcode: object, address: object) -> Shipping:
    """The address as typed, checked: a name, a postcode of 7 digits (full-width digits and a
    missing hyphen accepted, kept as 123-4567) and the address, all printable."""
    typed = _text(postcode, "ship_postcode", 10)
    digits = unicodedata.normalize("NFKC", typed).replace("ー", "-").replace("−", "-")  # noqa: RUF001
    if not POSTCODE.fullmatch(digits):
        raise InvalidPoints(
            "`ship_postcode` must be 7 digits, e.g. 150-0001.", field="ship_postcode"
        )
    bare = digits.replace("-", "")
    return Shipping(
        name=_text(name, "ship_name", SHIP_NAME_MAX),
        postcode=f"{bare[:3]}-{bare[3:]}",
        address=_text(address, "ship_address", SHIP_ADDRESS_MAX),
    )


def require_move(status: OrderStatus, to: OrderStatus, order_id: str) -> None:
    """ExchangeOrderClosed unless the lifecycle allows `status` → `to`."""
    if to not in ALLOWED_ORDER_TRANSITIONS[status]:
        raise ExchangeOrderClosed(order_id=order_id, status=str(status))
