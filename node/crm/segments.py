"""Segments: saved filters over customers, and the one reading of a filter a person typed.

A segment's filters are a JSON object; every filter given must hold (AND), and a segment with no
filter at all holds every customer (the built-in `all`). The filters, each about the customer
as of the moment the segment is counted:

| filter | holds when |
|---|---|
| `has_active_voucher` | true: they hold a usable voucher with a balance; false: they hold none |
| `balance_min`, `balance_max` | the balance of their active vouchers is within (yen, inclusive) |
| `rank` | their member rank now has this name |
| `rfm_class` | their RFM class (rfm.py) as of today is this |
| `last_visit_before`, `last_visit_after` | their last payment or visit was before / on or after the day |
| `stores_visited` | they paid or redeemed at one of these stores (ids) |
| `spend_min`, `spend_max` | their spend is within (yen): between `spend_from` and `spend_to` |
| | (local days, inclusive), by default in the 365 days up to today |
| `birthday_month` | their birthday falls in this month (1-12) |
| `points_expiring_within_days` | some of their points expire within so many days |
| `marketing_consent` | true: they consented to marketing mail and have not withdrawn; false: they have not |
| `tag` | head office gave them this tag |
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from node.crm.rfm_classes import RfmClass
from node.errors import InvalidSegment
from node.text import is_printable

BUILT_IN = "all"
NAME_MAX = 60
TAG_MAX = 40
YEN_MAX = 10**12
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Filters:
    has_active_voucher: bool | None = None
    balance_min: int | None = None
    balance_max: int | None = None
    rank: str | None = None
    rfm_class: RfmClass | None = None
    last_visit_before: date | None = None
    last_visit_after: date | None = None
    stores_visited: tuple[str, ...] = ()
    spend_min: int | None = None
    spend_max: int | None = None
    spend_from: date | None = None
    spend_to: date | None = None
    birthday_month: int | None = None
    points_expiring_within_days: int | None = None
    marketing_consent: bool | None = None
    tag: str | None = None

    @property
    def names_spend(self) -> bool:
        return self.spend_min is not None or self.spend_max is not None


FILTER_NAMES = tuple(f.name for f in fields(Filters))


@dataclass(frozen=True)
class Segment:
    segment_id: str
    name: str
    filters: Filters


def _bool(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidSegment(f"`{field}` must be true or false.", field=field)
    return value


def _whole(value: object, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidSegment(f"`{field}` must be a whole number from {low} to {high}.", field=field)
    return value


def _day(value: object, field: str) -> date:
    if not isinstance(value, str) or not DAY.fullmatch(value):
        raise InvalidSegment(f"`{field}` must be a day written YYYY-MM-DD.", field=field)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidSegment(f"`{field}` must be a real calendar day.", field=field) from None


def _text(value: object, field: str, longest: int) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > longest:
        raise InvalidSegment(f"`{field}` must be text of 1 to {longest} characters.", field=field)
    if not is_printable(value):
        raise InvalidSegment(f"`{field}` must be printable text.", field=field)
    return value.strip()


def _stores(value: object, field: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or len(value) > 100:
        raise InvalidSegment(f"`{field}` must be a list of 1 to 100 store ids.", field=field)
    return tuple(sorted({_text(item, field, 64) for item in value}))


def _rfm_class(value: object, field: str) -> RfmClass:
    try:
        return RfmClass(str(value))
    except ValueError:
        names = ", ".join(c.value for c in RfmClass)
        raise InvalidSegment(f"`{field}` must be one of {names}.", field=field) from None


READERS: dict[str, Any] = {
    "has_active_voucher": _bool,
    "marketing_consent": _bool,
    "balance_min": lambda v, f: _whole(v, f, 0, YEN_MAX),
    "balance_max": lambda v, f: _whole(v, f, 0, YEN_MAX),
    "spend_min": lambda v, f: _whole(v, f, 0, YEN_MAX),
    "spend_max": lambda v, f: _whole(v, f, 0, YEN_MAX),
    "birthday_month": lambda v, f: _whole(v, f, 1, 12),
    "points_expiring_within_days": lambda v, f: _whole(v, f, 1, 3660),
    "rank": lambda v, f: _text(v, f, 40),
    "tag": lambda v, f: _text(v, f, TAG_MAX),
    "rfm_class": _rfm_class,
    "last_visit_before": _day,
    "last_visit_after": _day,
    "spend_from": _day,
    "spend_to": _day,
    "stores_visited": _stores,
}


def read_filters(raw: object) -> Filters:
    """The filters a person or a program sent, checked: an unknown name, a wrong type or a range
    in the wrong order is InvalidSegment naming the field."""
    if not isinstance(raw, dict):
        raise InvalidSegment("The filters must be a JSON object.", field="filters")
    unknown = sorted(set(raw) - set(FILTER_NAMES))
    if unknown:
        raise InvalidSegment(f"Unknown filter `{unknown[0]}`.", field=unknown[0])
    values = {name: READERS[name](value, name) for name, value in raw.items() if value is not None}
    filters = Filters(**values)
    _require_order(filters.balance_min, filters.balance_max, "balance_max")
    _require_order(filters.spend_min, filters.spend_max, "spend_max")
    _require_order(filters.spend_from, filters.spend_to, "spend_to")
    _require_order(filters.last_visit_after, filters.last_visit_before, "last_visit_before")
    if (filters.spend_from or filters.spend_to) and not filters.names_spend:
        raise InvalidSegment(
            "`spend_from` and `spend_to` need `spend_min` or `spend_max`.", field="spend_min"
        )
    return filters


def _require_order(low: Any, high: Any, field: str) -> None:
    if low is not None and high is not None and low > high:
        raise InvalidSegment(f"`{field}` must not be before its lower bound.", field=field)


def read_name(raw: object) -> str:
    name = _text(raw, "name", NAME_MAX)
    if name == BUILT_IN:
        raise InvalidSegment(
            f"`{BUILT_IN}` is the built-in segment of every customer.", field="name"
        )
    return name


def filters_json(filters: Filters) -> dict[str, Any]:
    """The filters given, as JSON (what was not given is left out)."""
    shown: dict[str, Any] = {}
    for name, value in asdict(filters).items():
        if value is None or value == ():
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        shown[name] = value
    return shown


def dump_filters(filters: Filters) -> str:
    return json.dumps(filters_json(filters), ensure_ascii=False, sort_keys=True)


def load_filters(text: str) -> Filters:
    """Filters as stored (written by dump_filters, so read with the same rules)."""
    return read_filters(json.loads(text))
