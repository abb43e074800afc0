"""The analytics as JSON: what the admin API answers and the CLI and console show. Shares are
decimals rounded to four places; yen are whole."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from node.crm.analytics_actions import RfmReport
from node.crm.cohorts import Cohort
from node.crm.facts import Period
from node.crm.kpi import Kpis
from node.crm.ltv import LtvReport
from node.crm.pareto import Pareto
from node.crm.rfm_classes import CLASS_NAMES_JA, RfmClass


def share(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 4)


def period_json(period: Period) -> dict[str, Any]:
    return {
        "as_of": period.as_of.isoformat(),
        "window_days": period.window_days,
        "window_from": period.first_day.isoformat(),
    }


def rfm_json(report: RfmReport) -> dict[str, Any]:
    counts = report.counts
    return period_json(report.period) | {
        "customers": report.customers,
        "cuts": {
            "recency_days": list(report.cuts.recency_days),
            "frequency": list(report.cuts.frequency),
            "monetary_yen": list(report.cuts.monetary_yen),
        },
        "classes": [
            {"class": str(c), "name_ja": CLASS_NAMES_JA[c], "customers": counts[c]}
            for c in RfmClass
        ],
        "rows": [
            {
                "customer_id": row.customer_id,
                "recency_days": row.recency_days,
                "frequency": row.frequency,
                "monetary_yen": row.monetary_yen,
                "r": row.r,
                "f": row.f,
                "m": row.m,
                "class": str(row.rfm_class),
            }
            for row in report.rows
        ],
    }


def pareto_json(period: Period, found: Pareto) -> dict[str, Any]:
    return period_json(period) | {
        "customers": found.customers,
        "total_yen": found.total_yen,
        "top20_customers": found.top20_customers,
        "top20_yen": found.top20_yen,
        "top20_share": share(found.top20_share),
        "curve": [share(point) for point in found.curve],
    }


def ltv_json(period: Period, report: LtvReport) -> dict[str, Any]:
    return {
        "as_of": period.as_of.isoformat(),
        "margin_percent": share(report.margin_percent),
        "customers": report.customers,
        "spend_yen": report.spend_yen,
        "gross_profit_yen": report.gross_profit_yen,
        "average_ltv_yen": report.average_ltv_yen,
        "months": [
            {
                "month": m.month,
                "customers": m.customers,
                "spend_yen": m.spend_yen,
                "gross_profit_yen": m.gross_profit_yen,
                "average_ltv_yen": m.average_ltv_yen,
            }
            for m in report.months
        ],
    }


def kpi_json(period: Period, found: Kpis) -> dict[str, Any]:
    return period_json(period) | {
        "members": found.members,
        "new_members": [{"month": m, "members": n} for m, n in found.new_by_month],
        "active_members": found.active_members,
        "paying_customers": found.paying_customers,
        "payments": found.payments,
        "spend_yen": found.spend_yen,
        "repeat_rate": share(found.repeat_rate),
        "average_spend_yen": found.average_spend_yen,
        "average_payment_yen": found.average_payment_yen,
        "liability_yen": found.liability_yen,
        "stores": [
            {
                "store_id": s.store_id,
                "name": s.name,
                "spend_yen": s.spend_yen,
                "payments": s.payments,
                "visits": s.visits,
                "customers": s.customers,
            }
            for s in found.stores
        ],
    }


def cohorts_json(period: Period, found: list[Cohort]) -> dict[str, Any]:
    return {
        "as_of": period.as_of.isoformat(),
        "cohorts": [
            {
                "month": c.month,
                "customers": c.customers,
                "retained": list(c.retained),
                "shares": [share(s) for s in c.shares],
            }
            for c in found
        ],
    }
