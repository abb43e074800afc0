"""The console's points reports (/admin/points/report): the points roll-forward of a run of days
(held at the start, each kind of entry, held at the end, the yen value, the last twelve months'
non-use rate: the figures 収益認識 needs) and which goods the regulars keep buying."""

from __future__ import annotations

from aiohttp import web

from node.http.input import only_query
from node.points.report_actions import items_report, period, points_report
from node.runtime import Node
from node.web.admin.frame import admin_page
from node.web.guard import requires
from node.web.model import Role, Session

ITEMS_SHOWN = 100


@requires(Role.ADMIN)
async def report_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    only_query(request, "from", "to")
    today = node.clock.now().astimezone(node.config.zone).date()
    first_day, last_day = period(request.query.get("from"), request.query.get("to"), today)
    report = await points_report(node, first_day, last_day)
    items = await items_report(node, first_day, last_day)
    context = {
        "first_day": first_day.isoformat(),
        "last_day": last_day.isoformat(),
        "report": report,
        "rate": report.non_use_rate,
        "items": items,
        "shown_items": items.items[:ITEMS_SHOWN],
        "carried": [item for item in items.items if item.carried_by_regulars],
    }
    return admin_page(
        request, node, session, "admin_points_report.html", context, section="/admin/points"
    )


def routes() -> list[web.RouteDef]:
    return [web.get("/admin/points/report", report_page)]
