"""A campaign's own page in the wallet (/wallet/campaigns/<id>) and receiving its coupon: what it
offers, on what terms, which checks it asks for and which the resident passed, and the way to
receive it by its kind. A first-come coupon or a ticket book is asked for through the campaign's
waiting room (node/campaigns/rush.py), as the API's grant route does: granted, refused (shown on
the page in the reader's language), or a ticket whose wait page checks its place by itself
(static/campaign-wait.js, no meta refresh: axe-core and WCAG 2.2.1 refuse a page that reloads on a
timer) until decided; its "check now" link does the same without script.
A premium voucher's set is bought here by card (node/web/campaign_premium.py), or at the office's
counter."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from node.campaigns import actions, queries
from node.campaigns.model import CampaignKind
from node.campaigns.rush import RUSH, Reply
from node.errors import KippuError, PageNotFound
from node.runtime import Node
from node.web import campaign_sale
from node.web.campaign_public import live_listing
from node.web.campaign_render import in_reader_language, render_campaign_page
from node.web.campaign_verify import campaign_of
from node.web.campaign_words import AVAILABILITY_NAMES, KIND_HOW, KIND_NAMES, METHOD_NAMES
from node.web.guard import requires
from node.web.model import Role, Session
from node.web.signin import see_other
from node.web.wallet_pages import customer_of, shown_account

HOME = "/wallet/campaigns"
TICKET = re.compile(r"[A-Za-z0-9_-]{1,128}")
# Kinds received with the 受け取る button here (the others have their own way).
RECEIVED_HERE = {CampaignKind.FIRST_COME, CampaignKind.TICKET_BOOK}
# How often the wait page checks its place, bounded whatever the room asks.
MIN_REFRESH_MS, MAX_REFRESH_MS = 1_000, 10_000


def page_path(campaign_id: str) -> str:
    return f"{HOME}/{campaign_id}"


async def show(
    request: web.Request, node: Node, session: Session, *, error: KippuError | None = None
) -> web.Response:
    campaign_id = campaign_of(request)
    campaign = await actions.require_campaign(node, campaign_id)
    reader, customer_id = node.require_reader(), customer_of(session)
    passed = set(await queries.passed_methods(reader, campaign_id, customer_id))
    asked = [m.value for m in sorted(campaign.eligibility, key=lambda m: m.value)]
    held = await queries.coupons_of(reader, customer_id)
    mine = sorted(  # a premium set's 共通券 before its 専用券
        (c for c in held if c.campaign_id == campaign_id), key=lambda c: c.store_class != "common"
    )
    context: dict[str, Any] = {
        "account": await shown_account(node, session.account),
        "campaign": campaign,
        "item": await live_listing(reader, campaign, node.clock.now(), customer_id),
        "kind": campaign.kind.value,
        "received_here": campaign.kind in RECEIVED_HERE,
        "asked": asked,
        "passed": passed,
        "missing": [m for m in asked if m not in passed],
        "received": await queries.grants_of_person(reader, campaign_id, customer_id),
        "coupons": mine,
        "just_received": request.query.get("received") == "1",
        "kind_names": KIND_NAMES,
        "kind_how": KIND_HOW,
        "availability_names": AVAILABILITY_NAMES,
        "method_names": METHOD_NAMES,
        "error": error,
        **await campaign_sale.sale_context(request, node, campaign, customer_id),
    }
    status = 200 if error is None else error.http_status
    response = render_campaign_page(
        request, "campaigns/campaign.html", context, csrf=session.csrf, status=status
    )
    return campaign_sale.with_card_policy(node, response, context)


def refusal_shown(exc: KippuError) -> KippuError:
    """A refusal the resident can read is shown on the campaign's page; anything else goes up."""
    if not exc.is_actionable or exc.http_status >= 500:
        raise exc
    return exc


def _after(campaign_id: str, reply: Reply) -> web.Response:
    if reply.is_queued:
        return see_other(f"{page_path(campaign_id)}/wait/{reply.body['ticket']}")
    return see_other(f"{page_path(campaign_id)}?received=1")


@in_reader_language(home=HOME)
@requires(Role.CUSTOMER)
async def campaign_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    return await show(request, node, session)


@in_reader_language(home=HOME)
@requires(Role.CUSTOMER)
async def receive(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    campaign_id, customer_id = campaign_of(request), customer_of(session)
    rush = request.app[RUSH].require()
    try:
        reply = await rush.ask(campaign_id, customer_id, f"customer:{customer_id}")
    except KippuError as exc:
        return await show(request, node, session, error=refusal_shown(exc))
    return _after(campaign_id, reply)


@in_reader_language(home=HOME)
@requires(Role.CUSTOMER)
async def wait_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """A waiting ticket's place in line, polled at each check: the resident's own ticket only
    (another's is unknown to them), until the grant or its refusal."""
    campaign_id, ticket = campaign_of(request), request.match_info["ticket"]
    if not TICKET.fullmatch(ticket):
        raise PageNotFound()
    rush = request.app[RUSH].require()
    try:
        reply = rush.poll(campaign_id, ticket, customer_of(session))
    except KippuError as exc:
        return await show(request, node, session, error=refusal_shown(exc))
    if not reply.is_queued:
        return _after(campaign_id, reply)
    campaign = await actions.require_campaign(node, campaign_id)
    refresh_ms = int(reply.body["retry_after_ms"])
    context = {
        "account": await shown_account(node, session.account),
        "campaign": campaign,
        "position": int(reply.body["position"]),
        "refresh_ms": min(MAX_REFRESH_MS, max(MIN_REFRESH_MS, refresh_ms)),
        "ticket": ticket,
        "check_url": request.path,
    }
    return render_campaign_page(request, "campaigns/wait.html", context, csrf=session.csrf)


def routes() -> list[web.RouteDef]:
    return [
        web.get(f"{HOME}/{{campaign_id}}", campaign_page),
        web.post(f"{HOME}/{{campaign_id}}/receive", receive),
        web.get(f"{HOME}/{{campaign_id}}/wait/{{ticket}}", wait_page),
    ]
