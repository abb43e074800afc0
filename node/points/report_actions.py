"""The points reports for a run of local days, for the admin API (and so the CLI) and the
console: the points roll-forward (report.py) and the regulars' items (items.py); each loads its
sums on the report lane, builds the report, answers it as JSON."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from node.errors import InvalidDate
from node.ledger.calendar import add_months, end_of_local_day, start_of_local_day
from node.points import items_queries, queries, report_queries
from node.points.core import DEFAULT_PROGRAM, in_force
from node.points.items import ItemsReport, analyse
from node.points.report import PointsReport, build
from node.runtime import Node

MAX_REPORT_DAYS = 366 * 5
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


# The days a report may name: a year before and after them must still be dates (the report looks
# back 12 months, and the end of the last day may fall on the next), so 0001 and 9999 are out.
FIRST_REPORT_DAY = date(2000, 1, 1)
LAST_REPORT_DAY = date(2999, 12, 31)


def _day(text: str | None, default: date, field: str) -> date:
    if text is None:
        return default
    try:
        if not DAY.fullmatch(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidDate(field=field) from None
    if not FIRST_REPORT_DAY <= day <= LAST_REPORT_DAY:
        raise InvalidDate(
            f"`{field}` must be a day from {FIRST_REPORT_DAY} to {LAST_REPORT_DAY}.", field=field
        )
    return day


def period(first: str | None, last: str | None, today: date) -> tuple[date, date]:
    """The days asked for (YYYY-MM-DD, both inclusive); by default the month so far."""
    first_day = _day(first, today.replace(day=1), "from")
    last_day = _day(last, today, "to")
    if last_day < first_day or (last_day - first_day).days > MAX_REPORT_DAYS:
        raise InvalidDate(
            f"`to` must be on or after `from`, within {MAX_REPORT_DAYS} days.", field="to"
        )
    return first_day, last_day


async def points_report(node: Node, first_day: date, last_day: date) -> PointsReport:
    zone = node.config.zone
    start, end = start_of_local_day(first_day, zone), end_of_local_day(last_day, zone)
    year_start = start_of_local_day(add_months(last_day, -12), zone)
    db = node.require_report_reader()
    program = in_force(await queries.programs(db), end) or DEFAULT_PROGRAM
    return build(
        first_day,
        last_day,
        await report_queries.held_before(db, start),
        await report_queries.credited_by_kind(db, start, end),
        await report_queries.held_before(db, end),
        program.point_value_yen,
        await report_queries.credited_by_kind(db, year_start, end),
    )


def report_json(report: PointsReport) -> dict[str, Any]:
    rate = report.non_use_rate
    return {
        "from": report.first_day.isoformat(),
        "to": report.last_day.isoformat(),
        "opening_points": report.opening,
        "changes": {str(kind): points for kind, points in report.changes},
        "closing_points": report.closing,
        "balanced": report.balanced,
        "point_value_yen": report.point_value_yen,
        "closing_yen": report.closing_yen,
        "lapsed_points_12m": report.lapsed_12m,
        "spent_points_12m": report.spent_12m,
        "non_use_rate_12m": None if rate is None else round(rate, 4),
    }


async def items_report(node: Node, first_day: date, last_day: date) -> ItemsReport:
    zone = node.config.zone
    start, end = start_of_local_day(first_day, zone), end_of_local_day(last_day, zone)
    db = node.require_report_reader()
    return analyse(
        await items_queries.lines_between(db, start, end),
        await items_queries.spend_between(db, start, end),
    )


def items_json(first_day: date, last_day: date, report: ItemsReport) -> dict[str, Any]:
    return {
        "from": first_day.isoformat(),
        "to": last_day.isoformat(),
        "members": report.members,
        "regulars": report.regulars,
        "regular_share": round(report.regular_share, 4),
        "items": [
            {
                "sku": item.sku,
                "name": item.name,
                "quantity": item.quantity,
                "amount_yen": item.amount_yen,
                "buyers": item.buyers,
                "regular_quantity": item.regular_quantity,
                "regular_share": round(item.regular_share, 4),
                "carried_by_regulars": item.carried_by_regulars,
            }
            for item in report.items
        ],
    }
