"""Rendering the campaign pages in the reader's language: one Jinja2 environment with the i18n
extension, and the gettext functions handed to each render, never installed on the environment.

Installing translations on a shared environment (`install_gettext_translations`) would make the
language a global: two requests in different languages could see each other's words. Here each
render gets its own `gettext`, `ngettext`, `pgettext` and `npgettext` in its context, which
Jinja2's `_()` and `{% trans %}` look up there; the environment holds no language at all, so a
template rendered without them fails (StrictUndefined) instead of silently showing English.
Templates imported as macros need `with context` to see them.
"""

from __future__ import annotations

import gettext
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from aiohttp import web
from babel.dates import format_date
from babel.numbers import format_currency
from markupsafe import Markup

from node.errors import KippuError, NotSignedIn
from node.errors.base import shown_to_user
from node.runtime import NODE
from node.web.brand import BRAND, PageBrand
from node.web.catalog import (
    LANG_COOKIE,
    LANG_PARAMETER,
    LANGUAGES,
    Language,
    choose_language,
    language_named,
    translations,
)
from node.web.catalog_errors import error_explainer
from node.web.guard import is_secure
from node.web.pages import SECURITY_HEADERS, yen

log = logging.getLogger(__name__)
LANG_COOKIE_MAX_AGE_S = 365 * 86_400
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("node.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # {% trans %} blocks are written across lines; their msgids are the text with whitespace
    # collapsed, as babel.cfg extracts them (trimmed = true).
    env.policies["ext.i18n.trimmed"] = True
    # `_("Hello %(name)s", name=x)` formats in the call and escapes x; `{% trans %}` compiles to it.
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.filters["yen"] = yen  # the 資金決済法 display's amounts (a premium set's page)
    return env


def page_gettext(catalogue: gettext.NullTranslations) -> dict[str, Callable[..., str]]:
    """The four gettext functions of one render, in Jinja2's newstyle: every message is a
    %-format (so a literal percent sign is `%%`), its values escaped on an autoescaped page."""

    def finish(context: jinja2.runtime.Context, text: str, variables: dict[str, Any]) -> str:
        if context.eval_ctx.autoescape:
            # The message is ours (the catalogue), the values escaped: as Jinja2's own newstyle.
            return Markup(text) % variables  # noqa: S704
        return text % variables

    @jinja2.pass_context
    def gettext_(context: jinja2.runtime.Context, message: str, /, **variables: Any) -> str:
        return finish(context, catalogue.gettext(message), variables)

    @jinja2.pass_context
    def ngettext_(
        context: jinja2.runtime.Context, singular: str, plural: str, num: int, /, **variables: Any
    ) -> str:
        variables.setdefault("num", num)
        return finish(context, catalogue.ngettext(singular, plural, num), variables)

    @jinja2.pass_context
    def pgettext_(
        context: jinja2.runtime.Context, msgctxt: str, message: str, /, **variables: Any
    ) -> str:
        return finish(context, catalogue.pgettext(msgctxt, message), variables)

    @jinja2.pass_context
    def npgettext_(
        context: jinja2.runtime.Context,
        msgctxt: str,
        singular: str,
        plural: str,
        num: int,
        /,
        **variables: Any,
    ) -> str:
        variables.setdefault("num", num)
        return finish(context, catalogue.npgettext(msgctxt, singular, plural, num), variables)

    return {
        "gettext": gettext_,
        "ngettext": ngettext_,
        "pgettext": pgettext_,
        "npgettext": npgettext_,
    }


def request_language(request: web.Request) -> Language:
    return choose_language(
        request.query.get(LANG_PARAMETER),
        request.cookies.get(LANG_COOKIE),
        request.headers.get("Accept-Language", ""),
    )


def language_links(request: web.Request) -> dict[str, str]:
    """For each language, this very page (path and query) in that language: the picker's links."""
    return {
        language.tag: str(request.rel_url.update_query({LANG_PARAMETER: language.tag}))
        for language in LANGUAGES
    }


def money(language: Language) -> Callable[[int | None], str]:
    """Yen as the reader writes it. Japanese and English pages write ¥1,234 like every other
    page of the node; in Chinese and Korean a bare ¥ can read as yuan, so Babel's JP¥ / 円 forms."""

    def show(amount_yen: int | None) -> str:
        if amount_yen is None or language.tag in ("ja", "en"):
            return yen(amount_yen)
        return format_currency(amount_yen, "JPY", locale=language.locale)

    return show


def moments(language: Language, zone: ZoneInfo) -> Callable[[datetime | None, bool], str]:
    """A moment as the reader's language writes a date (2026年12月1日, December 1, 2026,
    2026년 12월 1일), in the node's time zone, with the time unless asked not to."""

    def show(moment: datetime | None, with_time: bool = True) -> str:
        if moment is None:
            return "—"
        local = moment.astimezone(zone)
        day = format_date(local.date(), "long", locale=language.locale)
        return f"{day} {local:%H:%M}" if with_time else day

    return show


def remember_language(request: web.Request, response: web.StreamResponse) -> None:
    """A language picked by ?lang= stays picked: the cookie every page reads."""
    picked = language_named(request.query.get(LANG_PARAMETER))
    if picked is not None:
        response.set_cookie(
            LANG_COOKIE,
            picked.tag,
            max_age=LANG_COOKIE_MAX_AGE_S,
            path="/",
            samesite="Lax",
            httponly=True,
            secure=is_secure(request.app[NODE]),
        )


def page_text(
    template: str,
    language: Language,
    *,
    zone: ZoneInfo,
    office: PageBrand,
    links: dict[str, str],
    context: dict[str, Any],
) -> str:
    """A campaign template rendered in `language`: what render_campaign_page sends, apart from
    HTTP (tests render templates in every language through it)."""
    return (
        environment()
        .get_template(template)
        .render(
            **page_gettext(translations(language)),
            lang=language,
            languages=LANGUAGES,
            language_links=links,
            explain=error_explainer(language),
            money=money(language),
            when=moments(language, zone),
            office=office,
            **context,
        )
    )


def render_campaign_page(
    request: web.Request,
    template: str,
    context: dict[str, Any],
    *,
    csrf: str = "",
    status: int = 200,
) -> web.Response:
    """A campaign page in the reader's language (node/web/catalog.py chooses it)."""
    language = request_language(request)
    config = request.app[NODE].config
    page = page_text(
        template,
        language,
        zone=config.zone,
        office=request.app.get(BRAND) or PageBrand(config.node.name, config.node.name),
        links=language_links(request),
        context={"csrf": csrf, "path": request.path_qs, **context},
    )
    response = web.Response(text=page, content_type="text/html", charset="utf-8", status=status)
    response.headers.update(SECURITY_HEADERS)
    response.headers["Content-Language"] = language.tag
    response.headers["Vary"] = "Accept-Language, Cookie"
    remember_language(request, response)
    return response


def campaign_error_page(request: web.Request, error: KippuError, *, home: str) -> web.Response:
    """A refusal as a page in the reader's language, with the way back to `home`."""
    context = {"error": error, "home": home}
    return render_campaign_page(request, "campaigns/error.html", context, status=error.http_status)


def in_reader_language(home: str) -> Callable[[Handler], Handler]:
    """Wraps a campaign page's handler so that a refusal reads in the reader's language (the
    node's html_errors, around every page, would answer in Japanese or English). Signing in is
    left to html_errors' redirect; an error no one can act on reads as "internal error" and is
    logged, as everywhere."""

    def wrap(handler: Handler) -> Handler:
        async def page(request: web.Request) -> web.StreamResponse:
            try:
                return await handler(request)
            except NotSignedIn:
                raise
            except KippuError as exc:
                shown = shown_to_user(exc)
                if shown is not exc:
                    log.exception("%s %s failed with %s", request.method, request.path, exc.code)
                elif exc.http_status >= 500:
                    log.error("%s %s refused: %s", request.method, request.path, exc.code)
                back = str(exc.details.get("home") or home)
                return campaign_error_page(request, shown, home=back)

        return page

    return wrap
