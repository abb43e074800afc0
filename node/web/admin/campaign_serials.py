"""A campaign's serial codes in the console (シリアルコード): how many are printed and used, and a
new print run drawn and downloaded at once as the printer's CSV (the node keeps only hashes, so
the download is the one copy of the plain codes). The same action as `kippu campaign serials`
and the admin API (node/campaigns/serial_actions.py)."""

from __future__ import annotations

from aiohttp import web

from node.campaigns import actions, eligibility_queries, serial_actions
from node.campaigns.model import Method
from node.campaigns.serials import printing_csv
from node.clock import iso
from node.errors import InvalidSerialCount
from node.runtime import Node
from node.web.admin.campaigns import ID, PAGE, local_at, state_of
from node.web.admin.campaigns_status import campaign_tabs
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page
from node.web.guard import read_form, requires
from node.web.model import Role, Session

SERIALS = f"{PAGE}/{ID}/serials"
FORM = "cp-serials"


@requires(Role.ADMIN)
async def serials_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/campaigns/{campaign_id}/serials: printed and used, and the print-run form."""
    campaign_id = request.match_info["campaign_id"]
    answer = await actions.campaign_status(node, campaign_id)
    printed, used = await eligibility_queries.serial_counts(node.require_reader(), campaign_id)
    context = {
        "c": answer,
        "state": state_of(answer, node.clock.now()),
        "at": local_at(node),
        "tabs": campaign_tabs(request, campaign_id),
        "tab": request.path,
        "asks_serial": Method.SERIAL.value in answer["eligibility"],
        "printed": printed,
        "used": used,
        "max_batch": serial_actions.MAX_BATCH,
    }
    return admin_page(request, node, session, "admin_campaign_serials.html", context, section=PAGE)


def _count(typed: str) -> int:
    text = typed.strip().replace(",", "").translate({c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)})
    if not text.isascii() or not text.isdigit() or len(text) > 7:
        raise InvalidSerialCount(field="count", max=serial_actions.MAX_BATCH)
    return int(text)


@requires(Role.ADMIN)
@shown_inline(FORM, serials_page)
async def print_run(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/campaigns/{campaign_id}/serials: draw the codes and download them at once."""
    campaign_id = request.match_info["campaign_id"]
    count = _count((await read_form(request)).get("count", ""))
    answer = await serial_actions.generate_serials(node, campaign_id, count)
    moment = str(iso(node.clock.now())).replace(":", "").replace("-", "")
    return web.Response(
        text=printing_csv(campaign_id, answer["serials"]),
        content_type="text/csv",
        charset="utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="serials-{campaign_id}-{moment}.csv"',
            "Cache-Control": "no-store",
        },
    )


def routes() -> list[web.RouteDef]:
    return [web.get(SERIALS, serials_page), web.post(SERIALS, print_run)]
