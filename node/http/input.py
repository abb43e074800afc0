"""Strict reading of JSON request bodies and query strings: known fields, exact types, clear errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from aiohttp import StreamReader, web
from multidict import MultiMapping

from node.errors import InvalidAmount, InvalidJson, InvalidText, ValidationError
from node.text import has_surrogate, require_printable

MAX_BODY_BYTES = 16 * 1024
MAX_TEXT_CHARS = 200
# Above any voucher this node could issue and far below 2**53, so JSON parsers agree on it.
MAX_AMOUNT_YEN = 10_000_000_000


async def read_capped(stream: StreamReader, limit: int) -> bytes | None:
    """The whole body however it was split on the wire; None once it passes `limit` bytes."""
    chunks, size = [], 0
    async for chunk in stream.iter_chunked(16 * 1024):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def read_body(
    request: web.Request, allowed: set[str], limit: int = MAX_BODY_BYTES
) -> dict[str, Any]:
    """One JSON object with no fields outside `allowed`, of at most `limit` bytes (a campaign
    mail's body is allowed more); an empty body reads as {}.

    Every string in it, field names included, is text (no lone surrogate), and numbers are read
    exactly, never as floats (see `_exact_number`)."""
    if request.content_length is not None and request.content_length > limit:
        raise InvalidJson("The request body is too large.")
    raw = await read_capped(request.content, limit)
    if raw is None:
        raise InvalidJson("The request body is too large.")
    return parse_body(raw, allowed, limit)


def parse_body(raw: bytes, allowed: set[str], limit: int = MAX_BODY_BYTES) -> dict[str, Any]:
    """`read_body`'s reading of a body already in hand (the rush relay's, node/relay/)."""
    if len(raw) > limit:
        raise InvalidJson("The request body is too large.")
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw, parse_constant=_refuse_constant, parse_float=_exact_number)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # Recursion: deep nesting
        raise InvalidJson() from exc
    if not isinstance(body, dict):
        raise InvalidJson()
    _refuse_surrogates(body)
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ValidationError(f"Unknown field(s): {', '.join(unknown)}.", fields=unknown)
    return body


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed")


# Whole numbers beyond this many digits stay Decimal (no field takes them): int() of "1e999999999"
# would build a billion-digit number.
_MAX_WHOLE_DIGITS = 20


def _exact_number(literal: str) -> int | Decimal:
    """A JSON number written with a fraction or an exponent, read exactly, never as a float.

    JSON and JSON Schema count numbers by value, not by spelling: 326.0 and 3.26e2 are the integer
    326 (JSON Schema 2020-12 says so, and the OpenAPI document cannot say otherwise), so they are
    read as 326. 326.5 stays a Decimal, which every field refuses: no float ever reaches the node."""
    number = Decimal(literal)
    if number.adjusted() < _MAX_WHOLE_DIGITS and number == number.to_integral_value():
        return int(number)
    return number


def _refuse_surrogates(body: dict[str, Any]) -> None:
    """JSON may spell half a UTF-16 pair ("\\ud800"); that is not text, and SQLite cannot store it."""
    for key, value in body.items():
        pending: list[Any] = [key, value]
        while pending:
            item = pending.pop()
            if isinstance(item, str):
                if has_surrogate(item):
                    raise InvalidText(**({} if has_surrogate(key) else {"field": key}))
            elif isinstance(item, dict):
                pending.extend(item.keys())
                pending.extend(item.values())
            elif isinstance(item, list):
                pending.extend(item)


def text(
    body: dict[str, Any], key: str, *, required: bool = True, max_chars: int = MAX_TEXT_CHARS
) -> str | None:
    value = body.get(key)
    if value is None:
        if required:
            raise ValidationError(f"`{key}` is required.", field=key)
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"`{key}` must be a non-empty string.", field=key)
    if len(value) > max_chars:
        raise ValidationError(
            f"`{key}` must be at most {max_chars} characters.", field=key, max_chars=max_chars
        )
    return require_printable(value, key).strip()


def required_text(body: dict[str, Any], key: str, max_chars: int = MAX_TEXT_CHARS) -> str:
    value = text(body, key, max_chars=max_chars)
    if value is None:  # unreachable: text() raises for a missing required field
        raise ValidationError(f"`{key}` is required.", field=key)
    return value


def amount(
    body: dict[str, Any], key: str, *, required: bool = True, minimum: int = 1
) -> int | None:
    """A whole number of yen: JSON integers only (no 1.0, no "100", no true)."""
    value = body.get(key)
    if value is None:
        if required:
            raise InvalidAmount(f"`{key}` is required: a whole number of yen.", field=key)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidAmount(f"`{key}` must be a whole number of yen.", field=key)
    if not minimum <= value <= MAX_AMOUNT_YEN:
        raise InvalidAmount(
            f"`{key}` must be between {minimum} and {MAX_AMOUNT_YEN}.",
            field=key,
            maximum=MAX_AMOUNT_YEN,
        )
    return value


def required_amount(body: dict[str, Any], key: str) -> int:
    value = amount(body, key)
    if value is None:  # unreachable: amount() raises for a missing required field
        raise InvalidAmount(f"`{key}` is required.", field=key)
    return value


_QUERY_NAMES: dict[object, frozenset[str]] = {}
HandlerT = TypeVar("HandlerT", bound=Callable[..., Any])


def accepts_query(*names: str) -> Callable[[HandlerT], HandlerT]:
    """Mark an admin API handler as taking these query parameters (as its OpenAPI entry lists);
    node/app.py refuses any other on every /api/v1/ route, so a route takes none unless marked."""

    def mark(handler: HandlerT) -> HandlerT:
        _QUERY_NAMES[handler] = frozenset(names)
        return handler

    return mark


def refuse_unlisted_query(request: web.Request) -> None:
    """Refuse a query parameter the route's handler does not take, or one given twice."""
    only_query(request, *_QUERY_NAMES.get(request.match_info.handler, frozenset()))


def only_query(request: web.Request, *names: str) -> None:
    """Refuse a query parameter the OpenAPI document does not list, or one given twice."""
    only_query_in(request.query, *names)


def only_query_in(query: MultiMapping[str], *names: str) -> None:
    """`only_query` of a query string already parsed (the rush relay's, node/relay/)."""
    unknown = sorted(set(query) - set(names))
    if unknown:
        raise ValidationError(f"Unknown query parameter(s): {', '.join(unknown)}.", fields=unknown)
    repeated = sorted(k for k in set(query) if len(query.getall(k)) > 1)
    if repeated:
        raise ValidationError(f"Query parameter(s) given twice: {', '.join(repeated)}.")


def query_text(request: web.Request, key: str) -> str | None:
    value = request.query.get(key)
    if value is None:
        return None
    if not value or len(value) > MAX_TEXT_CHARS:
        raise ValidationError(f"Query parameter `{key}` is invalid.", field=key)
    return require_printable(value, key)


def moment(body: dict[str, Any], key: str) -> int:
    """A point in time as ISO 8601 with its offset (2026-11-30T23:59:59+09:00); epoch seconds."""
    value = body.get(key)
    if not isinstance(value, str) or len(value) > 64:
        raise ValidationError(f"`{key}` must be an ISO 8601 time with an offset.", field=key)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValidationError(f"`{key}` is not an ISO 8601 time.", field=key) from exc
    if parsed.tzinfo is None:
        raise ValidationError(f"`{key}` needs an offset, e.g. +09:00 or Z.", field=key)
    return int(parsed.timestamp())
