"""The console's audit page (監査): the settlement log's size, the latest checkpoint and who has
and has not countersigned it, what we witnessed of partners' logs, alarms, a checkpoint on
demand, and the bundle an auditor verifies offline (the JSON API's very bytes)."""

from __future__ import annotations

from aiohttp import web

from node.runtime import Node
from node.settlement.audit import actions
from node.settlement.audit.api import stream_bundle
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.guard import requires
from node.web.model import Role, Session

PAGE = "/admin/audit"


@requires(Role.ADMIN)
async def overview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    context = {"audit": await actions.audit_status(node)}
    return admin_page(request, node, session, "admin_audit.html", context, section=PAGE)


@requires(Role.ADMIN)
@shown_inline("checkpoint-form", overview)
async def checkpoint(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    _, is_new = await actions.checkpoint_now(node)
    return after_action(
        PAGE, "done_au_checkpoint_made" if is_new else "done_au_checkpoint_unchanged"
    )


@requires(Role.ADMIN)
async def export(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """The same stream as GET /api/v1/audit/export; with no checkpoint yet, the error page."""
    return await stream_bundle(request, node)


def routes() -> list[web.RouteDef]:
    return [
        web.get(PAGE, overview),
        web.post(f"{PAGE}/checkpoint", checkpoint),
        web.get(f"{PAGE}/export", export),
    ]
