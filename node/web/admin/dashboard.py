"""The console's first page: today's and this month's figures (in the business day's time zone),
liability, sales and redemptions by day as a chart with axes and values, by store, partners."""

from __future__ import annotations

from aiohttp import web

from node.compliance import refund_actions
from node.compliance.acceptance import load_acceptance
from node.compliance.display import REQUIRED_ITEMS, missing_items
from node.compliance.reference_date import NEAR_THRESHOLD_PERCENT
from node.ledger import report_queries as reports
from node.ledger.calendar import local_day_span, local_month_span
from node.runtime import Node
from node.settlement import queries as settlement_queries
from node.web.admin.charts import grouped_bars
from node.web.admin.compliance_report import warnings_now
from node.web.admin.frame import admin_page
from node.web.admin.points_figures import home_figures
from node.web.guard import requires
from node.web.model import Role, Session


@requires(Role.ADMIN)
async def dashboard(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    reader = node.require_report_reader()
    now, zone = node.clock.now(), node.config.zone
    days = await reports.by_day(reader, now, zone)
    chart = grouped_bars(
        [(d.day, (("sales", d.sales_yen), ("redeemed", d.redeemed_yen))) for d in days]
    )
    today_start, today_end = local_day_span(now, zone)
    month_start, month_end = local_month_span(now, zone)
    context = {
        "liability": await reports.liability_yen(reader),
        "today": await reports.period_figures(reader, today_start, today_end),
        "month": await reports.period_figures(reader, month_start, month_end),
        "today_label": today_start.date().isoformat(),
        "month_label": month_start.strftime("%Y-%m"),
        "days": days,
        "chart": chart,
        "stores": await reports.by_store(reader),
        "partners": await settlement_queries.balances(reader),
        **await _compliance(node),
        "abolition": await refund_actions.abolition_state(node),  # 払戻し: shown while it matters
        "kijunbi_warnings": await warnings_now(node),  # the 基準日 report's (資金決済法)
        "near_percent": NEAR_THRESHOLD_PERCENT,
        "points": await home_figures(node),
    }
    return admin_page(request, node, session, "admin_dashboard.html", context, section="/admin")


async def _compliance(node: Node) -> dict[str, object]:
    """What the 資金決済法 duties lack: required display items, partners accepting unregistered."""
    issuer = node.config.issuer
    labels = dict(REQUIRED_ITEMS)
    acceptance = await load_acceptance(node.require_reader(), issuer)
    unregistered = 0 if issuer.is_registered else len(acceptance.unrelated_partners)
    return {
        "legal_missing": [(key, labels[key]) for key in missing_items(issuer)],
        "unregistered_partners": unregistered,
    }


def routes() -> list[web.RouteDef]:
    return [web.get("/admin", dashboard)]
