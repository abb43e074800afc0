"""The console's first page: liability, sales and redemptions by day and store, partner balances."""

from __future__ import annotations

from aiohttp import web

from node.ledger import report_queries as reports
from node.runtime import Node
from node.settlement import queries as settlement_queries
from node.web.admin.frame import admin_page
from node.web.guard import requires
from node.web.model import Role, Session


@requires(Role.ADMIN)
async def dashboard(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    reader = node.require_report_reader()
    days = await reports.by_day(reader, node.clock.now(), node.config.zone)
    peak = max([1] + [max(d.sales_yen, d.redeemed_yen) for d in days])
    context = {
        "liability": await reports.liability_yen(reader),
        "days": days,
        "peak": peak,
        "stores": await reports.by_store(reader),
        "partners": await settlement_queries.balances(reader),
    }
    return admin_page(request, node, session, "admin_dashboard.html", context, section="/admin")


def routes() -> list[web.RouteDef]:
    return [web.get("/admin", dashboard)]
