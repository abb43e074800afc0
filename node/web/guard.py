"""Who may see a page: the session cookie, the role each page needs, CSRF on every form.

Signed-in forms carry the session's CSRF token. Forms shown before sign-in (login, link request)
use a double-submit token: a random cookie whose value the form must repeat, so another site
cannot post a sign-in form in the visitor's name.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from aiohttp import web

from node.errors import (
    CsrfRejected,
    Forbidden,
    KippuError,
    NotSignedIn,
    ValidationError,
    shown_to_user,
)
from node.runtime import NODE, Node
from node.web import account_tables
from node.web.model import Role, Session
from node.web.pages import render

log = logging.getLogger(__name__)

SESSION_COOKIE = "kippu_session"
PRE_COOKIE = "kippu_pre"
LOGIN_PAGES = {
    Role.ADMIN: "/admin/login",
    Role.STAFF: "/staff/login",
    Role.CUSTOMER: "/wallet/login",
}
MAX_FORM_BYTES = 16 * 1024
FORM = web.RequestKey("kippu_form", dict)  # the posted form, read once per request
NEW_PRE_TOKEN = web.RequestKey("kippu_pre_new", str)  # a pre-sign-in token to set as a cookie

PageHandler = Callable[[web.Request, Node, Session], Awaitable[web.StreamResponse]]


def is_secure(node: Node) -> bool:
    return node.config.node.public_url.startswith("https://")


def set_session_cookie(response: web.StreamResponse, node: Node, token: str, max_age: int) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age,
        path="/",
        httponly=True,
        secure=is_secure(node),
        samesite="Lax",
    )


def new_token() -> str:
    return secrets.token_urlsafe(32)


async def current_session(request: web.Request, node: Node) -> Session | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 100:
        return None
    return await account_tables.load_session(
        node.require_reader(), token, int(node.clock.now().timestamp())
    )


def requires(
    *roles: Role, form_bytes: int = MAX_FORM_BYTES
) -> Callable[[PageHandler], Callable[[web.Request], Awaitable[Any]]]:
    """The page needs a session of one of `roles`; POSTs also need the session's CSRF token.
    `form_bytes` raises the form's size limit for a page that takes long text (a campaign
    mail's body); it applies only once the session is known, so nobody else can send that much."""

    def wrap(handler: PageHandler) -> Callable[[web.Request], Awaitable[Any]]:
        async def page(request: web.Request) -> web.StreamResponse:
            node = request.app[NODE]
            session = await current_session(request, node)
            if session is None:
                raise NotSignedIn(login=LOGIN_PAGES[roles[0]])
            if session.account.role not in roles:  # 戻る leads to the viewer's own home
                raise Forbidden(home=LOGIN_PAGES[session.account.role].removesuffix("/login"))
            if request.method == "POST":
                form = await read_form(request, form_bytes)
                sent = str(form.get("csrf", "")) or request.headers.get("X-CSRF-Token", "")
                if not hmac.compare_digest(sent.encode(), session.csrf.encode()):
                    raise CsrfRejected()
            return await handler(request, node, session)

        page.__name__ = handler.__name__
        page.__doc__ = handler.__doc__
        return page

    return wrap


async def read_form(request: web.Request, limit: int = MAX_FORM_BYTES) -> dict[str, str]:
    """The posted form (urlencoded or multipart text fields), read once and kept on the request."""
    cached = request.get(FORM)
    if cached is not None:
        return dict(cached)
    if request.content_length is not None and request.content_length > limit:
        raise ValidationError("The form is too large.")
    data = await request.post()
    form = {k: v for k, v in data.items() if isinstance(v, str)}
    request[FORM] = form
    return dict(form)


async def form_values(request: web.Request, key: str) -> list[str]:
    """Every value of a field posted more than once (checkboxes), text only."""
    await read_form(request)  # the size check; aiohttp keeps the parsed form for this second read
    data = await request.post()
    return [v for v in data.getall(key, []) if isinstance(v, str)]


