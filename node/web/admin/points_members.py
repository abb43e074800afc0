"""The console's members (会員): found by member number, printed card number, or the customer's name
or email; one member's numbers, balance, live lots, history and rank; head office's adjustment
(±points with a reason, after a review step) through the same action as the admin API."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from node.errors import CustomerNotFound, ValidationError
from node.ledger import record_queries as ledger_records
from node.points import actions, queries, rank_actions
from node.points.actions import Caller
from node.points.core import page_txn, require_reason, require_signed_points
from node.points.model import Member
from node.reads import Reader
from node.runtime import Node
from node.web.actors import actor_labels, recorded_actor
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.admin.points import PAGE
from node.web.admin.points_forms import signed_points
from node.web.admin.vouchers import MAX_QUERY_CHARS, SEARCH_LIMIT
from node.web.api_key_tables import load_key
from node.web.guard import read_form, requires
from node.web.i18n import translator
from node.web.model import Role, Session
from node.web.pages import language
from node.web.signin import see_other

MEMBERS = f"{PAGE}/members"
KEY_ACTOR = "key:"  # an integration key's calls are recorded as key:<key id> (actions.Caller)
MEMBER = MEMBERS + "/{member_no}"
MEMBER_NO_DIGITS, CARD_NO_DIGITS = 10, 13


def _digits(text: str) -> str:
    """A number as typed or read aloud: spaces and hyphens dropped (the card prints groups)."""
    return "".join(ch for ch in text if ch not in " -\u3000")


@requires(Role.ADMIN)
async def search(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/points/members?q=: a member or card number opens the member; other text
    searches customers by name or email (newest first, capped)."""
    text = request.query.get("q", "").strip()
    if len(text) > MAX_QUERY_CHARS:
        raise ValidationError("The search text (`q`) is too long.", field="q")
    reader = node.require_reader()
    number = _digits(text)
    if number.isascii() and number.isdigit() and len(number) in (MEMBER_NO_DIGITS, CARD_NO_DIGITS):
        by_number = (
            await queries.member_by_number(reader, number)
            if len(number) == MEMBER_NO_DIGITS
            else await queries.member_by_card(reader, number)
        )
        if by_number is not None:
            return see_other(f"{MEMBERS}/{by_number.member_no}")
    found = []
    if text:
        found = await ledger_records.search_customers(
            node.require_report_reader(), text, SEARCH_LIMIT
        )
    customers = found[:SEARCH_LIMIT]
    numbers = await queries.member_numbers(reader, [c.customer_id for c in customers])
    context = {
        "q": text,
        "customers": customers,
        "numbers": numbers,
        "is_capped": len(found) > SEARCH_LIMIT,
        "limit": SEARCH_LIMIT,
        "tab": MEMBERS,
    }
    return admin_page(request, node, session, "admin_points_members.html", context, section=PAGE)


