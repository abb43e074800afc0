"""The console's claims (利用明細): partner-voucher redemptions both ways, filtered; one claim with
all it records; a disputed claim put back into settlement once both companies agreed it stands."""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web

from node.errors import ValidationError
from node.runtime import Node
from node.settlement import actions, queries
from node.settlement.model import ClaimStatus, Role
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.admin.settlement_views import SECTION, claim_view
from node.web.guard import read_form, requires
from node.web.model import Role as AccountRole
from node.web.model import Session

PAGE = f"{SECTION}/claims"
MAX_QUERY_CHARS = 100


def _chosen(request: web.Request, key: str) -> str | None:
    """A filter from the address; empty (the form's "all") means any."""
    value = request.query.get(key, "").strip()
    if len(value) > MAX_QUERY_CHARS:
        raise ValidationError(f"The filter `{key}` is too long.", field=key)
    return value or None


@requires(AccountRole.ADMIN)
async def claim_list(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    wanted = actions.claim_filter(
        _chosen(request, "peer"), _chosen(request, "status"), _chosen(request, "role")
    )
    found = await actions.find_claims(node, wanted)
    names = await queries.peer_names(node.require_reader())
    context = {
        "claims": [claim_view(c, names) for c in found],
        "wanted": wanted,
        "partners": sorted(names.items(), key=lambda item: item[1]),
        "statuses": [str(s) for s in ClaimStatus],
        "roles": [str(r) for r in Role],
        "max_rows": queries.MAX_ROWS,
    }
    return admin_page(request, node, session, "admin_claims.html", context, section=SECTION)


@requires(AccountRole.ADMIN)
async def claim_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    reader = node.require_reader()
    claim = await queries.own_claim(reader, request.match_info["claim_id"])
    names = await queries.peer_names(reader)
    context = {"view": claim_view(claim, names)}
    return admin_page(request, node, session, "admin_claim.html", context, section=SECTION)


@requires(AccountRole.ADMIN)
@shown_inline("resolve-form", claim_page)
async def resolve(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Both admins agreed the disputed claim stands: it goes into the next statement."""
    form = await read_form(request)
    if form.get("agreed") != "yes":
        raise ValidationError(
            "Tick the box to confirm the partner agreed the claim stands.", field="agreed"
        )
    claim_id = request.match_info["claim_id"]
    shown = await queries.own_claim(node.require_reader(), claim_id)
    await actions.resolve_claim(node, claim_id, shown.peer)
    return after_action(f"{PAGE}/{quote(claim_id, safe='')}", "done_se_resolved")


def routes() -> list[web.RouteDef]:
    return [
        web.get(PAGE, claim_list),
        web.get(PAGE + "/{claim_id}", claim_page),
        web.post(PAGE + "/{claim_id}/resolve", resolve),
    ]
