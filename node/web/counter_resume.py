"""A sale interrupted by an expired sign-in: the clerk signs in again and lands back at the
counter, told what became of the last request, never a blank form with the money in doubt.

A counter form (confirm, edit, redeem, void) posted without a live session did nothing: the guard
refuses it before any handler runs, so before any CSRF check. `resumable` keeps what it carried
(the amount, any rest, the redemption to void, and the code only for the lookup below) in a
short-lived, HttpOnly, SameSite=Strict cookie scoped to /staff, sealed by the node
(sealed_cookie.py: encrypted and authenticated, so it is neither readable on the device nor made
by anyone but the node), and sends the clerk to sign in with /staff/resume as the page to come
back to. It keeps nothing for a form another site posted (its Origin, or else its Referer, is not
this node): a page elsewhere cannot plant a sale for the clerk to find after signing in.

There the outcome is stated: a code that this store already redeemed went through, with its
receipt number (the lookup is `counter.code_use`, the confirm step's own); otherwise nothing was
done, and the form comes back with the amount kept and the code empty (it has expired by then:
the clerk scans a fresh one). A void says whether the redemption is voided.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web

from node.errors import KippuError, NotSignedIn
from node.ledger import queries, tender_tables
from node.ledger.model import Redemption
from node.ledger.qr import parse_code
from node.runtime import NODE, Node
from node.web.counter import Counter, code_use, find_counter, masked, staff_page
from node.web.counter_result import entry_page
from node.web.guard import LOGIN_PAGES, SESSION_COOKIE, is_secure, read_form, requires
from node.web.model import Role, Session
from node.web.sealed_cookie import seal, unseal

RESUME_COOKIE = "kippu_resume"
RESUME_PATH = "/staff/resume"
RESUME_PURPOSE = "counter resume"
RESUME_MAX_AGE_S = 15 * 60
KEPT_FIELDS = ("code", "amount", "rest", "redemption_id")
ACTIONS = ("confirm", "edit", "redeem", "void")
MAX_KEPT_CHARS = 200

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def resumable(action: str, handler: Handler) -> Handler:
    """The counter's POST `handler`; signed out, it keeps the form and sends the clerk to sign in."""

    async def page(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except NotSignedIn:
            node = request.app[NODE]
            # A cookie the node no longer knows: the sign-in page says the session ended.
            expired = "expired=1&" if request.cookies.get(SESSION_COOKIE) else ""
            login = f"{LOGIN_PAGES[Role.STAFF]}?{expired}next={RESUME_PATH}"
            response = web.Response(status=303, headers={"Location": login})
            if not from_this_site(request, node):
                return response
            form = await read_form(request)
            kept = {"action": action, "at": str(node.now_s())}
            kept.update({k: form[k][:MAX_KEPT_CHARS] for k in KEPT_FIELDS if form.get(k)})
            response.set_cookie(
                RESUME_COOKIE,
                seal(node, RESUME_PURPOSE, kept),
                max_age=RESUME_MAX_AGE_S,
                path="/staff",
                httponly=True,
                secure=is_secure(node),
                samesite="Strict",
            )
            return response

    page.__name__ = getattr(handler, "__name__", action)
    page.__doc__ = handler.__doc__
    return page


def from_this_site(request: web.Request, node: Node) -> bool:
    """Whether the browser says the form was posted from this node's own pages: its Origin, or
    its Referer when it sends no Origin, names this node (the public URL, or the host asked).
    Neither, or "null", counts as another site's."""
    source = request.headers.get("Origin") or request.headers.get("Referer", "")
    sent = urlsplit(source)
    public = urlsplit(node.config.node.public_url)
    own = {(public.scheme, public.netloc.lower()), (request.scheme, request.host.lower())}
    return bool(sent.netloc) and (sent.scheme, sent.netloc.lower()) in own


def has_interrupted(request: web.Request) -> bool:
    return bool(request.cookies.get(RESUME_COOKIE))


def _kept(request: web.Request, node: Node) -> dict[str, str]:
    """The interrupted form, or {} for a missing, forged, altered or stale cookie."""
    kept = unseal(node, RESUME_PURPOSE, request.cookies.get(RESUME_COOKIE, ""))
    if kept is None or kept.get("action") not in ACTIONS or not kept.get("at", "").isdigit():
        return {}
    is_fresh = 0 <= node.now_s() - int(kept["at"]) <= RESUME_MAX_AGE_S
    return kept if is_fresh else {}


async def went_through(node: Node, counter: Counter, code_text: str) -> Redemption | None:
    """The redemption this code made at this store, if it made one (the confirm step's lookup);
    None when it made none, or the code is a partner's, not authentic or no code at all."""
    try:
        code = parse_code(code_text)
        if code.issuer_id not in (None, node.identity.node_id):
            return None
        voucher = await queries.get_voucher(node.require_reader(), code.voucher_id)
        if voucher is None:
            return None
        use = await code_use(node, code, voucher)
    except KippuError:
        return None
    if use.earlier is not None and use.earlier.store_id == counter.store_id:
        return use.earlier
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
    if kept["action"] == "redeem":
        earlier = await went_through(node, counter, kept.get("code", ""))
        if earlier is not None:
            return await _redeemed_page(request, node, counter, earlier)
    total = kept.get("amount", "")
    if kept.get("rest", "").isdigit() and total.isdigit():
        total = str(int(total) + int(kept["rest"]))  # the whole sale, as it was keyed
    return entry_page(request, node, counter, error=None, code="", amount=total, resumed="not_done")


@requires(Role.STAFF)
async def resume(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Where a sign-in interrupted mid-sale comes back to: the last request's outcome."""
    counter = await find_counter(node, session)
    if counter is None:  # the store is chosen first; /staff then comes back here
        raise web.HTTPSeeOther("/staff")
    kept = _kept(request, node)
    home = web.Response(status=303, headers={"Location": "/staff"})
    try:
        response = await _outcome(request, node, counter, kept) if kept else home
    except KippuError:  # a redemption of another store, or gone: nothing to say about it
        response = home
    response.del_cookie(RESUME_COOKIE, path="/staff")
    return response


def routes() -> list[web.RouteDef]:
    return [web.get(RESUME_PATH, resume)]
