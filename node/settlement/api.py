"""Admin API for settlement: partner-voucher redemptions and voids, balances, claims, statements,
payment, confirmation, reconciliation, exposure limits."""

from __future__ import annotations

import sqlite3
from typing import Any

from aiohttp import web

from node.api import input as body_input
from node.app import NODE, Handler, Node
from node.clock import new_id, ordered_id
from node.errors import ClaimRejected, ValidationError, VoidNotAllowed
from node.ledger.qr import VoucherCode
from node.peering import store as peer_store
from node.settlement import claims, queries, statements
from node.settlement.model import Claim, ClaimStatus, Role
from node.settlement.reconcile import reconcile, resolve

# How long staff wait at the counter for the issuer's decision before seeing "pending".
DECISION_WAIT_S = 5.0
STATUSES = {str(s) for s in ClaimStatus}


def _now_s(node: Node) -> int:
    return int(node.clock.now().timestamp())


async def _claim_response(node: Node, claim_id: str) -> web.Response:
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
    if claim.status == ClaimStatus.CLAIMED:
        return web.json_response({**body, "status": "pending"}, status=202)
    return web.json_response({**body, "status": "accepted"}, status=201)


async def claim_partner_voucher(
    node: Node, code: VoucherCode, payload: str, amount: int, store_id: str
) -> Claim:
    """Staff scanned a partner's voucher: claim it from the issuer and wait briefly for the answer.

    The claim comes back CLAIMED (still pending), ACCEPTED or REJECTED."""
    now = node.clock.now()
    msg_id = new_id(node.rng, "msg")
    claim = await node.require_writer().submit(
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
    await node.require_outbox().send_and_wait(claim.peer, msg_id, DECISION_WAIT_S)
    return await queries.own_claim(node.require_reader(), claim.claim_id)


async def redeem_partner_voucher(
    node: Node, code: VoucherCode, payload: str, amount: int, store_id: str
) -> web.Response:
    claim = await claim_partner_voucher(node, code, payload, amount, store_id)
    return await _claim_response(node, claim.claim_id)


async def void_partner_redemption(node: Node, claim_id: str) -> web.Response:
    msg_id = new_id(node.rng, "msg")
    claim, queued = await node.require_writer().submit(
        claims.request_void(node.me, claim_id, _now_s(node), msg_id)
    )
    if queued:
        await node.require_outbox().send_and_wait(claim.peer, msg_id, DECISION_WAIT_S)
    found = await queries.own_claim(node.require_reader(), claim_id)
    names = await queries.peer_names(node.require_reader())
    body = queries.claim_json(found, node.identity.node_id, names)
    if found.status == ClaimStatus.VOIDED:
        return web.json_response({**body, "voided": True})
    if found.void_requested_at is None:
        raise VoidNotAllowed(
            f"The issuer refused the void: {found.reason}", reason=found.reason_code
        )
    return web.json_response({**body, "voided": False, "status": "void_pending"}, status=202)


async def balances(request: web.Request) -> web.Response:
    node = request.app[NODE]
    return web.json_response({"balances": await queries.balances(node.require_reader())})


async def list_claims(request: web.Request) -> web.Response:
    node = request.app[NODE]
    query = request.query
    status = query.get("status")
    if status is not None and status.upper() not in STATUSES:
        raise ValidationError(f"`status` must be one of {', '.join(sorted(STATUSES))}.")
    role = query.get("role")
    if role is not None and role not in {str(r) for r in Role}:
        raise ValidationError("`role` must be issuer or redeemer.", field="role")
    peer = query.get("peer")
    found = await queries.list_claims(
        node.require_reader(),
        peer.strip().upper() if peer else None,
        status.upper() if status else None,
        role,
    )
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
    peer_id = body_input.required_text(body, "peer").upper()
    now = node.clock.now()
    until = body.get("until")
    # The last whole second: a claim decided later in the current second could not be in the
    # proposal, yet the partner would count it.
    cutoff = int(now.timestamp()) - 1 if until is None else body_input.moment(body, "until")
    msg_id = new_id(node.rng, "msg")
    statement_id = await node.require_writer().submit(
        statements.propose(
            node.me,
            peer_id,
            cutoff,
            ordered_id(now, node.rng, "st"),
            int(now.timestamp()),
            msg_id,
        )
    )
    await node.require_outbox().send_and_wait(peer_id, msg_id, DECISION_WAIT_S)
    return web.json_response(await _statement_body(node, statement_id), status=201)


async def list_statements(request: web.Request) -> web.Response:
    node = request.app[NODE]
    peer = request.query.get("peer")
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
    msg_id = new_id(node.rng, "msg")
    payee = await node.require_writer().submit(
        statements.pay(node.me, statement_id, reference, _now_s(node), msg_id)
    )
    await node.require_outbox().send_and_wait(payee, msg_id, DECISION_WAIT_S)
    return web.json_response(await _statement_body(node, statement_id))


async def confirm(request: web.Request) -> web.Response:
    node = request.app[NODE]
    await body_input.read_body(request, set())
    statement_id = request.match_info["statement_id"]
    msg_id = new_id(node.rng, "msg")
    payer = await node.require_writer().submit(
        statements.confirm(node.me, statement_id, _now_s(node), msg_id)
    )
    await node.require_outbox().send_and_wait(payer, msg_id, DECISION_WAIT_S)
    return web.json_response(await _statement_body(node, statement_id))


async def reconcile_peer(request: web.Request) -> web.Response:
    node = request.app[NODE]
    body = await body_input.read_body(request, {"peer"})
    peer_id = body_input.required_text(body, "peer").upper()
    await node.require_outbox().deliver_within(peer_id, DECISION_WAIT_S)
    return web.json_response(await node.require_writer().submit(reconcile(peer_id)))


async def resolve_claim(request: web.Request) -> web.Response:
    """A disputed claim the two admins settled by hand goes back into the statement cycle."""
    node = request.app[NODE]
    body = await body_input.read_body(request, {"peer"})
    peer = body_input.text(body, "peer", required=False)
    claim_id = request.match_info["claim_id"]
    claim = await node.require_writer().submit(resolve(peer.upper() if peer else None, claim_id))
    names = await queries.peer_names(node.require_reader())
    return web.json_response(queries.claim_json(claim, node.identity.node_id, names))


async def set_limit(request: web.Request) -> web.Response:
    """The most a partner may owe us (net, pending claims included) before we refuse its vouchers."""
    node = request.app[NODE]
    body = await body_input.read_body(request, {"max_receivable"})
    if "max_receivable" not in body:
        raise ValidationError("`max_receivable` is required (null removes the limit).")
    limit = body_input.amount(body, "max_receivable", required=False, minimum=0)
    node_id = request.match_info["node_id"].strip().upper()

    def work(conn: sqlite3.Connection) -> None:
        peer_store.require_peer(conn, node_id)
        peer_store.update_peer(conn, node_id, _now_s(node), max_receivable_yen=limit)

    await node.require_writer().submit(work)
    for entry in await queries.balances(node.require_reader()):
        if entry["peer"] == node_id:
            return web.json_response(entry)
    raise ValidationError("The partner has been removed.")


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
