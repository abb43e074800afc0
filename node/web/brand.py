"""The voucher's brand ([brand] in config.toml) on customer pages: its name, and its logo and
colours served from fixed URLs that pages link with a version, so browsers may cache them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from aiohttp import web

from node.config import BrandConfig, Config
from node.runtime import NODE

CACHE = "public, max-age=86400"
# The logo is an image, never a document: an SVG opened on its own runs nothing and loads nothing.
LOGO_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@dataclass(frozen=True)
class PageBrand:
    """What the customer's pages, emails and receipts show of the brand."""

    name: str  # the display name (さくらPay), or the company's name when none is set
    company: str  # node.name
    logo_url: str = ""  # "" when no logo is set
    colours_url: str = ""  # "" when no colour is set: the pages' usual look

    @property
    def is_own_name(self) -> bool:
        """True when the display name is not simply the company's name."""
        return self.name != self.company

    @property
    def label(self) -> str:
        """The name as a sentence says it: さくらPay (居酒屋 さくら), or the company alone."""
        return f"{self.name} ({self.company})" if self.is_own_name else self.company


BRAND = web.AppKey("kippu_brand", PageBrand)


def _version(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def colours_css(brand: BrandConfig) -> str:
    """The stylesheet that paints the customer pages' header and main buttons in the brand."""
    c, ink = brand.colour, brand.text_colour
    return (
        f":root {{ --brand: {c}; --brand-ink: {ink}; }}\n"
        ".wallet .bar { background: var(--brand); color: var(--brand-ink); }\n"
        ".wallet .bar a, .wallet .bar .link, .wallet .bar .who { color: var(--brand-ink); }\n"
        ".wallet main button.wide, .wallet main .button.wide:not(.secondary),"
        " .wallet main .button.primary { background: var(--brand); color: var(--brand-ink); }\n"
    )


def page_brand(config: Config) -> PageBrand:
    brand = config.brand
    logo = f"/brand/logo?v={_version(brand.logo)}" if brand.logo else ""
    css = f"/brand/colours.css?v={_version(colours_css(brand).encode())}" if brand.colour else ""
    return PageBrand(brand.display_name(config.node.name), config.node.name, logo, css)


def _cached(request: web.Request, body: bytes, content_type: str) -> web.Response:
    etag = f'"{_version(body)}"'
    headers = {"Cache-Control": CACHE, "ETag": etag, "X-Content-Type-Options": "nosniff"}
    if etag in request.headers.get("If-None-Match", ""):
        return web.Response(status=304, headers=headers)
    return web.Response(body=body, content_type=content_type, headers=headers)


def install(app: web.Application) -> None:
    """The brand's two routes (404 when not configured), and the brand for every page."""
    node = app.get(NODE)
    if node is not None:
        app[BRAND] = page_brand(node.config)
    app.router.add_get("/brand/logo", logo)
    app.router.add_get("/brand/colours.css", colours)


async def logo(request: web.Request) -> web.StreamResponse:
    brand = request.app[NODE].config.brand
    if not brand.logo:
        raise web.HTTPNotFound()
    response = _cached(request, brand.logo, brand.logo_type)
    response.headers["Content-Security-Policy"] = LOGO_POLICY
    return response


async def colours(request: web.Request) -> web.StreamResponse:
    brand = request.app[NODE].config.brand
    if not brand.colour:
        raise web.HTTPNotFound()
    return _cached(request, colours_css(brand).encode(), "text/css")
