"""Admin API for the points reports: `GET /api/v1/points/report?from=&to=` (the roll-forward)
and `GET /api/v1/points/items?from=&to=` (the regulars' items), local days both inclusive, by
default this month so far; and their part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.http import input as body_input
from node.http.schema_parts import COUNT, Schema, obj, op, ref
from node.points.report import LINES
from node.points.report_actions import (
    items_json,
    items_report,
    period,
    points_report,
    report_json,
)
from node.runtime import NODE, Handler

DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@body_input.accepts_query("from", "to")
async def report(request: web.Request) -> web.Response:
    node = request.app[NODE]
    today = node.clock.now().astimezone(node.config.zone).date()
    first_day, last_day = period(request.query.get("from"), request.query.get("to"), today)
    return web.json_response(report_json(await points_report(node, first_day, last_day)))


@body_input.accepts_query("from", "to")
async def items(request: web.Request) -> web.Response:
    node = request.app[NODE]
    today = node.clock.now().astimezone(node.config.zone).date()
    first_day, last_day = period(request.query.get("from"), request.query.get("to"), today)
    found = await items_report(node, first_day, last_day)
    return web.json_response(items_json(first_day, last_day, found))


REPORT_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", "/api/v1/points/report", report),
    ("GET", "/api/v1/points/items", items),
)


def report_paths() -> dict[str, dict[str, Any]]:
    day = {"type": "string", "pattern": DATE_PATTERN}
    operation = op(
        "The points report: held at the start, each kind's change, held at the end, the yen"
        " value and the last twelve months' non-use rate (収益認識の基礎数値)",
        ref("PointsReport"),
        query={"from": day, "to": day},
        errors=(422,),
    )
    items_operation = op(
        "Which goods the regulars (the top fifth of members by spend) keep buying: each SKU's"
        " quantity, yen, buyers and the regulars' share (常連が支える商品)",
        ref("PointsItems"),
        query={"from": day, "to": day},
        errors=(422,),
    )
    return {
        "/api/v1/points/report": {"get": operation},
        "/api/v1/points/items": {"get": items_operation},
    }


def report_schemas() -> dict[str, Schema]:
    signed = {"type": "integer", "description": "points, credited to members positive"}
    changes = obj([str(kind) for kind in LINES], **{str(kind): signed for kind in LINES})
    share = {"type": "number", "minimum": 0, "maximum": 1}
    item = obj(
        [
            "sku",
            "name",
            "quantity",
            "amount_yen",
            "buyers",
            "regular_quantity",
            "regular_share",
            "carried_by_regulars",
        ],
        sku={"type": "string"},
        name={"type": "string"},
        quantity=COUNT,
        amount_yen=COUNT,
        buyers=COUNT,
        regular_quantity=COUNT,
        regular_share=share,
        carried_by_regulars={"type": "boolean"},
    )
    return {
        "PointsItems": obj(
            ["from", "to", "members", "regulars", "regular_share", "items"],
            **{
                "from": {"type": "string", "format": "date"},
                "to": {"type": "string", "format": "date"},
                "members": COUNT,
                "regulars": COUNT,
                "regular_share": share,
                "items": {"type": "array", "items": item},
            },
        ),
        "PointsReport": obj(
            [
                "from",
                "to",
                "opening_points",
                "changes",
                "closing_points",
                "balanced",
                "point_value_yen",
                "closing_yen",
                "lapsed_points_12m",
                "spent_points_12m",
                "non_use_rate_12m",
            ],
            **{
                "from": {"type": "string", "format": "date"},
                "to": {"type": "string", "format": "date"},
                "opening_points": signed,
                "changes": changes,
                "closing_points": signed,
                "balanced": {"type": "boolean"},
                "point_value_yen": COUNT,
                "closing_yen": {"type": "integer"},
                "lapsed_points_12m": {"type": "integer"},
                "spent_points_12m": {"type": "integer"},
                "non_use_rate_12m": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
            },
        ),
    }
