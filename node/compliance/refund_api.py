"""Admin API of refunds (資金決済法20条): a voucher's refund (refused unless a 府令 ground is
given), the business abolition and its claim window, the claims and their payment, the refunds
and this 基準期間's small-amount limit. The same actions the console and `kippu` use."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.clock import iso
from node.compliance import refund_actions, refund_rules
from node.compliance.refund_actions import AbolitionState, RefundOverview
from node.compliance.refund_model import Abolition, AccountType, Refund, RefundClaim, RefundGround
from node.http import input as body_input
from node.http.schema_parts import (
    ID,
    MAYBE_TIME,
    TIME,
    YEN0,
    Schema,
    list_of,
    nullable,
    obj,
    op,
    ref,
    text,
    text_matching,
    yen,
)
from node.ledger.model import API_ACTOR
from node.runtime import NODE, Handler

ACCOUNT_FIELDS = ("bank_name", "branch_name", "account_type", "account_number", "account_holder")
MAX_FIELD_CHARS = refund_rules.MAX_NAME_CHARS  # what checked_account and checked_claimant take
DATE_CORE = "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
BASE = "/api/v1/compliance"


def abolition_json(abolition: Abolition | None) -> dict[str, Any] | None:
    if abolition is None:
        return None
    return {
        "abolition_id": abolition.abolition_id,
        "notice_date": abolition.notice_date.isoformat(),
        "claim_until": abolition.claim_until.isoformat(),
        "opens_at": iso(abolition.opens_at),
        "closes_at": iso(abolition.closes_at),
        "declared_by": abolition.declared_by,
        "declared_at": iso(abolition.created_at),
    }


def claim_json(claim: RefundClaim) -> dict[str, Any]:
    account = claim.account
    return {
        "claim_id": claim.claim_id,
        "voucher_id": claim.voucher_id,
        "customer_id": claim.customer_id,
        "amount": claim.amount_yen,
        "bank_name": account.bank_name,
        "branch_name": account.branch_name,
        "account_type": str(account.account_type),
        "account_number": account.account_number,
        "account_holder": account.account_holder,
        "claimed_at": iso(claim.claimed_at),
        "paid": claim.is_paid,
        "reference": claim.reference,
        "paid_at": iso(claim.paid_at),
    }


def refund_json(refund: Refund) -> dict[str, Any]:
    return {
        "refund_id": refund.refund_id,
        "voucher_id": refund.voucher_id,
        "ground": str(refund.ground),
        "amount": refund.amount_yen,
        "txn_id": refund.txn_id,
        "claim_id": refund.claim_id,
        "reason": refund.reason,
        "reference": refund.reference,
        "period_start": refund.period_start.isoformat(),
        "refunded_by": refund.refunded_by,
        "refunded_at": iso(refund.refunded_at),
    }


def state_name(state: AbolitionState) -> str:
    if state.abolition is None:
        return "none"
    if state.is_announced:
        return "announced"
    return "closed" if state.is_closed else "open"


def state_json(state: AbolitionState) -> dict[str, Any]:
    return {
        "state": state_name(state),
        "abolition": abolition_json(state.abolition),
        "claims": len(state.claims),
        "claimed": state.claimed_yen,
        "paid": state.paid_yen,
        "unpaid": len(state.unpaid),
    }


def overview_json(overview: RefundOverview) -> dict[str, Any]:
    basis = overview.basis
    return {
        "period_start": basis.period.start.isoformat(),
        "period_end": basis.period.end.isoformat(),
        "previous_issued": basis.previous_issued_yen,
        "previous_unused": basis.previous_unused_yen,
        "small_amount_limit": overview.limit_yen,
        "small_amount_refunded": basis.refunded_yen,
        "refunds": [refund_json(r) for r in overview.refunds],
    }


async def refund_voucher(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"ground", "reason"})
    ground = body_input.text(body, "ground", required=False)
    reason = body_input.text(
        body, "reason", required=False, max_chars=refund_rules.MAX_REASON_CHARS
    )
    refund = await refund_actions.refund_voucher(
        request.app[NODE], request.match_info["voucher_id"], ground, reason, API_ACTOR
    )
    return web.json_response(refund_json(refund), status=201)


async def abolish(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"notice_date", "claim_until"})
    notice = body_input.required_text(body, "notice_date", 20)
    until = body_input.required_text(body, "claim_until", 20)
    abolition = await refund_actions.abolish(request.app[NODE], notice, until, API_ACTOR)
    return web.json_response(abolition_json(abolition), status=201)


async def show_abolition(request: web.Request) -> web.Response:
    state = await refund_actions.abolition_state(request.app[NODE])
    return web.json_response(state_json(state))


async def list_claims(request: web.Request) -> web.Response:
    state = await refund_actions.abolition_state(request.app[NODE])
    return web.json_response({"claims": [claim_json(c) for c in state.claims]})


async def record_claim(request: web.Request) -> web.Response:
    """Head office's claim for a voucher nobody holds (the bearer showed it the voucher)."""
    names = {"voucher_id", "claimant_name", *ACCOUNT_FIELDS}
    body = await body_input.read_body(request, names)
    sent = {name: body_input.required_text(body, name, MAX_FIELD_CHARS) for name in names}
    voucher_id, claimant = sent.pop("voucher_id"), sent.pop("claimant_name")
    claim = await refund_actions.record_claim(request.app[NODE], voucher_id, claimant, sent)
    return web.json_response(claim_json(claim), status=201)


