"""The customer's own profile in the wallet (/wallet/profile) and their request to delete their
personal data (/wallet/erase, 個人情報保護法).

They edit their name, kana, phone, birthday, postcode and gender (node/crm/profiles.py reads each
field; notes, the counter's greeting and tags are head office's and not shown). Deletion is the
same erasure head office makes (node/crm/profile_actions.erase, method `wallet`): refused while
they hold value, saying so and changing nothing; otherwise their personal data is gone, their
wallet account retired with every session in the same transaction, and they see a done page."""

from __future__ import annotations

from aiohttp import web

from node.crm import profile_actions
from node.crm.consents import ConsentMethod
from node.crm.profiles import GENDERS, OWN_FIELDS
from node.errors import ErasureBlocked, KippuError, NotFound
from node.runtime import NODE, Node
from node.web.accounts import retire_customer_account
from node.web.admin.form_errors import message_of
from node.web.guard import SESSION_COOKIE, read_form, requires
from node.web.model import Role, Session
from node.web.pages import language, render
from node.web.signin import see_other
from node.web.wallet_pages import customer_of, page
from node.web.wallet_receipts import forget_addressee

ERASE_REASON = "本人がウォレットから削除を依頼"
EDITED = ("name", *OWN_FIELDS)


async def _profile_page(
    request: web.Request,
    node: Node,
    session: Session,
    typed: dict[str, str] | None = None,
    error: KippuError | None = None,
) -> web.Response:
    customer_id = customer_of(session)
    shown = await profile_actions.shown(node, customer_id)
    values = {
        "kana": shown.kana or "",
        "phone": shown.phone or "",
        "birthday": "" if shown.birthday is None else shown.birthday.isoformat(),
        "postcode": shown.postcode or "",
        "gender": shown.gender or "",
    }
    field = None if error is None else str(error.details.get("field") or "")
    response = await page(
        request,
        node,
        session,
        "wallet_profile.html",
        values=typed or values,
        is_refill=typed is not None,
        genders=GENDERS,
        error=error,
        error_field=field,
        error_message="" if error is None else message_of(error, language(request), field),
        saved=request.query.get("saved", "") == "1",
    )
    if error is not None:
        response.set_status(error.http_status)
    return response


@requires(Role.CUSTOMER)
async def profile_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /wallet/profile: the customer's own details, the mail setting and their data."""
    return await _profile_page(request, node, session)


@requires(Role.CUSTOMER)
async def save_profile(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /wallet/profile: a refused field is shown beside it, with what was typed kept."""
    form = await read_form(request)
    try:
        await profile_actions.save_own(node, customer_of(session), form.get("name", ""), form)
    except KippuError as exc:
        if not exc.is_actionable or isinstance(exc, NotFound):
            raise
        typed = {key: form.get(key, "") for key in EDITED}
        return await _profile_page(request, node, session, typed, exc)
    raise web.HTTPSeeOther("/wallet/profile?saved=1")


@requires(Role.CUSTOMER)
async def erase_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /wallet/erase: what deleting does and keeps, and the button."""
    return await page(request, node, session, "wallet_erase.html", blocked=None)


@requires(Role.CUSTOMER)
async def erase(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /wallet/erase: erased and signed out, or told what they still hold (nothing done)."""
    customer_id = customer_of(session)
    try:
        await profile_actions.erase(
            node,
            customer_id,
            ERASE_REASON,
            ConsentMethod.WALLET,
            f"customer:{customer_id}",
            also=retire_customer_account(customer_id, node.clock.now()),
        )
    except ErasureBlocked as exc:
        held = {k: int(exc.details.get(k) or 0) for k in ("balance_yen", "points")}
        response = await page(request, node, session, "wallet_erase.html", blocked=held)
        response.set_status(exc.http_status)
        return response
    response = see_other("/wallet/erased")
    response.del_cookie(SESSION_COOKIE, path="/")
    forget_addressee(response)
    return response


async def erased(request: web.Request) -> web.StreamResponse:
    """GET /wallet/erased: the done page, for someone no longer signed in."""
    node = request.app[NODE]
    context = {"account": None}
    return render(request, "wallet_erased.html", context, zone=node.config.zone, csrf="")


def routes() -> list[web.RouteDef]:
    return [
        web.get("/wallet/profile", profile_page),
        web.post("/wallet/profile", save_profile),
        web.get("/wallet/erase", erase_page),
        web.post("/wallet/erase", erase),
        web.get("/wallet/erased", erased),
    ]