@requires(Role.ADMIN)
async def of_customer(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/points/customers/{customer_id}: the customer's member page. Every customer is a
    member; one who never showed a card gets the numbers now (actions.member_of, idempotent)."""
    customer_id = request.match_info["customer_id"]
    if await ledger_records.get_customer(node.require_reader(), customer_id) is None:
        raise CustomerNotFound()
    member = await queries.member(node.require_reader(), customer_id)
    if member is None:
        member = await actions.member_of(node, customer_id)
    return see_other(f"{MEMBERS}/{member.member_no}")


async def _member(node: Node, request: web.Request) -> Member:
    return await actions.member_by_number(node, request.match_info["member_no"][:20])


@requires(Role.ADMIN)
async def detail(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/points/members/{member_no}: the member at a glance, and the adjust form."""
    member = await _member(node, request)
    reader = node.require_reader()
    customer = await ledger_records.get_customer(reader, member.customer_id)
    history = await queries.history(reader, member.customer_id)
    t = translator(language(request))
    context = {
        "member": member,
        "shown": await actions.member_answer(node, member),
        "customer": customer,
        "balance": await queries.balance(reader, member.customer_id, node.clock.now()),
        "history": history,
        "history_limit": queries.HISTORY_SHOWN,
        "actors": await _who(reader, {h.actor for h in history}, t),
        "progress": await rank_actions.progress(node, member.customer_id),
        "rank_names": await _rank_names(node),
        "tab": MEMBERS,
    }
    return admin_page(request, node, session, "admin_points_member.html", context, section=PAGE)


async def _who(reader: Reader, actors: set[str], t: Callable[[str], str]) -> dict[str, str]:
    """What people read for each actor of the history: an integration key by its name (a POS,
    an EC site), an account by its display name (node.web.actors)."""
    keys = {actor for actor in actors if actor.startswith(KEY_ACTOR)}
    labels = await actor_labels(reader, actors - keys, t)
    for actor in keys:
        key = await load_key(reader, actor.removeprefix(KEY_ACTOR))
        name = key.name if key is not None else actor.removeprefix(KEY_ACTOR)
        labels[actor] = t("pnt_by_key").replace("{name}", name)
    return labels


def _adjustment(form: dict[str, str]) -> tuple[int, str]:
    """The points and the reason, checked by the action's own rules before anything is shown."""
    points = require_signed_points(signed_points(form))
    return points, require_reason(form.get("reason", "")[:400])


@requires(Role.ADMIN)
@shown_inline("pt-adjust", detail)
async def review_adjust(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/points/members/{member_no}/adjust/review: the change and the balance after."""
    member = await _member(node, request)
    points, reason = _adjustment(await read_form(request))
    balance = await queries.balance(node.require_reader(), member.customer_id, node.clock.now())
    context = {
        "member": member,
        "points": points,
        "reason": reason,
        "before": balance.points,
        "after": balance.points + points,
        "tab": MEMBERS,
        "txn": actions.new_txn(node, "adj"),
    }
    return admin_page(
        request, node, session, "admin_points_adjust_confirm.html", context, section=PAGE
    )


@requires(Role.ADMIN)
@shown_inline("pt-adjust", detail)
async def adjust(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/points/members/{member_no}/adjust: recorded with `admin:<login>` as who."""
    member = await _member(node, request)
    form = await read_form(request)
    points, reason = _adjustment(form)
    caller = Caller(recorded_actor(session))
    # The confirm form's one-time id: sent twice (a double click, a retry), it adjusts once.
    txn = page_txn("staff", caller.name, form.get("txn", "")[:64]) if form.get("txn") else None
    await actions.adjust(node, member.member_no, points, reason, caller, txn, from_page=True)
    return after_action(f"{MEMBERS}/{member.member_no}", "done_pnt_adjusted")


async def _rank_names(node: Node) -> list[str]:
    """The floor form's choices: the ranks of the table in force, lowest first."""
    shown = await rank_actions.show_table(node)
    table = shown["in_force"]
    return [] if table is None else [str(level["name"]) for level in table["levels"]]


def _floor(form: dict[str, str]) -> tuple[str, str, str]:
    """The rank, the last day and the reason as sent (rank_actions checks them)."""
    return form.get("rank", "")[:40], form.get("floor_until", "")[:20], form.get("reason", "")[:400]


@requires(Role.ADMIN)
@shown_inline("pt-floor", detail)
async def review_floor(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/points/members/{member_no}/rank-floor/review: the floor, asked once more.
    The rank and the day are the action's to check (rank.floor_refused, shown on the form)."""
    member = await _member(node, request)
    rank, until, reason = _floor(await read_form(request))
    await rank_actions.check_floor(node, member.member_no, rank, until, reason)
    context = {
        "member": member,
        "rank": rank,
        "until": until,
        "reason": reason,
        "progress": await rank_actions.progress(node, member.customer_id),
        "tab": MEMBERS,
    }
    return admin_page(
        request, node, session, "admin_points_floor_confirm.html", context, section=PAGE
    )


@requires(Role.ADMIN)
@shown_inline("pt-floor", detail)
async def set_floor(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/points/members/{member_no}/rank-floor: recorded with `admin:<login>`."""
    member = await _member(node, request)
    rank, until, reason = _floor(await read_form(request))
    await rank_actions.set_floor(
        node, member.member_no, rank, until, reason, recorded_actor(session)
    )
    return after_action(f"{MEMBERS}/{member.member_no}", "done_rnk_floor_set")


def routes() -> list[web.RouteDef]:
    return [
        web.get(MEMBERS, search),
        web.get(PAGE + "/customers/{customer_id}", of_customer),
        web.get(MEMBER, detail),
        web.post(MEMBER + "/adjust/review", review_adjust),
        web.post(MEMBER + "/adjust", adjust),
        web.post(MEMBER + "/rank-floor/review", review_floor),
        web.post(MEMBER + "/rank-floor", set_floor),
    ]
