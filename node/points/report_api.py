"""Admin API for the points report: `GET /api/v1/points/report?from=&to=` (local days, both
inclusive; by default this month so far), and its part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.http import input as body_input
from node.http.schema_parts import COUNT, Schema, obj, op, ref
from node.points.report import LINES
from node.points.report_actions import period, points_report, report_json
from node.runtime import NODE, Handler

DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@body_input.accepts_query("from", "to")
async def report(request: web.Request) -> web.Response:
    node = request.app[NODE]
    today = node.clock.now().astimezone(node.config.zone).date()
    first_day, last_day = period(request.query.get("from"), request.query.get("to"), today)
    return web.json_response(report_json(await points_report(node, first_day, last_day)))


REPORT_ROUTES: tuple[tuple[str, str, Handler], ...] = (("GET", "/api/v1/points/report", report),)


def report_paths() -> dict[str, dict[str, Any]]:
    day = {"type": "string", "pattern": DATE_PATTERN}
    operation = op(
        "The points report: held at the start, each kind's change, held at the end, the yen"
        " value and the last twelve months' non-use rate (収益認識の基礎数値)",
        ref("PointsReport"),
        query={"from": day, "to": day},
        errors=(422,),
    )
    return {"/api/v1/points/report": {"get": operation}}


def report_schemas() -> dict[str, Schema]:
    signed = {"type": "integer", "description": "points, credited to members positive"}
    changes = obj([str(kind) for kind in LINES], **{str(kind): signed for kind in LINES})
    return {
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
        )
    }
