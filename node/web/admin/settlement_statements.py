"""The console's statements (精算書): the list, one statement in full, and its two actions: the
payer records the bank transfer, the payee confirms the money arrived (both sides then clear)."""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web

from node.errors import ValidationError
from node.runtime import Node
from node.settlement import actions, queries
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.admin.settlement_views import SECTION, statement_view
from node.web.guard import read_form, requires
from node.web.model import Role, Session

PAGE = f"{SECTION}/statements"
MAX_QUERY_CHARS = 100


def _page_of(statement_id: str) -> str:
    return f"{PAGE}/{quote(statement_id, safe='')}"


@requires(Role.ADMIN)
async def statement_list(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    reader = node.require_reader()
    peer = request.query.get("peer", "").strip().upper()
    if len(peer) > MAX_QUERY_CHARS:
        raise ValidationError("The filter `peer` is too long.", field="peer")
    names = await queries.peer_names(reader)
    rows = await queries.list_statements(reader, peer or None)
    me = node.identity.node_id
    context = {
        "statements": [statement_view(r, me, names) for r in rows],
        "peer": peer,
        "partners": sorted(names.items(), key=lambda item: item[1]),
        "max_rows": queries.MAX_ROWS,
    }
    return admin_page(request, node, session, "admin_statements.html", context, section=SECTION)


@requires(Role.ADMIN)
async def statement_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    reader = node.require_reader()
    row = await queries.statement_row(reader, request.match_info["statement_id"])
    view = statement_view(row, node.identity.node_id, await queries.peer_names(reader))
    lines = await queries.claims_by_id(reader, [str(c["claim_id"]) for c in view.body["claims"]])
    context = {"view": view, "lines": lines, "max_reference": actions.MAX_REFERENCE_CHARS}
    return admin_page(request, node, session, "admin_statement.html", context, section=SECTION)


@requires(Role.ADMIN)
@shown_inline("pay-form", statement_page)
async def pay(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """We are the payer and transferred the amount: record the transfer's reference."""
    reference = (await read_form(request)).get("reference", "")
    statement_id = request.match_info["statement_id"]
    await actions.pay_statement(node, statement_id, reference)
    return after_action(_page_of(statement_id), "done_se_paid")


@requires(Role.ADMIN)
@shown_inline("confirm-form", statement_page)
async def confirm(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """We are the payee and the money is in the bank: both sides clear the statement."""
    statement_id = request.match_info["statement_id"]
    await actions.confirm_payment(node, statement_id)
    return after_action(_page_of(statement_id), "done_se_confirmed")


def routes() -> list[web.RouteDef]:
    return [
        web.get(PAGE, statement_list),
        web.get(PAGE + "/{statement_id}", statement_page),
        web.post(PAGE + "/{statement_id}/pay", pay),
        web.post(PAGE + "/{statement_id}/confirm", confirm),
    ]
