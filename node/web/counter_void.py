"""Voiding at the counter, only through a confirm step (取り消しの確認).

GET /staff/void/{ref} restates what would be voided (amount, voucher, receipt number, when, and
any rest paid another way, which the store gives back itself); its form posts to POST /staff/void.
A redemption of our own voucher is voided in the ledger at once; a partner's voucher was a claim
to its issuer, so voiding it asks the issuer, and until it answers the void is shown as pending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from node.clock import ordered_id
from node.errors import Forbidden, RedemptionNotFound, VoidWindowClosed
from node.ledger import operations, queries, tender_tables
from node.ledger.calendar import same_business_day
from node.ledger.rows import from_epoch
from node.ledger.tender import RestPayment
from node.runtime import Node
from node.settlement import queries as settlement_queries
from node.settlement.actions import void_partner_claim
from node.settlement.model import ClaimStatus
from node.settlement.model import Role as ClaimRole
from node.web.actors import recorded_actor
from node.web.counter import Counter, masked, require_counter, staff_page
from node.web.counter_points_redeem import PointsReturned, with_points_returned
from node.web.counter_resume import resumable
from node.web.guard import read_form, requires
from node.web.model import Role, Session

CLAIM_PREFIX = "cl_"
NOT_YOURS = "Only a redemption made at your store can be voided here."


@dataclass(frozen=True)
class VoidSubject:
    """What a void would undo, as the confirm step and the result restate it."""

    ref: str  # rd_ (our voucher) or cl_ (a partner's voucher: a claim to its issuer)
    amount_yen: int
    receipt_no: str
    voucher: str  # masked
    redeemed_at: datetime
    rest: RestPayment | None
    state: str  # done (voidable), voided, void_pending, closed (past its day), or a claim's


async def void_subject(node: Node, counter: Counter, ref: str) -> VoidSubject:
    """The redemption or claim `ref`, made at this counter's store; Forbidden otherwise."""
    reader = node.require_reader()
    if ref.startswith(CLAIM_PREFIX):
        claim = await settlement_queries.own_claim(reader, ref)
        if claim.role != ClaimRole.REDEEMER or claim.store_id != counter.store_id:
            raise Forbidden(NOT_YOURS)
        state = {ClaimStatus.ACCEPTED: "done", ClaimStatus.VOIDED: "voided"}.get(
            claim.status, claim.status.value.lower()
        )
        if state == "done" and claim.void_requested_at is not None:
            state = "void_pending"
        return VoidSubject(
            ref,
            claim.amount_yen,
            claim.receipt_no or claim.claim_id,
            masked(claim.voucher_id),
            from_epoch(claim.created_at),
            None,
            state,
        )
    found = await queries.get_redemption(reader, ref)
    if found is None or found.store_id != counter.store_id:
        raise Forbidden(NOT_YOURS)
    rests = await tender_tables.rests_of(reader, [ref])
    state = "voided" if found.voided_at else "done"
    policy, zone = node.settings.policy, node.settings.zone
    is_past = not same_business_day(found.created_at, node.clock.now(), zone)
    if state == "done" and policy.void_same_day_only and is_past:
        state = "closed"  # the confirm step says so instead of offering 取り消す
    return VoidSubject(
        ref,
        found.amount_yen,
        found.receipt_no,
        masked(found.voucher_id),
        found.created_at,
        rests.get(ref),
        state,
    )


def confirm_page(
    request: web.Request, node: Node, counter: Counter, subject: VoidSubject, resumed: str = ""
) -> web.Response:
    """The confirm step (or, once voided, the voided result)."""
    if subject.state in ("voided", "void_pending"):
        return voided_page(request, node, counter, subject, subject.state, None, resumed)
    return staff_page(
        request,
        node,
        counter.session,
        "staff_void_confirm.html",
        counter=counter,
        subject=subject,
        resumed=resumed,
        closed=VoidWindowClosed() if subject.state == "closed" else None,
    )


def voided_page(
    request: web.Request,
    node: Node,
    counter: Counter,
    subject: VoidSubject,
    outcome: str,
    balance: int | None,
    resumed: str = "",
    points: PointsReturned | None = None,
) -> web.Response:
    return staff_page(
        request,
        node,
        counter.session,
        "staff_voided.html",
        counter=counter,
        subject=subject,
        outcome=outcome,
        balance=balance,
        resumed=resumed,
        points=points,
    )


@requires(Role.STAFF)
async def confirm_void(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    counter = await require_counter(node, session)
    ref = request.match_info["ref"]
    if not ref.startswith(("rd_", CLAIM_PREFIX)):
        raise RedemptionNotFound()
    return confirm_page(request, node, counter, await void_subject(node, counter, ref))


@requires(Role.STAFF)
async def void(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """The confirm step's form: void it now (our voucher) or ask its issuer (a partner's)."""
    counter = await require_counter(node, session)
    ref = (await read_form(request)).get("redemption_id", "")[:100]
    subject = await void_subject(node, counter, ref)
    if ref.startswith(CLAIM_PREFIX):
        claim = await void_partner_claim(node, ref)
        outcome = "voided" if claim.status == ClaimStatus.VOIDED else "void_pending"
        return voided_page(request, node, counter, subject, outcome, None)
    now = node.clock.now()
    (_, voucher), points = await node.require_writer().submit(
        with_points_returned(  # the payment's points taken back with it: counter_points_redeem
            operations.void_redemption(ref, node.settings, now, ordered_id(now, node.rng, "tx")),
            node,
            ref,
            recorded_actor(session),
        )
    )
    return voided_page(
        request, node, counter, subject, "voided", voucher.balance_yen, points=points
    )


def routes() -> list[web.RouteDef]:
    return [
        web.get("/staff/void/{ref}", confirm_void),
        web.post("/staff/void", resumable("void", void)),
    ]
