"""Signing in and out: passwords for admin and staff (throttled), sessions for every role."""

from __future__ import annotations

from aiohttp import web

from node.client_address import request_client_address
from node.errors import BadCredentials, KippuError
from node.runtime import NODE, Node
from node.web import account_tables, passwords
from node.web.guard import (
    SESSION_COOKIE,
    check_pre_form,
    new_token,
    pre_token,
    requires,
    safe_next,
    set_session_cookie,
    with_pre_cookie,
)
from node.web.model import Role, Session
from node.web.pages import render
from node.web.throttle import SignInThrottle
from node.web.wallet_receipts import forget_addressee

PASSWORD_THROTTLE = web.AppKey("kippu_password_throttle", SignInThrottle)
HOMES = {Role.ADMIN: "/admin", Role.STAFF: "/staff", Role.CUSTOMER: "/wallet"}


def install_throttles(app: web.Application) -> None:
    # In 15 minutes: 5 wrong passwords per name from one address, 30 per address over all names;
    # past 10 for a name from anywhere, known addresses may try it and clean ones one guess
    # every 5 seconds between them all (throttle.py). IPv6 counts by /64, the 30 also by /48.
    app[PASSWORD_THROTTLE] = SignInThrottle(
        pair_limit=5, address_limit=30, name_limit=10, window_s=15 * 60, clean_interval_s=5
    )


def session_lifetime_s(node: Node, role: Role) -> int:
    web_config = node.config.web
    if role == Role.CUSTOMER:
        return web_config.customer_session_days * 86_400
    return web_config.session_hours * 3_600


async def start_session(node: Node, account_id: str, role: Role, target: str) -> web.Response:
    token, csrf = new_token(), new_token()
    lifetime = session_lifetime_s(node, role)
    await node.require_writer().submit(
        account_tables.open_session(account_id, token, csrf, node.clock.now(), lifetime)
    )
    response = see_other(target)
    set_session_cookie(response, node, token, lifetime)
    return response


def see_other(target: str) -> web.Response:
    """A redirect that can carry cookies (a raised HTTPSeeOther is for redirects without)."""
    return web.Response(status=303, headers={"Location": target})


def password_pages(role: Role) -> tuple[web.RouteDef, web.RouteDef]:
    """GET and POST of the sign-in page for admin or staff."""
    path = f"{HOMES[role]}/login"
    template = f"{role}_login.html"

    async def show(request: web.Request) -> web.StreamResponse:
        node = request.app[NODE]
        context = {
            "error": None,
            "login": "",
            "next": request.query.get("next", ""),
            "account": None,
            "expired": request.query.get("expired") == "1",
        }
        page = render(request, template, context, zone=node.config.zone, csrf=pre_token(request))
        return with_pre_cookie(request, page)

    async def submit(request: web.Request) -> web.StreamResponse:
        node = request.app[NODE]
        form = await check_pre_form(request)
        login, password = form.get("login", "").strip(), form.get("password", "")
        target = safe_next(form.get("next"), HOMES[role])
        try:
            account_id = await _check_password(request, node, login, password, role)
        except KippuError as exc:
            context = {"error": exc, "login": login[:100], "next": target, "account": None}
            return render(
                request,
                template,
                context,
                zone=node.config.zone,
                csrf=pre_token(request),
                status=exc.http_status,
            )
        return await start_session(node, account_id, role, target)

    return web.get(path, show), web.post(path, submit)


async def _check_password(
    request: web.Request, node: Node, login: str, password: str, role: Role
) -> str:
    throttle, name = request.app[PASSWORD_THROTTLE], login.lower()
    address = request_client_address(request, node.config.web.trusted_proxies)
    # Counted before the slow check, so parallel guesses count too; a success takes it back,
    # and so does a check that failed for any reason but a wrong password (a storage error must
    # not burn one of the owner's attempts).
    throttle.attempt(name, address, node.clock.now().timestamp())
    try:
        found = await account_tables.read_password(node.require_reader(), login) if login else None
        ok = await passwords.matches(found[1] if found else None, password)
    except BaseException:
        throttle.take_back(name, address)
        raise
    if not ok or found is None or found[2] != role:
        raise BadCredentials()
    throttle.succeeded(name, address)
    return found[0]


@requires(Role.ADMIN, Role.STAFF, Role.CUSTOMER)
async def sign_out(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    await node.require_writer().submit(account_tables.close_session(session.token_hash))
    response = see_other(f"{HOMES[session.account.role]}/login")
    response.del_cookie(SESSION_COOKIE, path="/")
    forget_addressee(response)
    return response


async def switch_language(request: web.Request) -> web.StreamResponse:
    lang = request.match_info["lang"]
    target = safe_next(request.query.get("next"), "/wallet")
    response = see_other(target)
    if lang in ("ja", "en"):
        response.set_cookie("kippu_lang", lang, max_age=365 * 86_400, path="/", samesite="Lax")
    return response
