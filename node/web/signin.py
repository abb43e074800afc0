"""Signing in and out: passwords for admin and staff (throttled), sessions for every role."""

from __future__ import annotations

from aiohttp import web

from node.app import NODE, Node
from node.errors import BadCredentials, KippuError
from node.web import accounts, passwords
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
from node.web.throttle import Throttle

# Per login name and per address: a guesser gets 5 tries per name and 30 per address in 15 minutes.
LOGIN_THROTTLE = web.AppKey("kippu_login_throttle", Throttle)
ADDRESS_THROTTLE = web.AppKey("kippu_address_throttle", Throttle)
HOMES = {Role.ADMIN: "/admin", Role.STAFF: "/staff", Role.CUSTOMER: "/wallet"}


def install_throttles(app: web.Application) -> None:
    app[LOGIN_THROTTLE] = Throttle(limit=5, window_s=15 * 60)
    app[ADDRESS_THROTTLE] = Throttle(limit=30, window_s=15 * 60)


def session_lifetime_s(node: Node, role: Role) -> int:
    web_config = node.config.web
    if role == Role.CUSTOMER:
        return web_config.customer_session_days * 86_400
    return web_config.session_hours * 3_600


async def start_session(node: Node, account_id: str, role: Role, target: str) -> web.Response:
    token, csrf = new_token(), new_token()
    lifetime = session_lifetime_s(node, role)
    await node.require_writer().submit(
        accounts.open_session(account_id, token, csrf, node.clock.now(), lifetime)
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
    now_s = node.clock.now().timestamp()
    by_name, by_address = request.app[LOGIN_THROTTLE], request.app[ADDRESS_THROTTLE]
    name_key, address_key = f"login:{login.lower()}", f"ip:{request.remote}"
    by_name.check(name_key, now_s)
    by_address.attempt(address_key, now_s)
    by_name.fail(name_key, now_s)  # counted before the slow check: parallel guesses count too
    found = await accounts.read_password(node.require_reader(), login) if login else None
    ok = await passwords.matches(found[1] if found else None, password)
    if not ok or found is None or found[2] != role:
        raise BadCredentials()
    by_name.forget(name_key)
    by_address.succeeded(address_key)
    return found[0]


@requires(Role.ADMIN, Role.STAFF, Role.CUSTOMER)
async def sign_out(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    await node.require_writer().submit(accounts.close_session(session.token_hash))
    response = see_other(f"{HOMES[session.account.role]}/login")
    response.del_cookie(SESSION_COOKIE, path="/")
    return response


async def switch_language(request: web.Request) -> web.StreamResponse:
    lang = request.match_info["lang"]
    target = safe_next(request.query.get("next"), "/wallet")
    response = see_other(target)
    if lang in ("ja", "en"):
        response.set_cookie("kippu_lang", lang, max_age=365 * 86_400, path="/", samesite="Lax")
    return response
