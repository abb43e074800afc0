"""The console's carried amounts (繰越): every store that owes back from its payouts (a void of a
coupon paid in an earlier run, deducted from its next runs), a write-off form for each (the
amount shown is the amount confirmed, with the reason), the write-offs so far and each store's
books against its revenue account. The same actions as the admin API and `kippu campaign
carries` / `write-off` (node/campaigns/carry_actions.py); nothing here reads SQL."""

from __future__ import annotations

from aiohttp import web

from node.campaigns import carry_actions
from node.campaigns.carry_core import MAX_REASON_CHARS
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
MAX_AMOUNT_CHARS = 12


@requires(Role.ADMIN)
async def overview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/campaigns/payouts/carries: who owes what, the write-offs, the stores' books."""
    context = {
        **(await carry_actions.list_carries(node)),
        "stores": await carry_actions.store_books(node),
        "max_reason": MAX_REASON_CHARS,
        "tabs": section_tabs(request),
        "tab": f"{PAGE}/payouts",
        "at": local_at(node),
    }
    return admin_page(request, node, session, "admin_campaign_carries.html", context, section=PAGE)


@requires(Role.ADMIN)
@shown_inline("cw-{store_id}", overview)
async def write_off(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST …/carries/{store_id}/write-off: all the store owes, as the page showed it, forgone."""
    form = await read_form(request)
    amount_text = form.get("amount_yen", "").strip()[:MAX_AMOUNT_CHARS]
    if not amount_text.isdigit():
        raise InvalidAmount("the amount shown is not a whole number of yen", field="amount_yen")
    await carry_actions.write_off(
        node,
        request.match_info["store_id"],
        int(amount_text),
        form.get("reason", ""),
        recorded_actor(session),
    )
    return after_action(CARRIES, "done_cpy_write_off")


def routes() -> list[web.RouteDef]:
    return [web.get(CARRIES, overview), web.post(WRITE_OFF, write_off)]
