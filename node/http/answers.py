"""Answers in the one JSON error shape that are aiohttp's refusals, not a route's: the node's
(node/app.py) and the rush relay's (node/relay/front.py) alike."""

from __future__ import annotations

from collections.abc import Iterable

from aiohttp import web

from node.errors import KippuError, ValidationError


def error_response(error: KippuError) -> web.Response:
    """`error` in the one JSON error shape, with its status."""
    return web.json_response(error.to_json(), status=error.http_status)


def not_allowed(method: str, allowed: Iterable[str]) -> web.Response:
    """405, with its Allow header."""
    methods = sorted(allowed)
    error = ValidationError(f"{method} is not allowed here.", allowed=methods)
    return web.json_response(error.to_json(), status=405, headers={"Allow": ", ".join(methods)})
