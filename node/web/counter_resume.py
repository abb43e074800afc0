"""A sale interrupted by an expired sign-in: the clerk signs in again and lands back at the
counter, told what became of the last request, never a blank form with the money in doubt.

A counter form (confirm, edit, redeem, void) posted without a live session did nothing: the guard
refuses it before any handler runs. `resumable` keeps what it carried (the code, the amount, any
rest, the redemption to void) in a short-lived, HttpOnly, SameSite=Strict cookie scoped to /staff
and sends the clerk to sign in with /staff/resume as the page to come back to. There the outcome
is stated: a code that this store already redeemed (used_codes.redemption_id, the same record
the idempotent retry reads) went through, with its receipt number; otherwise nothing was done,
and the form comes back with the amount and code kept. A void says whether the redemption is voided.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl, urlencode

from aiohttp import web

from node.errors import KippuError, NotSignedIn
from node.ledger import queries, tender_tables
from node.ledger.model import Redemption
from node.ledger.qr import authentic_step, first_retry_step, parse_code
from node.runtime import NODE, Node
from node.web.counter import Counter, find_counter, masked, staff_page
from node.web.counter_result import entry_page
from node.web.guard import LOGIN_PAGES, SESSION_COOKIE, is_secure, read_form, requires
from node.web.model import Role, Session

RESUME_COOKIE = "kippu_resume"
RESUME_PATH = "/staff/resume"
RESUME_MAX_AGE_S = 15 * 60
KEPT_FIELDS = ("code", "amount", "rest", "method", "redemption_id")
ACTIONS = ("confirm", "edit", "redeem", "void")
MAX_KEPT_CHARS = 200

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def resumable(action: str, handler: Handler) -> Handler:
    """The counter's POST `handler`; signed out, it keeps the form and sends the clerk to sign in."""

    async def page(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except NotSignedIn:
            form = await read_form(request)
            kept = {"action": action}
            kept.update({k: form[k][:MAX_KEPT_CHARS] for k in KEPT_FIELDS if form.get(k)})
            # A cookie the node no longer knows: the sign-in page says the session ended.
            expired = "expired=1&" if request.cookies.get(SESSION_COOKIE) else ""
            login = f"{LOGIN_PAGES[Role.STAFF]}?{expired}next={RESUME_PATH}"
            response = web.Response(status=303, headers={"Location": login})
            response.set_cookie(
                RESUME_COOKIE,
                base64.urlsafe_b64encode(urlencode(kept).encode()).decode(),
                max_age=RESUME_MAX_AGE_S,
                path="/staff",
                httponly=True,
                secure=is_secure(request.app[NODE]),
                samesite="Strict",
            )
            return response

    page.__name__ = getattr(handler, "__name__", action)
    page.__doc__ = handler.__doc__
    return page


def has_interrupted(request: web.Request) -> bool:
    return bool(request.cookies.get(RESUME_COOKIE))


def _kept(request: web.Request) -> dict[str, str]:
    """The interrupted form, or {} for a missing or mangled cookie."""
    raw = request.cookies.get(RESUME_COOKIE, "")[:2000]
    try:
        text = base64.urlsafe_b64decode(raw.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return {}
    kept = dict(parse_qsl(text))
    return kept if kept.get("action") in ACTIONS else {}


async def went_through(node: Node, counter: Counter, code_text: str) -> Redemption | None:
    """The redemption this code made at this store, if it made one (the idempotent retry's record);
    None when it made none, or the code is a partner's or no code at all."""
    try:
        code = parse_code(code_text)
    except KippuError:
        return None
    reader = node.require_reader()
    voucher = await queries.get_voucher(reader, code.voucher_id)
    if voucher is None or code.issuer_id not in (None, node.identity.node_id):
        return None
    now, steps = node.clock.now(), node.settings.step_seconds
    used: list[int] = []
    if code.step is None:
        since = first_retry_step(now, steps, node.settings.retry_window_s)
        used = await queries.used_manual_steps(reader, voucher.voucher_id, since)
    try:
        step = authentic_step(code, voucher.secret, now, steps, used)
    except KippuError:
        return None
    is_used, earlier = await queries.code_use(reader, voucher.voucher_id, step, code.nonce)
    if is_used and earlier is not None and earlier.store_id == counter.store_id:
        return earlier
    return None


async def _redeemed_page(
    request: web.Request, node: Node, counter: Counter, redemption: Redemption
) -> web.Response:
    reader = node.require_reader()
    voucher = await queries.get_voucher(reader, redemption.voucher_id)
    rests = await tender_tables.rests_of(reader, [redemption.redemption_id])
    return staff_page(
        request,
        node,
        counter.session,
        "staff_done.html",
        counter=counter,
        amount=redemption.amount_yen,
        balance=voucher.balance_yen if voucher else None,
        receipt_no=redemption.receipt_no,
        redemption_id=redemption.redemption_id,
        outcome="voided" if redemption.voided_at else "accepted",
        is_repeat=False,
        earlier_at=None,
        masked=masked(redemption.voucher_id),
        rest=rests.get(redemption.redemption_id),
        resumed="done",
    )


async def _outcome(
    request: web.Request, node: Node, counter: Counter, kept: dict[str, str]
) -> web.Response:
    # Imported here: counter_void.py wraps its route with `resumable` above.
    from node.web.counter_void import confirm_page, void_subject

    if kept["action"] == "void":
        subject = await void_subject(node, counter, kept.get("redemption_id", ""))
        resumed = "void_done" if subject.state != "done" else "void_not_done"
        return confirm_page(request, node, counter, subject, resumed)
    code = kept.get("code", "")
    if kept["action"] == "redeem":
        earlier = await went_through(node, counter, code)
        if earlier is not None:
            return await _redeemed_page(request, node, counter, earlier)
    total = kept.get("amount", "")
    if kept.get("rest", "").isdigit() and total.isdigit():
        total = str(int(total) + int(kept["rest"]))  # the whole sale, as it was keyed
    return entry_page(
        request, node, counter, error=None, code=code, amount=total, resumed="not_done"
    )


@requires(Role.STAFF)
async def resume(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Where a sign-in interrupted mid-sale comes back to: the last request's outcome."""
    counter = await find_counter(node, session)
    if counter is None:  # the store is chosen first; /staff then comes back here
        raise web.HTTPSeeOther("/staff")
    kept = _kept(request)
    home = web.Response(status=303, headers={"Location": "/staff"})
    try:
        response = await _outcome(request, node, counter, kept) if kept else home
    except KippuError:  # a redemption of another store, or gone: nothing to say about it
        response = home
    response.del_cookie(RESUME_COOKIE, path="/staff")
    return response


def routes() -> list[web.RouteDef]:
    return [web.get(RESUME_PATH, resume)]
