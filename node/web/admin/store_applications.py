"""The console's participating stores (加盟店): applications to review (approve: the store is
made, marked a small local shop when it asked, given its store code, and the applicant mailed;
reject with a reason, mailed too: node/web/store_decisions.py, shared with the admin API), the
approved stores with their codes, and each store's A4 QR poster (PDF)."""

from __future__ import annotations

from aiohttp import web

from node.campaigns import store_actions, store_queries
from node.campaigns.store_model import ApplicationStatus
from node.errors import StoreNotFound
from node.ledger import queries as ledger_queries
from node.runtime import Node
from node.web import store_decisions, store_poster
from node.web.actors import recorded_actor
from node.web.admin.campaigns import PAGE as CAMPAIGNS
from node.web.admin.campaigns import section_tabs
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.guard import read_form, requires
from node.web.model import Role, Session

PAGE = f"{CAMPAIGNS}/stores"


@requires(Role.ADMIN)
async def overview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    applications = await store_actions.applications(node, None)
    pending = [a for a in applications if a.status == ApplicationStatus.PENDING]
    decided = [a for a in applications if a.status != ApplicationStatus.PENDING]
    stores = await store_queries.payable_stores(node.require_reader(), "")
    context = {
        "pending": pending,
        "decided": decided,
        "stores": stores,
        "tabs": section_tabs(request),
        "tab": PAGE,
    }
    return admin_page(
        request, node, session, "admin_campaign_stores.html", context, section=CAMPAIGNS
    )


@requires(Role.ADMIN)
@shown_inline("approve-{application_id}", overview)
async def approve(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    decision = await store_decisions.approve(
        node, request.match_info["application_id"], recorded_actor(session)
    )
    done = "done_cst_approved" if decision.is_mailed else "done_cst_approved_unmailed"
    return after_action(PAGE, done)


@requires(Role.ADMIN)
@shown_inline("reject-{application_id}", overview)
async def reject(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    form = await read_form(request)
    decision = await store_decisions.reject(
        node,
        request.match_info["application_id"],
        form.get("reject_reason", ""),
        recorded_actor(session),
    )
    done = "done_cst_rejected" if decision.is_mailed else "done_cst_rejected_unmailed"
    return after_action(PAGE, done)


@requires(Role.ADMIN)
async def poster(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    store_id = request.match_info["store_id"]
    if await ledger_queries.get_store(node.require_reader(), store_id) is None:
        raise StoreNotFound()
    return await store_poster.poster_response(node, store_id)


def routes() -> list[web.RouteDef]:
    return [
        web.get(PAGE, overview),
        web.post(PAGE + "/{application_id}/approve", approve),
        web.post(PAGE + "/{application_id}/reject", reject),
        web.get(PAGE + "/{store_id}/poster.pdf", poster),
    ]
