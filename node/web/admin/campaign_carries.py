"""The console's carried amounts (繰越): every store that owes back from its payouts (a void of a
coupon paid in an earlier run, deducted from its next runs), for each a form to record the
store's repayment, a write-off form (the amount shown is the amount confirmed, with the reason)
and, for a legacy carry waiting for review, a form to keep it for the runs to net; the
write-offs and repayments so far and each store's books against its revenue account. The same
actions as the admin API and `kippu campaign carries` / `write-off` / `carry-repaid` /
`carry-keep` (node/campaigns/carry_actions.py); nothing here reads SQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from node.campaigns import carry_actions
from node.campaigns.carry_core import MAX_REASON_CHARS
from node.clock import ordered_id
from node.errors import InvalidAmount
from node.runtime import Node
from node.web.actors import recorded_actor
from node.web.admin.campaigns import PAGE, local_at, section_tabs
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.guard import read_form, requires
from node.web.model import Role, Session

CARRIES = f"{PAGE}/payouts/carries"
WRITE_OFF = f"{CARRIES}/{{store_id}}/write-off"
REPAID = f"{CARRIES}/{{store_id}}/repaid"
KEEP = f"{CARRIES}/{{store_id}}/keep"
MAX_AMOUNT_CHARS = 12


@requires(Role.ADMIN)
async def overview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/campaigns/payouts/carries: who owes what, the write-offs, the stores' books."""
    listed = await carry_actions.list_carries(node)
    now = node.clock.now()
    context = {
        **listed,
        # Each store's forms' one-time key (the form adds -r, -k or -w): a double click or a
        # resent form records once (a repayment's amount alone cannot tell a retry apart).
        "form_keys": {c["store_id"]: ordered_id(now, node.rng, "cpk") for c in listed["carries"]},
        "stores": await carry_actions.store_books(node),
        "max_reason": MAX_REASON_CHARS,
        "tabs": section_tabs(request),
        "tab": f"{PAGE}/payouts",
        "at": local_at(node),
    }
    return admin_page(request, node, session, "admin_campaign_carries.html", context, section=PAGE)


def _amount(form: dict[str, str]) -> int:
    amount_text = form.get("amount_yen", "").strip()[:MAX_AMOUNT_CHARS]
    if not amount_text.isdigit() or int(amount_text) <= 0:
        raise InvalidAmount("the amount is not a whole number of yen", field="amount_yen")
    return int(amount_text)


# What a carry's three forms record: (node, store_id, amount_yen, reason, actor, key) -> the record.
CarryRecord = Callable[[Node, str, int, str, str, str | None], Awaitable[dict[str, Any]]]


async def _record(
    request: web.Request, node: Node, session: Session, record: CarryRecord, done: str
) -> web.StreamResponse:
    form = await read_form(request)
    store_id = request.match_info["store_id"]
    reason = form.get("reason", "")
    key = form.get("key", "") or None  # the form's one-time key, drawn when the page rendered
    await record(node, store_id, _amount(form), reason, recorded_actor(session), key)
    return after_action(CARRIES, done)


@requires(Role.ADMIN)
@shown_inline("cw-{store_id}", overview)
async def write_off(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST …/carries/{store_id}/write-off: all the store owes, as the page showed it, forgone."""
    return await _record(request, node, session, carry_actions.write_off, "done_cpy_write_off")


@requires(Role.ADMIN)
@shown_inline("cr-{store_id}", overview)
async def repaid(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST …/carries/{store_id}/repaid: the store paid back the amount typed, at most its carry."""
    return await _record(request, node, session, carry_actions.repaid, "done_cpy_repaid")


@requires(Role.ADMIN)
@shown_inline("ck-{store_id}", overview)
async def keep(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST …/carries/{store_id}/keep: a legacy carry, as the page showed it, kept for netting."""
    return await _record(request, node, session, carry_actions.keep, "done_cpy_keep")


def routes() -> list[web.RouteDef]:
    return [
        web.get(CARRIES, overview),
        web.post(WRITE_OFF, write_off),
        web.post(REPAID, repaid),
        web.post(KEEP, keep),
    ]