async def pay_claim(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"reference"})
    reference = body_input.required_text(body, "reference", refund_actions.MAX_REFERENCE_CHARS)
    paid = await refund_actions.pay_claim(
        request.app[NODE], request.match_info["claim_id"], reference, API_ACTOR
    )
    return web.json_response(claim_json(paid))


async def list_refunds(request: web.Request) -> web.Response:
    overview = await refund_actions.refund_overview(request.app[NODE])
    return web.json_response(overview_json(overview))


REFUND_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("POST", "/api/v1/vouchers/{voucher_id:[0-9]+}/refund", refund_voucher),
    ("POST", f"{BASE}/abolition", abolish),
    ("GET", f"{BASE}/abolition", show_abolition),
    ("GET", f"{BASE}/refund-claims", list_claims),
    ("POST", f"{BASE}/refund-claims", record_claim),
    ("POST", f"{BASE}/refund-claims/{{claim_id}}/pay", pay_claim),
    ("GET", f"{BASE}/refunds", list_refunds),
)


def refund_paths() -> dict[str, dict[str, Any]]:
    return {
        "/api/v1/vouchers/{voucher_id}/refund": {
            "post": op(
                "Refund a voucher's balance: refused (refund.prohibited) unless a 府令 ground is"
                " given (資金決済法20条); small_amount within the period's limit, unavoidable"
                " with its reason",
                ref("Refund"),
                201,
                body="RefundVoucher",
                params=("voucher_id",),
                errors=(409, 422),
            )
        },
        f"{BASE}/abolition": {
            "post": op(
                "Announce the business abolition (公告) and open the refund claim period",
                ref("Abolition"),
                201,
                body="Abolish",
                errors=(409, 422),
            ),
            "get": op("The abolition and its claims, in figures", ref("AbolitionState")),
        },
        f"{BASE}/refund-claims": {
            "get": op(
                "The refund claims of the latest abolition", list_of("claims", "RefundClaim")
            ),
            "post": op(
                "Record a claim for a voucher nobody holds (a counter sale nobody took, a gift"
                " not received), for the bearer who showed it: sets its balance aside",
                ref("RefundClaim"),
                201,
                body="RecordClaim",
                errors=(404, 409, 422),
            ),
        },
        f"{BASE}/refund-claims/{{claim_id}}/pay": {
            "post": op(
                "Record a claim paid (its bank transfer's reference): books the refund",
                ref("RefundClaim"),
                body="PayClaim",
                params=("claim_id",),
                errors=(409, 422),
            )
        },
        f"{BASE}/refunds": {
            "get": op("Refunds booked, and this 基準期間's small-amount limit", ref("Refunds"))
        },
    }


