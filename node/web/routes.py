"""Every web page's route, the static files, and the vendored JavaScript packages."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from node.web import (
    admin,
    brand,
    campaign_gate_pages,
    campaign_pay,
    campaign_premium,
    campaign_public,
    campaign_receive,
    campaign_store_apply,
    campaign_verify,
    campaign_verify_login,
    campaign_wallet,
    catalog,
    counter_day,
    counter_points,
    counter_resume,
    counter_sales,
    counter_void,
    crm_mail,
    day_close,
    live,
    refund_wallet,
    shop,
    signin,
    staff,
    terms,
    wallet,
    wallet_card,
    wallet_mail,
    wallet_points,
    wallet_profile,
    wallet_receipts,
)
from node.web.api import ACCOUNT_ROUTES
from node.web.api_keys_api import API_KEY_ROUTES
from node.web.guard import html_errors
from node.web.model import Role
from node.web.pages import deny_framing

HERE = Path(__file__).parent
# Installed by `npm ci` (the Makefile), served from here: never from a CDN.
VENDORED = {
    "jsQR.js": HERE / "node_modules" / "jsqr" / "dist" / "jsQR.js",
    "qrcode.js": HERE / "node_modules" / "qrcode-generator" / "dist" / "qrcode.js",
}


async def vendored(request: web.Request) -> web.StreamResponse:
    path = VENDORED.get(request.match_info["name"])
    if path is None or not path.is_file():
        raise web.HTTPNotFound()
    return web.FileResponse(path, headers={"Cache-Control": "public, max-age=86400"})


# Asked for by browsers at the site's root whatever the page says: answered, so no page logs a 404.
ROOT_ICONS = {
    "/favicon.ico": HERE / "static" / "favicon.ico",
    "/apple-touch-icon.png": HERE / "static" / "apple-touch-icon.png",
}


async def root_icon(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(
        ROOT_ICONS[request.path], headers={"Cache-Control": "public, max-age=86400"}
    )


async def root(request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther("/wallet")


def add_web_routes(app: web.Application) -> None:
    app.on_response_prepare.append(deny_framing)
    signin.install_throttles(app)
    staff.install_throttle(app)
    wallet.install_throttle(app)
    brand.install(app)
    catalog.install(app)  # the campaign pages' catalogues, read before the node serves
    live.install(app)
    campaign_store_apply.install_throttle(app)
    pages = [
        web.get("/", root),
        *signin.password_pages(Role.STAFF),
        *signin.password_pages(Role.ADMIN),
        web.post("/logout", signin.sign_out),
        web.get("/lang/{lang}", signin.switch_language),
        *staff.routes(),
        *counter_day.routes(),
        *counter_sales.routes(),
        *day_close.routes(),
        *counter_void.routes(),
        *counter_resume.routes(),
        *counter_points.routes(),
        *wallet.routes(),
        *wallet_receipts.routes(),
        *wallet_card.routes(),
        *wallet_mail.routes(),
        *wallet_profile.routes(),
        *shop.routes(),
        *wallet_points.routes(),
        *terms.routes(),
        *refund_wallet.routes(),
        *admin.routes(),
        *campaign_public.routes(),
        *crm_mail.routes(),
        *campaign_store_apply.routes(),
        *campaign_pay.routes(),
        *campaign_wallet.routes(),
        *campaign_verify.routes(),
        *campaign_verify_login.routes(),
        *campaign_gate_pages.routes(),
        *campaign_receive.routes(),
        *campaign_premium.routes(),
    ]
    app.router.add_routes(
        # The QR's code.json is fetched by script: it keeps the JSON error shape.
        r
        if r.path.endswith(".json")
        else web.RouteDef(r.method, r.path, html_errors(r.handler), r.kwargs)
        for r in pages
        if isinstance(r, web.RouteDef)
    )
    app.router.add_get("/static/vendor/{name}", vendored)
    for icon in ROOT_ICONS:
        app.router.add_get(icon, root_icon)
    app.router.add_static("/static/", HERE / "static")
    for method, path, handler in ACCOUNT_ROUTES + API_KEY_ROUTES:
        app.router.add_route(method, path, handler)
