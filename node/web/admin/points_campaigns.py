"""The console's point campaigns (キャンペーン): a multiplier at one store or all for a period
to come, added on the points page; a campaign cancelled after a confirm step (purchases made while
it ran keep their points). The same actions as the admin API (node/points/program_actions.py)."""

from __future__ import annotations

from aiohttp import web

from node.errors import CampaignNotFound
from node.ledger import queries as ledger_queries
from node.points import program_actions, queries
from node.points.program_actions import CampaignInput
from node.runtime import Node
from node.web.actors import recorded_actor
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.admin.points import PAGE, overview
from node.web.admin.points_forms import local_moment, whole
from node.web.guard import read_form, requires
from node.web.model import Role, Session

CAMPAIGNS = f"{PAGE}/campaigns"


@requires(Role.ADMIN)
@shown_inline("pt-campaign", overview)
async def add(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/points/campaigns: store empty is every store."""
    form = await read_form(request)
    zone = node.config.zone
    sent = CampaignInput(
        name=form.get("name", "")[:200],
        multiplier_pct=whole(form, "multiplier_pct"),
        starts_at=local_moment(form, "starts_at", zone),
        ends_at=local_moment(form, "ends_at", zone),
        store_id=form.get("store_id", "")[:40] or None,
    )
    await program_actions.add_campaign(node, sent, recorded_actor(session))
    return after_action(PAGE, "done_pnt_campaign_added")


@requires(Role.ADMIN)
async def confirm_cancel(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/points/campaigns/{campaign_id}/cancel: what stops, asked once more."""
    campaign_id = request.match_info["campaign_id"]
    reader = node.require_reader()
    found = await queries.campaign(reader, campaign_id)
    if found is None:
        raise CampaignNotFound(campaign_id=campaign_id)
    store = (
        None if found.store_id is None else await ledger_queries.get_store(reader, found.store_id)
    )
    context = {"campaign": found, "store": store, "now": node.clock.now()}
    return admin_page(
        request, node, session, "admin_points_campaign_cancel.html", context, section=PAGE
    )


@requires(Role.ADMIN)
async def cancel(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/points/campaigns/{campaign_id}/cancel: stopped from now on (once)."""
    await read_form(request)
    await program_actions.cancel_campaign(node, request.match_info["campaign_id"])
    return after_action(PAGE, "done_pnt_campaign_cancelled")


def routes() -> list[web.RouteDef]:
    return [
        web.post(CAMPAIGNS, add),
        web.get(CAMPAIGNS + "/{campaign_id}/cancel", confirm_cancel),
        web.post(CAMPAIGNS + "/{campaign_id}/cancel", cancel),
    ]