def _abolition_schema() -> Schema:
    day = {"type": "string", "format": "date"}
    return obj(
        [
            "abolition_id",
            "notice_date",
            "claim_until",
            "opens_at",
            "closes_at",
            "declared_by",
            "declared_at",
        ],
        abolition_id=ID,
        notice_date=day,
        claim_until=day,
        opens_at=TIME,
        closes_at=TIME,
        declared_by={"type": "string"},
        declared_at=TIME,
    )


def _claim_schema() -> Schema:
    fields = ("claim_id", "voucher_id", "customer_id", "bank_name", "branch_name")
    props: dict[str, Schema] = {name: {"type": "string"} for name in fields}
    props |= {
        "account_number": {"type": "string"},
        "account_holder": {"type": "string"},
        "account_type": {"enum": [str(t) for t in AccountType]},
        "amount": yen(),
        "claimed_at": TIME,
        "paid": {"type": "boolean"},
        "reference": {"type": ["string", "null"]},
        "paid_at": MAYBE_TIME,
    }
    return obj(list(props), **props)


def _refund_schema() -> Schema:
    maybe_text: Schema = {"type": ["string", "null"]}
    return obj(
        [
            "refund_id",
            "voucher_id",
            "ground",
            "amount",
            "txn_id",
            "claim_id",
            "reason",
            "reference",
            "period_start",
            "refunded_by",
            "refunded_at",
        ],
        refund_id=ID,
        voucher_id={"type": "string"},
        ground={"enum": [str(g) for g in RefundGround]},
        amount=yen(),
        txn_id=ID,
        claim_id=maybe_text,
        reason=maybe_text,
        reference=maybe_text,
        period_start={"type": "string", "format": "date"},
        refunded_by={"type": "string"},
        refunded_at=TIME,
    )


def refund_schemas() -> dict[str, Schema]:
    day = text_matching(DATE_CORE, 20, "a local date, YYYY-MM-DD")
    state = obj(
        ["state", "abolition", "claims", "claimed", "paid", "unpaid"],
        state={"enum": ["none", "announced", "open", "closed"]},
        abolition=nullable(ref("Abolition")),
        claims=YEN0,
        claimed=YEN0,
        paid=YEN0,
        unpaid=YEN0,
    )
    figures = ("previous_issued", "previous_unused", "small_amount_limit", "small_amount_refunded")
    return {
        "Abolition": _abolition_schema(),
        "AbolitionState": state,
        "RefundClaim": _claim_schema(),
        "Refund": _refund_schema(),
        "Refunds": obj(
            ["period_start", "period_end", *figures, "refunds"],
            period_start={"type": "string", "format": "date"},
            period_end={"type": "string", "format": "date"},
            refunds={"type": "array", "items": ref("Refund")},
            **dict.fromkeys(figures, YEN0),
        ),
        "RefundVoucher": obj(
            [],
            ground={"enum": ["small_amount", "unavoidable"]},
            reason=text(refund_rules.MAX_REASON_CHARS, "why (required for unavoidable)"),
        ),
        "Abolish": obj(
            ["notice_date", "claim_until"],
            notice_date=day,
            claim_until=day,
        ),
        "RecordClaim": obj(
            ["voucher_id", "claimant_name", *ACCOUNT_FIELDS],
            voucher_id=text(MAX_FIELD_CHARS, "the voucher's number"),
            claimant_name=text(MAX_FIELD_CHARS, "the claimant's name"),
            **{name: text(MAX_FIELD_CHARS, name.replace("_", " ")) for name in ACCOUNT_FIELDS}
            | {"account_type": {"enum": [str(t) for t in AccountType]}},
        ),
        "PayClaim": obj(
            ["reference"],
            reference=text(refund_actions.MAX_REFERENCE_CHARS, "the bank transfer's reference"),
        ),
    }
