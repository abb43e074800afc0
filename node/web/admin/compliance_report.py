"""The console's 資金決済法 page (/admin/compliance): the 基準日 report of the last 基準日 that
ended and of the next one (its figures so far), by class, with downloads and warnings; and the
warnings the console's home shows."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import date
from typing import Any

from aiohttp import web

from node.compliance.model import VoucherClass
from node.compliance.reference_date import (
    NEAR_THRESHOLD_PERCENT,
    THRESHOLD_YEN,
    ReferenceDateReport,
    parse_reference_date,
)
from node.compliance.report_actions import latest_and_next, reference_date_report, today
from node.compliance.report_output import FIGURE_COLUMNS, class_json
from node.compliance.report_warnings import ReportWarning, report_warnings
from node.http.input import only_query
from node.ledger.live_queries import journal_end
from node.runtime import Node
from node.web.admin.frame import admin_page
from node.web.guard import requires
from node.web.model import Role, Session
from node.web.report_download import report_response, requested_format


def report_view(report: ReferenceDateReport) -> dict[str, Any]:
    """What a report's card shows: its figures, by class, and its download links."""
    day = report.period.reference_date.isoformat()
    return {
        "report": report,
        "day": day,
        "kind": "third_party" if report.acceptance.is_third_party else "own",
        "rows": [(key, [class_json(c)[key] for c in report.classes]) for key, _ in FIGURE_COLUMNS],
        "classes": [str(c.voucher_class) for c in report.classes],
        "downloads": [
            (fmt, f"/admin/compliance/report.{fmt}?date={day}") for fmt in ("pdf", "csv", "json")
        ],
    }


# The home's warnings are worked out from two whole-journal reports: again only once the journal
# has grown (a new entry), the day has changed or WARNINGS_FRESH_S has passed (a partner's change
# of status can move value between classes), so that opening the console's home does not sum the
# whole journal each time.
WARNINGS_FRESH_S = 600


@dataclass(frozen=True)
class _KeptWarnings:
    node: weakref.ref[Node]  # weakly: an id can be reused once a node is gone
    journal_end: int
    day: date
    at_s: int
    warnings: list[ReportWarning]


_home_warnings: dict[int, _KeptWarnings] = {}


async def warnings_now(node: Node) -> list[ReportWarning]:
    """The 基準日 warnings for the console's home; /admin/compliance works them out afresh."""
    now, day = node.now_s(), today(node)
    end = await journal_end(node.require_reader())
    kept = _home_warnings.get(id(node))
    if (
        kept is not None
        and kept.node() is node
        and (kept.journal_end, kept.day) == (end, day)
        and now - kept.at_s < WARNINGS_FRESH_S
    ):
        return kept.warnings
    latest, coming = await latest_and_next(node)
    found = report_warnings(latest, coming, day)
    _home_warnings[id(node)] = _KeptWarnings(weakref.ref(node), end, day, now, found)
    return found


@requires(Role.ADMIN)
async def compliance_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    only_query(request, "date")
    latest, coming = await latest_and_next(node)
    chosen = request.query.get("date")
    shown = [latest, coming]
    if chosen is not None:
        shown = [await reference_date_report(node, parse_reference_date(chosen))]
    context = {
        "kijunbi_warnings": report_warnings(latest, coming, today(node)),
        "cards": [report_view(r) for r in shown],
        "threshold": THRESHOLD_YEN,
        "near_percent": NEAR_THRESHOLD_PERCENT,
        "exempt": str(VoucherClass.EXEMPT),
        "chosen": chosen,
    }
    return admin_page(
        request, node, session, "admin_compliance.html", context, section="/admin/compliance"
    )


@requires(Role.ADMIN)
async def compliance_download(
    request: web.Request, node: Node, session: Session
) -> web.StreamResponse:
    only_query(request, "date")
    fmt = requested_format(request.match_info["fmt"])
    day = parse_reference_date(request.query.get("date", ""))
    return await report_response(node, await reference_date_report(node, day), fmt)


def routes() -> list[web.RouteDef]:
    return [
        web.get("/admin/compliance", compliance_page),
        web.get("/admin/compliance/report.{fmt:(pdf|csv|json)}", compliance_download),
    ]
