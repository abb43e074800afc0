"""The console's points program (ポイント): the terms in force and the versions scheduled after
them, a new version set through a review step that says from when it applies (and that points
earned before keep their terms), and each store's own earn rate. The same actions as the admin
API (node/points/program_actions.py); campaigns are on the same page (points_campaigns.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiohttp import web

from node.errors import InvalidPoints
from node.ledger import queries as ledger_queries
from node.points import program_actions, queries
from node.points.core import DEFAULT_PROGRAM, in_force
from node.points.model import Campaign, ExpiryKind, Program, Rounding
from node.points.program_actions import ProgramInput
from node.runtime import Node
from node.web.actors import actor_labels, recorded_actor
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.admin.points_forms import local_moment, required_whole, whole
from node.web.guard import read_form, requires
from node.web.i18n import translator
from node.web.model import Role, Session
from node.web.pages import language

PAGE = "/admin/points"
PROGRAM_FIELDS = (
    "earn_points",
    "earn_per_yen",
    "rounding",
    "expiry",
    "expiry_days",
    "point_value_yen",
    "min_use_points",
    "effective_from",
)


@requires(Role.ADMIN)
async def overview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/points: the program, the stores' own rates, the campaigns."""
    reader = node.require_reader()
    now = node.clock.now()
    versions = await queries.programs(reader)
    current = in_force(versions, now) or DEFAULT_PROGRAM
    stores = await ledger_queries.list_stores(reader)
    campaigns = await queries.campaigns(reader)
    rates = await queries.store_rates(reader)
    scheduled = [v for v in versions if v.effective_from > now]
    setters = {v.created_by for v in scheduled} | {r.created_by for r in rates}
    context: dict[str, Any] = {
        "program": current,
        "is_default": current is DEFAULT_PROGRAM,
        "scheduled": scheduled,
        "roundings": [str(r) for r in Rounding],
        "expiries": [str(e) for e in ExpiryKind],
        "stores": stores,
        "store_names": {s.store_id: s.name for s in stores},
        "rates": rates,
        "actors": await actor_labels(reader, setters, translator(language(request))),
        "campaigns": [(c, _campaign_state(c, now)) for c in campaigns],
        "now": now,
        "tab": PAGE,
    }
    return admin_page(request, node, session, "admin_points.html", context, section=PAGE)


def _campaign_state(campaign: Campaign, now: datetime) -> str:
    if campaign.cancelled_at is not None:
        return "cancelled"
    if now < campaign.starts_at:
        return "scheduled"
    return "running" if now < campaign.ends_at else "ended"


def program_input(form: dict[str, str], node: Node) -> ProgramInput:
    """The whole form: every term is sent (the form starts from the terms in force)."""
    expiry = form.get("expiry", "")[:20]
    return ProgramInput(
        earn_points=required_whole(form, "earn_points"),
        earn_per_yen=required_whole(form, "earn_per_yen"),
        rounding=form.get("rounding", "")[:20],
        expiry=expiry,
        expiry_days=required_whole(form, "expiry_days") if expiry == ExpiryKind.DAYS else None,
        point_value_yen=required_whole(form, "point_value_yen"),
        min_use_points=required_whole(form, "min_use_points"),
        effective_from=local_moment(form, "effective_from", node.config.zone),
    )


async def checked_program(node: Node, sent: ProgramInput, actor: str) -> Program:
    """The version `sent` would make, checked by the action's own rule (program_actions.new_terms)
    against the versions recorded now, so the review never offers what the setting refuses."""
    now = node.clock.now()
    start = program_actions.moment(sent.effective_from, "effective_from", now)
    versions = await queries.programs(node.require_reader())
    base = in_force(versions, start) or DEFAULT_PROGRAM
    if any(v.effective_from == start for v in versions):
        raise InvalidPoints("A version starts at that moment already.", field="effective_from")
    return program_actions.new_terms(base, sent, "review", now, actor)


@requires(Role.ADMIN)
@shown_inline("pt-program", overview)
async def review_program(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/points/program/review: what the new version will be, and from when."""
    form = await read_form(request)
    sent = program_input(form, node)
    terms = await checked_program(node, sent, recorded_actor(session))
    context = {
        "terms": terms,
        "is_now": sent.effective_from is None,
        "sent": {name: form.get(name, "")[:40] for name in PROGRAM_FIELDS},
    }
    return admin_page(
        request, node, session, "admin_points_program_confirm.html", context, section=PAGE
    )


@requires(Role.ADMIN)
@shown_inline("pt-program", overview)
async def set_program(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/points/program: the reviewed version recorded (append-only)."""
    sent = program_input(await read_form(request), node)
    await program_actions.set_program(node, sent, recorded_actor(session))
    return after_action(PAGE, "done_pnt_program_set")


@requires(Role.ADMIN)
@shown_inline("pt-rate", overview)
async def set_store_rate(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/points/store-rates: a store's own earn rate from a moment on."""
    form = await read_form(request)
    store_id = form.get("store_id", "")[:40]
    if not store_id:
        raise InvalidPoints("Choose a store.", field="store_id")
    await program_actions.set_store_rate(
        node,
        store_id,
        whole(form, "earn_points"),
        whole(form, "earn_per_yen"),
        local_moment(form, "effective_from", node.config.zone),
        recorded_actor(session),
    )
    return after_action(PAGE, "done_pnt_rate_set")


def routes() -> list[web.RouteDef]:
    return [
        web.get(PAGE, overview),
        web.post(f"{PAGE}/program/review", review_program),
        web.post(f"{PAGE}/program", set_program),
        web.post(f"{PAGE}/store-rates", set_store_rate),
    ]
