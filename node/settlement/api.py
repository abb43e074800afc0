"""Admin API for settlement: partner-voucher redemptions and voids, balances, claims, statements,
payment, confirmation, reconciliation, exposure limits."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.clock import new_id, ordered_id
from node.errors import ClaimRejected, ValidationError
from node.http import input as body_input
from node.ledger.qr import VoucherCode
from node.runtime import NODE, Handler, Node
from node.settlement import actions, claims, queries
from node.settlement.actions import DECISION_WAIT_S
from node.settlement.model import Claim, ClaimStatus


async def _claim_response(node: Node, claim_id: str, is_repeat: bool) -> web.Response:
    claim = await queries.own_claim(node.require_reader(), claim_id)
    names = await queries.peer_names(node.require_reader())
    body = queries.claim_json(claim, node.identity.node_id, names)
    body["issuer_name"] = names.get(claim.peer, claim.peer[:8])
    if claim.status == ClaimStatus.REJECTED:
        raise ClaimRejected(
            f"{body['issuer_name']} rejected the claim: {claim.reason}",
            claim_id=claim.claim_id,
            issuer=claim.peer,
            reason=claim.reason_code,
            status="rejected",
        )
    body["retried"] = is_repeat  # the code's earlier claim, answered again: nothing new
    if claim.status == ClaimStatus.CLAIMED:
        return web.json_response({**body, "status": "pending"}, status=202)
    return web.json_response({**body, "status": "accepted"}, status=200 if is_repeat else 201)


async def claim_partner_voucher(
    node: Node, code: VoucherCode, payload: str, amount: int, store_id: str
) -> tuple[Claim, bool]:
    """Staff scanned a partner's voucher: claim it from the issuer and wait briefly for the answer.

    The claim comes back CLAIMED (still pending), ACCEPTED or REJECTED; with True when the code
    had already made it (a retry at the same store for the same amount)."""
    now = node.clock.now()
    msg_id = new_id(node.rng, "msg")
    claim, is_repeat = await node.require_writer().submit(
        claims.start_claim(
            node.me,
            code,
            payload,
            amount,
            store_id,
            int(now.timestamp()),
            ordered_id(now, node.rng, "cl"),
            msg_id,
        )
    )
    if not is_repeat:
        await node.require_outbox().send_and_wait(claim.peer, msg_id, DECISION_WAIT_S)
    return await queries.own_claim(node.require_reader(), claim.claim_id), is_repeat


async def redeem_partner_voucher(
    node: Node, code: VoucherCode, payload: str, amount: int, store_id: str
) -> web.Response:
    claim, is_repeat = await claim_partner_voucher(node, code, payload, amount, store_id)
    return await _claim_response(node, claim.claim_id, is_repeat)


async def void_partner_redemption(node: Node, claim_id: str) -> web.Response:
    found = await actions.void_partner_claim(node, claim_id)
    names = await queries.peer_names(node.require_reader())
    body = queries.claim_json(found, node.identity.node_id, names)
    if found.status == ClaimStatus.VOIDED:
        return web.json_response({**body, "voided": True})
    return web.json_response({**body, "voided": False, "status": "void_pending"}, status=202)


async def balances(request: web.Request) -> web.Response:
    node = request.app[NODE]
    return web.json_response({"balances": await queries.balances(node.require_reader())})


@body_input.accepts_query("peer", "status", "role")
async def list_claims(request: web.Request) -> web.Response:
    node = request.app[NODE]
    query = request.query
    peer = body_input.query_text(request, "peer")
    wanted = actions.claim_filter(peer, query.get("status"), query.get("role"))
    found = await actions.find_claims(node, wanted)
    names = await queries.peer_names(node.require_reader())
    me = node.identity.node_id
    return web.json_response({"claims": [queries.claim_json(c, me, names) for c in found]})


async def show_claim(request: web.Request) -> web.Response:
    node = request.app[NODE]
    claim = await queries.own_claim(node.require_reader(), request.match_info["claim_id"])
    names = await queries.peer_names(node.require_reader())
    return web.json_response(queries.claim_json(claim, node.identity.node_id, names))


async def _statement_body(node: Node, statement_id: str) -> dict[str, Any]:
    row = await queries.statement_row(node.require_reader(), statement_id)
    names = await queries.peer_names(node.require_reader())
    return queries.statement_json(row, node.identity.node_id, names)


async def propose_statement(request: web.Request) -> web.Response:
    node = request.app[NODE]
    body = await body_input.read_body(request, {"peer", "until"})
    peer_id = body_input.required_text(body, "peer")
    cutoff = None if body.get("until") is None else body_input.moment(body, "until")
    statement_id = await actions.propose_statement(node, peer_id, cutoff)
    return web.json_response(await _statement_body(node, statement_id), status=201)


@body_input.accepts_query("peer")
async def list_statements(request: web.Request) -> web.Response:
    node = request.app[NODE]
    peer = body_input.query_text(request, "peer")
    rows = await queries.list_statements(
        node.require_reader(), peer.strip().upper() if peer else None
    )
    names = await queries.peer_names(node.require_reader())
    me = node.identity.node_id
    return web.json_response({"statements": [queries.statement_json(r, me, names) for r in rows]})


async def show_statement(request: web.Request) -> web.Response:
    node = request.app[NODE]
    return web.json_response(await _statement_body(node, request.match_info["statement_id"]))


async def pay(request: web.Request) -> web.Response:
    node = request.app[NODE]
    body = await body_input.read_body(request, {"reference"})
    reference = body_input.required_text(body, "reference")
    statement_id = request.match_info["statement_id"]
    await actions.pay_statement(node, statement_id, reference)
    return web.json_response(await _statement_body(node, statement_id))


async def confirm(request: web.Request) -> web.Response:
    node = request.app[NODE]
    await body_input.read_body(request, set())
    statement_id = request.match_info["statement_id"]
    await actions.confirm_payment(node, statement_id)
    return web.json_response(await _statement_body(node, statement_id))


async def reconcile_peer(request: web.Request) -> web.Response:
    node = request.app[NODE]
    body = await body_input.read_body(request, {"peer"})
    peer_id = body_input.required_text(body, "peer")
    return web.json_response(await actions.reconcile_partner(node, peer_id))


async def resolve_claim(request: web.Request) -> web.Response:
    """A disputed claim the two admins settled by hand goes back into the statement cycle."""
    node = request.app[NODE]
    body = await body_input.read_body(request, {"peer"})
    peer = body_input.text(body, "peer", required=False)
    claim = await actions.resolve_claim(node, request.match_info["claim_id"], peer)
    names = await queries.peer_names(node.require_reader())
    return web.json_response(queries.claim_json(claim, node.identity.node_id, names))


async def set_limit(request: web.Request) -> web.Response:
    """The most a partner may owe us (net, pending claims included) before we refuse its vouchers."""
    node = request.app[NODE]
    body = await body_input.read_body(request, {"max_receivable"})
    if "max_receivable" not in body:
        raise ValidationError("`max_receivable` is required (null removes the limit).")
    limit = body_input.amount(body, "max_receivable", required=False, minimum=0)
    entry = await actions.set_partner_limit(node, request.match_info["node_id"], limit)
    return web.json_response(entry)


SETTLEMENT_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", "/api/v1/settlement/balances", balances),
    ("GET", "/api/v1/settlement/claims", list_claims),
    ("GET", "/api/v1/settlement/claims/{claim_id}", show_claim),
    ("POST", "/api/v1/settlement/claims/{claim_id}/resolve", resolve_claim),
    ("POST", "/api/v1/settlement/statements", propose_statement),
    ("GET", "/api/v1/settlement/statements", list_statements),
    ("GET", "/api/v1/settlement/statements/{statement_id}", show_statement),
    ("POST", "/api/v1/settlement/statements/{statement_id}/pay", pay),
    ("POST", "/api/v1/settlement/statements/{statement_id}/confirm", confirm),
    ("POST", "/api/v1/settlement/reconcile", reconcile_peer),
    ("POST", "/api/v1/peers/{node_id}/limit", set_limit),
)
