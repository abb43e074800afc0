"""Rendering pages: one Jinja2 environment (autoescaped), the language, and the common context."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from aiohttp import web

from node.ledger.rows import from_epoch
from node.web.brand import BRAND, PageBrand
from node.web.i18n import choose_language, error_explainer, translator

LANG_COOKIE = "kippu_lang"
SECURITY_HEADERS = {
    # Everything the pages use is served by the node itself: no CDN, no inline script.
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:;"
        " style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Frame-Options": "DENY",  # for browsers that ignore CSP frame-ancestors
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


async def deny_framing(request: web.Request, response: web.StreamResponse) -> None:
    """Every response (pages, redirects, static files, errors) refuses to be framed: clickjacking."""
    response.headers.setdefault("X-Frame-Options", "DENY")
    policy = response.headers.get("Content-Security-Policy")
    if policy is not None and "frame-ancestors" not in policy:
        response.headers["Content-Security-Policy"] = f"{policy}; frame-ancestors 'none'"


def yen(amount: int | None) -> str:
    return "—" if amount is None else f"¥{amount:,}"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("node.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["yen"] = yen
    env.filters["as_time"] = from_epoch  # epoch seconds (settlement rows) to a datetime
    return env


def language(request: web.Request) -> str:
    return choose_language(
        request.cookies.get(LANG_COOKIE), request.headers.get("Accept-Language", "")
    )


def local_time(zone: ZoneInfo) -> Any:
    def show(moment: datetime | None, with_time: bool = True) -> str:
        if moment is None:
            return "—"
        local = moment.astimezone(zone)
        return local.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")

    return show


def last_day(zone: ZoneInfo) -> Any:
    """An expiry instant (the next local midnight) as the last day it is valid: 有効期限 inclusive."""

    def show(moment: datetime) -> str:
        return (moment - timedelta(seconds=1)).astimezone(zone).date().isoformat()

    return show


def render(
    request: web.Request,
    template: str,
    context: dict[str, Any],
    *,
    zone: ZoneInfo,
    csrf: str,
    status: int = 200,
) -> web.Response:
    lang = language(request)
    page = (
        environment()
        .get_template(template)
        .render(
            t=translator(lang),
            explain=error_explainer(lang),
            lang=lang,
            csrf=csrf,
            when=local_time(zone),
            through=last_day(zone),
            path=request.path_qs,
            shop_brand=request.app.get(BRAND) or PageBrand("Kippu", "Kippu"),
            **context,
        )
    )
    response = web.Response(text=page, content_type="text/html", charset="utf-8", status=status)
    response.headers.update(SECURITY_HEADERS)
    return response
