"""What head office types on the points pages, read strictly: whole numbers in ASCII or full-width
digits, a signed number of points, and a moment typed as a date and time in the node's zone.

Each refusal names its field (InvalidPoints with `field`), so the console shows it next to what
was typed; the ranges themselves are the actions' (node/points/program_actions.py, core.py)."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

from node.errors import InvalidAmount, InvalidPoints
from node.web.amounts import typed_yen

MAX_FIELD_CHARS = 40
_MINUS_SIGNS = ("-", "\u2212")  # ASCII hyphen-minus (full-width becomes it), minus sign


def whole(form: dict[str, str], name: str) -> int | None:
    """A whole number, 0 or more, typed in ASCII or full-width digits; empty: not given."""
    text = form.get(name, "")[:MAX_FIELD_CHARS]
    if not text.strip():
        return None
    try:
        return typed_yen(text, minimum=0)
    except InvalidAmount:
        raise InvalidPoints(f"`{name}` must be a whole number.", field=name) from None


def required_whole(form: dict[str, str], name: str) -> int:
    found = whole(form, name)
    if found is None:
        raise InvalidPoints(f"`{name}` is required.", field=name)
    return found


def signed_points(form: dict[str, str], name: str = "points") -> int:
    """An adjustment such as +50, -20 (full-width too) or 50 (a credit); the range is core's."""
    text = unicodedata.normalize("NFKC", form.get(name, "")[:MAX_FIELD_CHARS]).strip()
    sign = 1
    if text[:1] in _MINUS_SIGNS:
        sign, text = -1, text[1:]
    elif text[:1] == "+":
        text = text[1:]
    if not text.strip():
        raise InvalidPoints(f"`{name}` must be a whole number of points.", field=name)
    try:
        return sign * typed_yen(text, minimum=0)
    except InvalidAmount:
        raise InvalidPoints(f"`{name}` must be a whole number of points.", field=name) from None


def local_moment(form: dict[str, str], name: str, zone: ZoneInfo) -> str | None:
    """A date and time typed in the node's zone (an `<input type=datetime-local>`: 2027-02-01T09:00)
    as an ISO moment with its offset; empty: None (the actions read it as now)."""
    text = form.get(name, "")[:MAX_FIELD_CHARS].strip()
    if not text:
        return None
    try:
        typed = datetime.fromisoformat(text)
    except ValueError:
        typed = None
    if typed is None or typed.tzinfo is not None:
        raise InvalidPoints(f"`{name}` must be a date and a time.", field=name)
    return typed.replace(tzinfo=zone).isoformat()


def typed_local(moment: str | None, zone: ZoneInfo) -> str:
    """An ISO moment back as the datetime-local input's value, in the node's zone."""
    if not moment:
        return ""
    return datetime.fromisoformat(moment).astimezone(zone).strftime("%Y-%m-%dT%H:%M")
