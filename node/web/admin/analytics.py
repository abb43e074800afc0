"""The console's customer analytics (/admin/analytics, under 顧客): as of a stated day, the key
figures, the 80:20 curve with the top fifth's share, the RFM classes; and the CSV behind each
(/admin/analytics/rfm.csv, /pareto.csv); LTV by month acquired and cohort retention from
analytics_ltv.py. The figures are node/crm's, the same the admin API and `kippu analytics`
answer."""

from __future__ import annotations

from aiohttp import web

from node.crm import analytics_actions
from node.crm.rfm_classes import CLASS_NAMES_JA, RfmClass
from node.http.input import only_query
from node.runtime import Node
from node.web.admin import analytics_ltv
from node.web.admin.exports import csv_lines, csv_response
from node.web.admin.frame import admin_page
from node.web.admin.pareto_chart import pareto_chart
from node.web.guard import requires
from node.web.model import Role, Session

SECTION = "/admin/customers"


@requires(Role.ADMIN)
async def analytics_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    only_query(request, *analytics_ltv.QUERY)
    period = analytics_actions.read_period(node, request.query.get("as_of") or None, None)
    margin = analytics_ltv.read_margin(node, request)
    rfm = await analytics_actions.rfm_report(node, period, 0, 0)
    found = await analytics_actions.pareto_report(node, period)
    kpis = await analytics_actions.kpi_report(node, period)
    counts = rfm.counts
    context = {
        "as_of": period.as_of.isoformat(),
        "window_from": period.first_day.isoformat(),
        "kpis": kpis,
        "pareto": found,
        "chart": pareto_chart(found.curve) if found.curve else None,
        "classes": [(c, CLASS_NAMES_JA[c], counts[c]) for c in RfmClass],
        "scored": rfm.customers,
        **await analytics_ltv.ltv_cohort_context(node, period, margin),
    }
    return admin_page(request, node, session, "admin_analytics.html", context, section=SECTION)


@requires(Role.ADMIN)
async def rfm_csv(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    only_query(request, "as_of")
    period = analytics_actions.read_period(node, request.query.get("as_of") or None, None)
    rfm = await analytics_actions.rfm_report(node, period)
    header = ["customer_id", "recency_days", "frequency", "monetary_yen", "r", "f", "m", "class"]
    rows = [
        [
            r.customer_id,
            r.recency_days,
            r.frequency,
            r.monetary_yen,
            r.r,
            r.f,
            r.m,
            str(r.rfm_class),
        ]
        for r in rfm.rows
    ]
    return csv_response(f"rfm-{period.as_of.isoformat()}.csv", csv_lines([header, *rows]))


@requires(Role.ADMIN)
async def pareto_csv(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    only_query(request, "as_of")
    period = analytics_actions.read_period(node, request.query.get("as_of") or None, None)
    found = await analytics_actions.pareto_report(node, period)
    rows = [[p, round(float(share), 6)] for p, share in enumerate(found.curve)]
    body = csv_lines([["top_percent_of_customers", "share_of_spend"], *rows])
    return csv_response(f"pareto-{period.as_of.isoformat()}.csv", body)


def routes() -> list[web.RouteDef]:
    return [
        web.get("/admin/analytics", analytics_page),
        web.get("/admin/analytics/rfm.csv", rfm_csv),
        web.get("/admin/analytics/pareto.csv", pareto_csv),
        *analytics_ltv.routes(),
    ]
