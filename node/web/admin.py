"""The operations console (運用管理) for head office: the dashboard."""

from __future__ import annotations

from aiohttp import web

from node.app import Node
from node.settlement import queries as settlement_queries
from node.web import reports
from node.web.guard import requires
from node.web.model import Role, Session
from node.web.pages import render


@requires(Role.ADMIN)
async def dashboard(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    reader = node.require_reader()
    days = await reports.by_day(reader, node.clock.now(), node.config.zone)
    peak = max([1] + [max(d.sales_yen, d.redeemed_yen) for d in days])
    context = {
        "account": session.account,
        "liability": await reports.liability_yen(reader),
        "days": days,
        "peak": peak,
        "stores": await reports.by_store(reader),
        "partners": await settlement_queries.balances(reader),
        "name": node.config.node.name,
    }
    return render(
        request, "admin_dashboard.html", context, zone=node.config.zone, csrf=session.csrf
    )


def routes() -> list[web.RouteDef]:
    return [web.get("/admin", dashboard)]