def pre_token(request: web.Request) -> str:
    """The anonymous form token: the cookie's value, or a new one (set by `with_pre_cookie`)."""
    existing = request.cookies.get(PRE_COOKIE, "")
    if 20 <= len(existing) <= 100 and existing.isascii():
        return existing
    fresh = request.get(NEW_PRE_TOKEN)
    if fresh is None:
        fresh = request[NEW_PRE_TOKEN] = new_token()
    return fresh


def with_pre_cookie(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
    fresh = request.get(NEW_PRE_TOKEN)
    if fresh is not None:
        node = request.app[NODE]
        response.set_cookie(
            PRE_COOKIE, fresh, path="/", httponly=True, secure=is_secure(node), samesite="Strict"
        )
    return response


async def check_pre_form(request: web.Request) -> dict[str, str]:
    """The anonymous form, refused unless it repeats the visitor's pre-sign-in cookie."""
    form = await read_form(request)
    cookie = request.cookies.get(PRE_COOKIE, "")
    sent = form.get("csrf", "")
    if not cookie or not hmac.compare_digest(sent.encode(), cookie.encode()):
        raise CsrfRejected()
    return form


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def html_errors(handler: Handler) -> Handler:
    """On a page, an error becomes an HTML page (or a redirect to sign in), not the JSON shape.

    Wrapped around each page's handler, not installed as middleware: the admin and peer APIs,
    the node's hot paths, pay nothing for the pages."""

    async def page(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except NotSignedIn as exc:
            target = exc.details.get("login", "/wallet/login")
            # A session cookie the node no longer knows: the sign-in page says it ended.
            expired = "expired=1&" if request.cookies.get(SESSION_COOKIE) else ""
            if request.method != "GET":  # a form's address has no page to come back to
                raise web.HTTPSeeOther(f"{target}?{expired}".rstrip("?&")) from None
            raise web.HTTPSeeOther(f"{target}?{expired}next={_quote(request.path_qs)}") from None
        except KippuError as exc:
            shown = shown_to_user(exc)
            if shown is not exc:
                log.exception("%s %s failed with %s", request.method, request.path, exc.code)
            elif exc.http_status >= 500:  # the admin acts on it (a full disk, a missing font)
                log.error("%s %s refused: %s", request.method, request.path, exc.code)
            return error_page(request, shown)

    return page


# Each role's own pages: 戻る on an error page leads back there, not to another role's home.
ROLE_HOMES = ("/staff", "/admin")
CUSTOMER_HOME = "/wallet"


def role_home(path: str) -> str:
    """The home of the role whose pages `path` is among (the wallet's for any other page)."""
    for home in ROLE_HOMES:
        if path == home or path.startswith(home + "/"):
            return home
    return CUSTOMER_HOME


# Pages outside the three homes: a hand-over link, signing out, the language switch, the terms,
# a campaign mail's unsubscribe link.
OTHER_PAGE_PREFIXES = ("/take/", "/logout", "/lang/", "/terms", "/mail/")


def is_page_path(path: str) -> bool:
    """A path among the pages (which answer in HTML), not the JSON APIs'."""
    return any(
        path == home or path.startswith(home + "/") for home in (*ROLE_HOMES, CUSTOMER_HOME)
    ) or path.startswith(OTHER_PAGE_PREFIXES)


def answers_html(path: str) -> bool:
    """Whether an error at `path` is a page a person reads: every page path but the JSON a
    page's script fetches (the QR's code.json keeps the JSON error shape)."""
    return is_page_path(path) and not path.endswith(".json")


def error_page(request: web.Request, error: KippuError) -> web.Response:
    node = request.app[NODE]
    return render(
        request,
        "error.html",
        {
            "error": error,
            "account": None,
            "home": str(error.details.get("home") or role_home(request.path)),
        },
        zone=node.config.zone,
        csrf="",
        status=error.http_status,
    )


def _quote(path: str) -> str:
    return quote(path, safe="/")


def safe_next(value: str | None, default: str) -> str:
    """Only a path on this site: never an absolute URL (an open redirect)."""
    if (
        value
        and len(value) <= 500
        and value.startswith("/")
        and not value.startswith("//")
        and value.isascii()
        and value.isprintable()  # browsers drop tabs and newlines: "/\t/x" would become "//x"
        and " " not in value
        and "\\" not in value
    ):
        return value
    return default
