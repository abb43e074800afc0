"""The console's settlement (精算) overview: per partner what it owes us (売掛) and we owe it (買掛),
its last statement, and the two actions on a partner: propose a statement, reconcile."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web

from node.errors import ValidationError
from node.runtime import Node
from node.settlement import actions, queries
from node.settlement.model import StatementRow
from node.web.admin import settlement_claims, settlement_statements
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.admin.settlement_report import reconciliation
from node.web.admin.settlement_views import SECTION
from node.web.guard import read_form, requires
from node.web.model import Role, Session

MAX_FIELD_CHARS = 100


@dataclass(frozen=True)
class LastStatement:
    statement_id: str
    number: int
    status: str


def latest_statements(rows: Sequence[StatementRow]) -> dict[str, LastStatement]:
    """Each partner's newest statement (the rows come newest first)."""
    latest: dict[str, LastStatement] = {}
    for row in rows:
        latest.setdefault(row.peer, LastStatement(row.statement_id, row.number, str(row.status)))
    return latest


@requires(Role.ADMIN)
async def overview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    reader = node.require_report_reader()
    partners = await queries.balances(reader)
    wanted = request.query.get("reconciled", "")
    report = None
    if wanted:
        report = await reconciliation(reader, node.identity.node_id, wanted[:MAX_FIELD_CHARS])
    context = {
        "partners": partners,
        "latest": latest_statements(await queries.list_statements(reader, None)),
        "total_receivable": sum(p["receivable"] for p in partners),
        "total_payable": sum(p["payable"] for p in partners),
        "report": report,
    }
    return admin_page(request, node, session, "admin_settlement.html", context, section=SECTION)


def cutoff_from_form(text: str, zone: ZoneInfo) -> int | None:
    """The cut-off typed in the node's time zone, to the end of the minute given (so that
    23:59 takes in 23:59:59); None when left empty (now)."""
    value = text.strip()
    if not value:
        return None
    try:
        typed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError("The cut-off must be a date and time.", field="until") from exc
    if typed.tzinfo is not None:
        raise ValidationError("The cut-off must be a local date and time.", field="until")
    if value.count(":") == 1:  # minutes only, as a datetime-local field sends by default
        typed += timedelta(seconds=59)
    return int(typed.replace(tzinfo=zone).timestamp())


def _peer(form: dict[str, str]) -> str:
    peer = form.get("peer", "").strip()
    if not peer or len(peer) > MAX_FIELD_CHARS:
        raise ValidationError("Choose a partner.", field="peer")
    return peer


@requires(Role.ADMIN)
@shown_inline("propose-{peer}", overview)
async def propose(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    form = await read_form(request)
    cutoff = cutoff_from_form(form.get("until", "")[:MAX_FIELD_CHARS], node.config.zone)
    statement_id = await actions.propose_statement(node, _peer(form), cutoff)
    return after_action(f"{SECTION}/statements/{statement_id}", "done_se_proposed")


@requires(Role.ADMIN)
@shown_inline("reconcile-{peer}", overview)
async def reconcile(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    peer = _peer(await read_form(request))
    result = await actions.reconcile_partner(node, peer)
    return after_action(SECTION, "done_se_reconciled", reconciled=str(result["peer"]))


def routes() -> list[web.RouteDef]:
    return [
        web.get(SECTION, overview),
        web.post(f"{SECTION}/propose", propose),
        web.post(f"{SECTION}/reconcile", reconcile),
        *settlement_claims.routes(),
        *settlement_statements.routes(),
    ]
