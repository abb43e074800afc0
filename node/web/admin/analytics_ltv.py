"""LTV by month acquired and cohort retention on the console's 顧客分析 page: the LTV as bars
(charts.py: axes, a value over each bar, a <title> per bar) with its table, the cohorts as a
table shaded by share (a title per cell); and the CSV behind each (/admin/analytics/ltv.csv,
/cohorts.csv). The figures are node/crm's (analytics_actions.py), the same the admin API and
`kippu analytics ltv|cohorts` answer."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from aiohttp import web

from node.crm import analytics_actions
from node.crm.cohorts import COHORT_MONTHS, Cohort, month_index, month_name
from node.crm.facts import Period
from node.crm.ltv import LtvReport
from node.http.input import only_query
from node.runtime import Node
from node.web.admin.charts import BarChart, grouped_bars
from node.web.admin.exports import csv_lines, csv_response
from node.web.guard import requires
from node.web.model import Role, Session

CHART_MONTHS = 12
HEAT_STEPS = 5  # shades of a cohort's cell: heat-0 (nobody) .. heat-5 (everyone)
QUERY = ("as_of", "margin_percent")


@dataclass(frozen=True)
class CohortCell:
    months_since: int
    month: str  # YYYY-MM the customers paid in
    retained: int
    share: Fraction
    heat: int


@dataclass(frozen=True)
class CohortRow:
    cohort: Cohort
    cells: tuple[CohortCell, ...]


def heat(share: Fraction) -> int:
    """0 for nobody, else 1..HEAT_STEPS by fifths (everyone is the darkest)."""
    if share <= 0:
        return 0
    return min(HEAT_STEPS, int(share * HEAT_STEPS) + 1)


def ltv_chart(report: LtvReport, as_of_month: str) -> BarChart:
    """The average LTV of each of the last CHART_MONTHS calendar months up to the stated day's;
    a month nobody was acquired in keeps its place on the axis with no bar."""
    by_month = {m.month: m.average_ltv_yen for m in report.months}
    last = month_index(as_of_month)
    months = [month_name(last - k) for k in range(CHART_MONTHS - 1, -1, -1)]
    groups = [(month, (("ltv", by_month[month]),) if month in by_month else ()) for month in months]
    return grouped_bars(groups, short_label=lambda month: month[2:].replace("-", "/"))


def cohort_rows(found: list[Cohort]) -> list[CohortRow]:
    rows = []
    for cohort in found:
        first = month_index(cohort.month)
        cells = tuple(
            CohortCell(k, month_name(first + k), n, share, heat(share))
            for k, (n, share) in enumerate(zip(cohort.retained, cohort.shares, strict=True))
        )
        rows.append(CohortRow(cohort, cells))
    return rows


async def ltv_cohort_context(node: Node, period: Period, margin: Fraction) -> dict[str, Any]:
    """What the analytics page shows of LTV and cohorts, as of the period's day."""
    report = await analytics_actions.ltv(node, period, margin)
    found = await analytics_actions.cohort_report(node, period)
    as_of_month = period.as_of.strftime("%Y-%m")
    return {
        "margin": margin_text(margin),
        "ltv": report,
        "ltv_chart": ltv_chart(report, as_of_month) if report.months else None,
        "ltv_by_month": {m.month: m for m in report.months},
        "cohorts": cohort_rows(found),
        "cohort_columns": range(max((len(c.retained) for c in found), default=0)),
        "cohort_span": COHORT_MONTHS,
    }


def margin_text(margin: Fraction) -> str:
    """30 as "30", 33.33 as "33.33": the percentage as typed, for the form and the address."""
    if margin.denominator == 1:
        return str(margin.numerator)
    return f"{float(margin):.2f}".rstrip("0").rstrip(".")


def read_margin(node: Node, request: web.Request) -> Fraction:
    return analytics_actions.read_margin(node, request.query.get("margin_percent") or None)


@requires(Role.ADMIN)
async def ltv_csv(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    only_query(request, *QUERY)
    period = analytics_actions.read_period(node, request.query.get("as_of") or None, None)
    margin = read_margin(node, request)
    report = await analytics_actions.ltv(node, period, margin)
    header = [
        "month",
        "customers",
        "spend_yen",
        "gross_profit_yen",
        "average_ltv_yen",
        "margin_percent",
    ]
    shown = margin_text(margin)
    rows = [
        [m.month, m.customers, m.spend_yen, m.gross_profit_yen, m.average_ltv_yen, shown]
        for m in report.months
    ]
    return csv_response(f"ltv-{period.as_of.isoformat()}.csv", csv_lines([header, *rows]))


@requires(Role.ADMIN)
async def cohorts_csv(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    only_query(request, *QUERY)
    period = analytics_actions.read_period(node, request.query.get("as_of") or None, None)
    found = await analytics_actions.cohort_report(node, period)
    header = ["cohort_month", "customers", "months_since", "month", "retained", "share"]
    rows = [
        [
            row.cohort.month,
            row.cohort.customers,
            cell.months_since,
            cell.month,
            cell.retained,
            round(float(cell.share), 4),
        ]
        for row in cohort_rows(found)
        for cell in row.cells
    ]
    return csv_response(f"cohorts-{period.as_of.isoformat()}.csv", csv_lines([header, *rows]))


def routes() -> list[web.RouteDef]:
    return [
        web.get("/admin/analytics/ltv.csv", ltv_csv),
        web.get("/admin/analytics/cohorts.csv", cohorts_csv),
    ]
