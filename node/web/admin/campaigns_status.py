"""One campaign in the console: where its budget is (予算 = 付与済 + 残り; 付与済 = 利用済 + 失効 +
未使用残高, read from the ledger, with the alarm when the two books disagree), its rounds, checks
and terms; the office's grant to a customer found by id or email; closing it after a confirm step.
The same actions as the admin API (node/campaigns/actions.py)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from aiohttp import web

from node.campaigns import actions, grant_keys
from node.clock import ordered_id
from node.errors import ValidationError
from node.ledger import record_queries
from node.runtime import Node
from node.web.actors import recorded_actor
from node.web.admin.campaigns import ID, PAGE, local_at, served, state_of
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.admin.vouchers import MAX_QUERY_CHARS
from node.web.guard import read_form, requires
from node.web.model import Role, Session

ONE = f"{PAGE}/{ID}"
FOUND_LIMIT = 20
VOUCHER_ID = re.compile(r"[0-9A-Za-z_-]{1,40}")  # shown from the address: ids only
# The other parts' pages of one campaign: (route, text key); a tab shows once its route is served.
CAMPAIGN_TABS = (
    (ONE, "cpc_tab_status"),
    (f"{ONE}/serials", "cpc_tab_serials"),
    (f"{ONE}/lottery", "cpc_tab_lottery"),
    (f"{ONE}/survey", "cpc_tab_survey"),
)


def campaign_tabs(request: web.Request, campaign_id: str) -> list[tuple[str, str]]:
    return [
        (route.replace(ID, campaign_id), key)
        for route, key in CAMPAIGN_TABS
        if served(request, route)
    ]


async def _found(node: Node, text: str) -> list[Any]:
    """Customers whose name or email contains `text` (the console's customer search)."""
    if not text:
        return []
    if len(text) > MAX_QUERY_CHARS:
        raise ValidationError("The search text (`q`) is too long.", field="q")
    return await record_queries.search_customers(node.require_report_reader(), text, FOUND_LIMIT)


@requires(Role.ADMIN)
async def status(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/campaigns/{campaign_id}[?q=]: the reconciliation, terms, and the grant form."""
    campaign_id = request.match_info["campaign_id"]
    answer = await actions.campaign_status(node, campaign_id)
    now = node.clock.now()
    rounds = [
        {**r, "opened": datetime.fromisoformat(r["opens_at"]) <= now} for r in answer["rounds"]
    ]
    query = request.query.get("q", "").strip()
    granted = request.query.get("voucher", "")[:40]
    context = {
        "c": {**answer, "rounds": rounds},
        "state": state_of(answer, now),
        "at": local_at(node),
        "tabs": campaign_tabs(request, campaign_id),
        "tab": request.path,
        "q": query,
        "found": await _found(node, query),
        "found_limit": FOUND_LIMIT,
        "granted": granted if VOUCHER_ID.fullmatch(granted) else "",
        # The grant forms' one-time key: a double click or a resent form grants once.
        "grant_key": ordered_id(now, node.rng, "cpg"),
    }
    return admin_page(request, node, session, "admin_campaign.html", context, section=PAGE)


async def _customer_id(node: Node, typed: str) -> str:
    """A customer id as typed, or the one customer with that email exactly."""
    text = typed.strip()[:MAX_QUERY_CHARS]
    reader = node.require_report_reader()
    if text and await record_queries.get_customer(reader, text) is not None:
        return text
    if "@" in text:
        same = [
            c
            for c in await record_queries.search_customers(reader, text, FOUND_LIMIT)
            if (c.email or "").lower() == text.lower()
        ]
        if len(same) == 1:
            return str(same[0].customer_id)
    raise ValidationError("No customer has that id or email.", field="customer")


@requires(Role.ADMIN)
@shown_inline("cp-grant", status)
async def grant(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/campaigns/{campaign_id}/grants: the office's grant, by a resident's rules."""
    form = await read_form(request)
    campaign_id = request.match_info["campaign_id"]
    customer_id = await _customer_id(node, form.get("customer", ""))
    actor = recorded_actor(session)
    sent = form.get("key", "")
    key = grant_keys.grant_key(sent, actor, campaign_id, customer_id) if sent else None
    made = await actions.grant(node, campaign_id, customer_id, actor, key=key)
    return after_action(
        f"{PAGE}/{campaign_id}", "done_cpc_granted", voucher=str(made["voucher_id"])
    )


@requires(Role.ADMIN)
async def confirm_close(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/campaigns/{campaign_id}/close: what stops (and what does not), asked once more."""
    answer = await actions.campaign_status(node, request.match_info["campaign_id"])
    return admin_page(
        request,
        node,
        session,
        "admin_campaign_close.html",
        {"c": answer, "at": local_at(node)},
        section=PAGE,
    )


@requires(Role.ADMIN)
@shown_inline("cp-close", confirm_close)
async def close(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/campaigns/{campaign_id}/close: no more grants; coupons given stay usable."""
    await read_form(request)
    campaign_id = request.match_info["campaign_id"]
    await actions.close_campaign(node, campaign_id)
    return after_action(f"{PAGE}/{campaign_id}", "done_cpc_closed")


def routes() -> list[web.RouteDef]:
    return [
        web.get(ONE, status),
        web.post(f"{ONE}/grants", grant),
        web.get(f"{ONE}/close", confirm_close),
        web.post(f"{ONE}/close", close),
    ]
