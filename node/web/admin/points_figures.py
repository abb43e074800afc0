"""Points on the console's home (the points outstanding, this month's earned, used and expired)
and the returns whose points were already spent (返品時の不足分), newest first, so head office
sees them and can decide what to do with each (an adjustment, or nothing)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.ledger import queries as ledger_queries
from node.ledger.calendar import local_month_span
from node.points import queries, report_queries
from node.points.core import DEFAULT_PROGRAM, in_force
from node.points.model import EntryKind
from node.runtime import Node
from node.web.admin.frame import admin_page
from node.web.admin.points import PAGE
from node.web.guard import requires
from node.web.model import Role, Session

SHORTFALLS = f"{PAGE}/shortfalls"


async def home_figures(node: Node) -> dict[str, Any]:
    """The dashboard's points block: each a cheap read (queries.outstanding_points from the open
    lots' partial index; this month's entries by the point_entries_time index's range)."""
    reader = node.require_report_reader()
    now = node.clock.now()
    month_start, month_end = local_month_span(now, node.config.zone)
    program = in_force(await queries.programs(reader), now) or DEFAULT_PROGRAM
    outstanding = await queries.outstanding_points(reader, now)
    return {
        "outstanding": outstanding,
        "outstanding_yen": outstanding * program.point_value_yen,
        "point_value_yen": program.point_value_yen,
        "month": _month(await report_queries.credited_by_kind(reader, month_start, month_end)),
    }


def _month(credited: dict[str, int]) -> dict[str, int]:
    """Each as a positive number of points: earned on purchases, used, expired."""
    return {
        "earned": credited.get(EntryKind.EARN, 0),
        "used": -credited.get(EntryKind.USE, 0),
        "expired": -credited.get(EntryKind.EXPIRE, 0),
    }


@requires(Role.ADMIN)
async def shortfalls(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/points/shortfalls: the latest returns that could not take all their points back."""
    reader = node.require_reader()
    stores = await ledger_queries.list_stores(reader)
    context = {
        "shortfalls": await queries.shortfalls(reader),
        "limit": queries.SHORTFALLS_SHOWN,
        "store_names": {s.store_id: s.name for s in stores},
        "tab": SHORTFALLS,
    }
    return admin_page(request, node, session, "admin_points_shortfalls.html", context, section=PAGE)


def routes() -> list[web.RouteDef]:
    return [web.get(SHORTFALLS, shortfalls)]
