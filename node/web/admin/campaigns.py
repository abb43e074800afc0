"""The console's municipal campaigns (自治体キャンペーン): the list with each campaign's stock and
budget used, and the new-campaign form (one form, its fields shown by kind). The same actions as
the admin API and `kippu campaign` (node/campaigns/actions.py); a campaign's own page is
campaigns_status.py, the stores' classes campaigns_stores.py.

The other parts of campaigns (serial codes, payouts, lotteries, surveys, store applications) add
their pages under /admin/campaigns; a tab to one is shown only once its route is served."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from aiohttp import web

from node.campaigns import actions
from node.runtime import Node
from node.web.actors import recorded_actor
from node.web.admin.campaigns_form import (
    KIND_FIELDS,
    KINDS,
    METHODS,
    ROUND_ROWS,
    campaign_input,
    chosen_kind,
)
from node.web.admin.form_errors import FAILED, NO_FAILURE, failed_form, shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.guard import form_values, read_form, requires
from node.web.i18n import TEXTS
from node.web.model import Role, Session
from node.web.pages import language

PAGE = "/admin/campaigns"
NEW = f"{PAGE}/new"
ID = "{campaign_id:cp_[0-9a-z]+}"  # so /admin/campaigns/new, /stores, /payouts are never an id
# The section's tabs: (route as registered, text key); shown only when the route is served.
SECTION_TABS = (
    (PAGE, "cpc_tab_list"),
    (NEW, "cpc_tab_new"),
    (f"{PAGE}/stores/classes", "cpc_tab_classes"),
    (f"{PAGE}/stores", "cpc_tab_applications"),
    (f"{PAGE}/payouts", "cpc_tab_payouts"),
    (f"{PAGE}/stores/banks", "cpp_tab_banks"),
)


def served(request: web.Request, route: str) -> bool:
    """Whether the app serves a GET at `route` (its canonical form: /x/{campaign_id})."""
    canonical = route.replace(ID, "{campaign_id}")
    return any(
        r.method == "GET" and r.resource is not None and r.resource.canonical == canonical
        for r in request.app.router.routes()
    )


def section_tabs(request: web.Request) -> list[tuple[str, str]]:
    return [(href, key) for href, key in SECTION_TABS if served(request, href)]


def state_of(campaign: dict[str, Any], now: datetime) -> str:
    """The badge: closed by the office, sold out, open, not yet open, or over."""
    if campaign["closed_at"] is not None:
        return "closed"
    if campaign["sold_out"]:
        return "sold_out"
    if campaign["is_open"]:
        return "open"
    return "scheduled" if now < datetime.fromisoformat(campaign["starts_at"]) else "ended"


def local_at(node: Node) -> Callable[[str | None], str]:
    """An answer's moment (ISO 8601, UTC) as the console shows times: in the node's zone."""
    zone = node.config.zone

    def show(moment: str | None) -> str:
        if not moment:
            return "—"
        return datetime.fromisoformat(moment).astimezone(zone).strftime("%Y-%m-%d %H:%M")

    return show


def share(part: int, whole: int | None) -> int | None:
    """Percent used, for the bars; None when there is no limit to be a share of."""
    if not whole:
        return None
    return min(100, part * 100 // whole)


@requires(Role.ADMIN)
async def overview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/campaigns: every campaign with its stock and budget used."""
    now = node.clock.now()
    listed = (await actions.list_campaigns(node))["campaigns"]
    rows = [
        {
            **c,
            "state": state_of(c, now),
            "stock_share": share(c["granted_sets"], c["stock"]),
            "budget_share": share(c["granted_yen"], c["budget_yen"]),
        }
        for c in listed
    ]
    context = {
        "campaigns": rows,
        "tabs": section_tabs(request),
        "tab": PAGE,
        "at": local_at(node),
    }
    return admin_page(request, node, session, "admin_campaigns.html", context, section=PAGE)


@requires(Role.ADMIN)
async def new_form(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/campaigns/new: the form, its fields marked with the kinds they belong to."""
    failed = failed_form(request)
    typed_rows = max(
        (int(k.rsplit("_", 1)[1]) for k in failed.typed if k.startswith("round_opens_")),
        default=0,
    )
    kind = chosen_kind({"kind": failed.kept("cp-new", "kind", "premium")})
    context = {
        "kinds": KINDS,
        "methods": METHODS,
        "kind": kind.value if kind else "premium",
        "kind_fields": {
            name: " ".join(sorted(k.value for k in kinds)) for name, kinds in KIND_FIELDS.items()
        },
        "round_rows": range(1, max(ROUND_ROWS, typed_rows + 1) + 1),
        "tabs": section_tabs(request),
        "tab": NEW,
    }
    return admin_page(request, node, session, "admin_campaigns_new.html", context, section=PAGE)


async def _form_again(request: web.Request) -> web.StreamResponse:
    """The form shown again after a refusal, in the console's own words for the field at fault
    (`cpc_field:<field>`: what the core's rule for that field asks)."""
    failed = failed_form(request)
    own = TEXTS.get(f"cpc_field:{failed.field}")
    if failed is not NO_FAILURE and failed.code == "campaign.invalid" and own is not None:
        request[FAILED] = replace(failed, message=own[1 if language(request) == "en" else 0])
    shown: web.StreamResponse = await new_form(request)
    return shown


@requires(Role.ADMIN)
@shown_inline("cp-new", _form_again)
async def create(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/campaigns: the campaign made, then its own page."""
    form = await read_form(request)
    sent = campaign_input(form, await form_values(request, "eligibility"), node.config.zone)
    made = await actions.create_campaign(node, sent, recorded_actor(session))
    return after_action(f"{PAGE}/{made['campaign_id']}", "done_cpc_created")


def routes() -> list[web.RouteDef]:
    return [
        web.get(PAGE, overview),
        web.get(NEW, new_form),
        web.post(PAGE, create),
    ]
