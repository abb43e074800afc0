"""Admin API for the customer analytics, each as of a stated local day (`as_of`, today by
default): `GET /api/v1/analytics/rfm`, `/pareto`, `/ltv`, `/kpi`, `/cohorts`; and their part of
the OpenAPI document."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.crm import analytics_actions as actions
from node.crm.analytics_actions import MAX_WINDOW_DAYS, WHOLE
from node.crm.analytics_json import cohorts_json, kpi_json, ltv_json, pareto_json, rfm_json
from node.crm.facts import Period
from node.crm.rfm_classes import RfmClass
from node.errors import InvalidAnalytics
from node.http import input as body_input
from node.http.schema_parts import COUNT, YEN0, Schema, obj, op, ref
from node.runtime import NODE, Handler

DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
ROWS_LIMIT = 100
MAX_ROWS_LIMIT = 1000


def _period(request: web.Request) -> Period:
    return actions.read_period(
        request.app[NODE], request.query.get("as_of"), request.query.get("window_days")
    )


def _whole_query(request: web.Request, key: str, default: int, low: int, high: int) -> int:
    raw = request.query.get(key)
    if raw is None:
        return default
    if not WHOLE.fullmatch(raw) or not low <= int(raw) <= high:
        raise InvalidAnalytics(f"`{key}` must be a whole number from {low} to {high}.", field=key)
    return int(raw)


@body_input.accepts_query("as_of", "window_days", "limit", "offset")
async def rfm(request: web.Request) -> web.Response:
    period = _period(request)
    limit = _whole_query(request, "limit", ROWS_LIMIT, 0, MAX_ROWS_LIMIT)
    offset = _whole_query(request, "offset", 0, 0, 10**9)
    report = await actions.rfm_report(request.app[NODE], period, offset, limit)
    return web.json_response(rfm_json(report))


@body_input.accepts_query("as_of", "window_days")
async def pareto(request: web.Request) -> web.Response:
    period = _period(request)
    return web.json_response(
        pareto_json(period, await actions.pareto_report(request.app[NODE], period))
    )


@body_input.accepts_query("as_of", "margin_percent")
async def ltv(request: web.Request) -> web.Response:
    node = request.app[NODE]
    period = actions.read_period(node, request.query.get("as_of"), None)
    margin = actions.read_margin(node, request.query.get("margin_percent"))
    return web.json_response(ltv_json(period, await actions.ltv(node, period, margin)))


@body_input.accepts_query("as_of", "window_days")
async def kpi(request: web.Request) -> web.Response:
    period = _period(request)
    return web.json_response(kpi_json(period, await actions.kpi_report(request.app[NODE], period)))


@body_input.accepts_query("as_of")
async def cohorts(request: web.Request) -> web.Response:
    period = actions.read_period(request.app[NODE], request.query.get("as_of"), None)
    found = await actions.cohort_report(request.app[NODE], period)
    return web.json_response(cohorts_json(period, found))


ANALYTICS_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", "/api/v1/analytics/rfm", rfm),
    ("GET", "/api/v1/analytics/pareto", pareto),
    ("GET", "/api/v1/analytics/ltv", ltv),
    ("GET", "/api/v1/analytics/kpi", kpi),
    ("GET", "/api/v1/analytics/cohorts", cohorts),
)

DAY: Schema = {"type": "string", "pattern": DATE_PATTERN}
WINDOW: Schema = {"type": "integer", "minimum": 1, "maximum": MAX_WINDOW_DAYS}
SHARE: Schema = {"type": ["number", "null"], "minimum": 0, "maximum": 1}
MAYBE_YEN: Schema = {"type": ["integer", "null"], "minimum": 0}
PERIOD = {
    "as_of": {"type": "string", "format": "date"},
    "window_days": WINDOW,
    "window_from": {"type": "string", "format": "date"},
}
PERIOD_KEYS = ["as_of", "window_days", "window_from"]


def analytics_paths() -> dict[str, dict[str, Any]]:
    window = {"as_of": DAY, "window_days": WINDOW}
    return {
        "/api/v1/analytics/rfm": {
            "get": op(
                "RFM as of a local day: the quintile cuts, the customers in each class, and one"
                " page of customers' scores (docs/operations.md, 顧客分析)",
                ref("Rfm"),
                query=window
                | {
                    "limit": {"type": "integer", "minimum": 0, "maximum": MAX_ROWS_LIMIT},
                    "offset": {"type": "integer", "minimum": 0, "maximum": 10**9},
                },
                errors=(422,),
            )
        },
        "/api/v1/analytics/pareto": {
            "get": op(
                "80:20 as of a local day: the Pareto curve of paying customers by spend in the"
                " window and the share of spend made by the top 20 %",
                ref("Pareto"),
                query=window,
                errors=(422,),
            )
        },
        "/api/v1/analytics/ltv": {
            "get": op(
                "Historic LTV (gross profit) as of a local day, overall and by month of"
                " acquisition",
                ref("Ltv"),
                query={
                    "as_of": DAY,
                    "margin_percent": {"type": "string", "pattern": "^[0-9]{1,3}(\\.[0-9]{1,2})?$"},
                },
                errors=(422,),
            )
        },
        "/api/v1/analytics/kpi": {
            "get": op(
                "The key figures as of a local day: members, active, repeat rate, average spend,"
                " voucher liability, and each store's",
                ref("Kpi"),
                query=window,
                errors=(422,),
            )
        },
        "/api/v1/analytics/cohorts": {
            "get": op(
                "Retention of the last twelve months' cohorts (month of first payment)",
                ref("Cohorts"),
                query={"as_of": DAY},
                errors=(422,),
            )
        },
    }


def analytics_schemas() -> dict[str, Schema]:
    month = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}
    cuts = {"type": "array", "items": {"type": "integer", "minimum": 0}, "maxItems": 4}
    score = {"type": "integer", "minimum": 1, "maximum": 5}
    classes = [str(c) for c in RfmClass]
    rfm_row = obj(
        ["customer_id", "recency_days", "frequency", "monetary_yen", "r", "f", "m", "class"],
        customer_id={"type": "string"},
        recency_days=COUNT,
        frequency=COUNT,
        monetary_yen=YEN0,
        r=score,
        f=score,
        m=score,
        **{"class": {"type": "string", "enum": classes}},
    )
    class_count = obj(
        ["class", "name_ja", "customers"],
        name_ja={"type": "string"},
        customers=COUNT,
        **{"class": {"type": "string", "enum": classes}},
    )
    ltv_month = obj(
        ["month", "customers", "spend_yen", "gross_profit_yen", "average_ltv_yen"],
        month=month,
        customers=COUNT,
        spend_yen=YEN0,
        gross_profit_yen=YEN0,
        average_ltv_yen=YEN0,
    )
    store = obj(
        ["store_id", "name", "spend_yen", "payments", "visits", "customers"],
        store_id={"type": "string"},
        name={"type": "string"},
        spend_yen=YEN0,
        payments=COUNT,
        visits=COUNT,
        customers=COUNT,
    )
    cohort = obj(
        ["month", "customers", "retained", "shares"],
        month=month,
        customers=COUNT,
        retained={"type": "array", "items": COUNT},
        shares={"type": "array", "items": SHARE},
    )
    return {
        "Rfm": obj(
            [*PERIOD_KEYS, "customers", "cuts", "classes", "rows"],
            **PERIOD,
            customers=COUNT,
            cuts=obj(
                ["recency_days", "frequency", "monetary_yen"],
                recency_days=cuts,
                frequency=cuts,
                monetary_yen=cuts,
            ),
            classes={"type": "array", "items": class_count},
            rows={"type": "array", "items": rfm_row},
        ),
        "Pareto": obj(
            [
                *PERIOD_KEYS,
                "customers",
                "total_yen",
                "top20_customers",
                "top20_yen",
                "top20_share",
                "curve",
            ],
            **PERIOD,
            customers=COUNT,
            total_yen=YEN0,
            top20_customers=COUNT,
            top20_yen=YEN0,
            top20_share=SHARE,
            curve={"type": "array", "items": SHARE, "maxItems": 101},
        ),
        "Ltv": obj(
            [
                "as_of",
                "margin_percent",
                "customers",
                "spend_yen",
                "gross_profit_yen",
                "average_ltv_yen",
                "months",
            ],
            as_of={"type": "string", "format": "date"},
            margin_percent={"type": "number", "minimum": 0, "maximum": 100},
            customers=COUNT,
            spend_yen=YEN0,
            gross_profit_yen=YEN0,
            average_ltv_yen=MAYBE_YEN,
            months={"type": "array", "items": ltv_month},
        ),
        "Kpi": obj(
            [
                *PERIOD_KEYS,
                "members",
                "new_members",
                "active_members",
                "paying_customers",
                "payments",
                "spend_yen",
                "repeat_rate",
                "average_spend_yen",
                "average_payment_yen",
                "liability_yen",
                "stores",
            ],
            **PERIOD,
            members=COUNT,
            new_members={
                "type": "array",
                "items": obj(["month", "members"], month=month, members=COUNT),
            },
            active_members=COUNT,
            paying_customers=COUNT,
            payments=COUNT,
            spend_yen=YEN0,
            repeat_rate=SHARE,
            average_spend_yen=MAYBE_YEN,
            average_payment_yen=MAYBE_YEN,
            liability_yen=YEN0,
            stores={"type": "array", "items": store},
        ),
        "Cohorts": obj(
            ["as_of", "cohorts"],
            as_of={"type": "string", "format": "date"},
            cohorts={"type": "array", "items": cohort},
        ),
    }
