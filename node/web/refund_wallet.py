"""The wallet's refund claim (払戻し請求) during a business abolition (資金決済法20条): from the
public notice date to the last day of the claim period, a holder claims a voucher's whole
balance and says where to pay it (a bank account); then sees the claim and whether it was paid."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.compliance import refund_actions, refund_queries
from node.compliance.refund_actions import AbolitionState
from node.compliance.refund_model import AccountType, RefundClaim
from node.errors import KippuError
from node.ledger.model import Voucher, VoucherStatus
from node.runtime import Node
from node.web.guard import read_form, requires
from node.web.model import Role, Session
from node.web.wallet_pages import customer_of, own_voucher, page

ACCOUNT_FIELDS = ("bank_name", "branch_name", "account_type", "account_number", "account_holder")
MAX_FIELD_TEXT = 80


def can_claim(state: AbolitionState, voucher: Voucher, claim: RefundClaim | None) -> bool:
    """Offered while the window is open, for an active voucher with a balance and no claim."""
    return (
        state.is_open
        and claim is None
        and voucher.status == VoucherStatus.ACTIVE
        and voucher.balance_yen > 0
        and not voucher.is_expired_at(state.now)
    )


async def claim_offer(node: Node, voucher: Voucher) -> dict[str, Any]:
    """What the voucher page shows: the claim button, or the claim made."""
    state = await refund_actions.abolition_state(node)
    claim = await refund_queries.claim_of_voucher(node.require_reader(), voucher.voucher_id)
    return {"refund_offer": can_claim(state, voucher, claim), "refund_claim": claim}


async def _claim_page(
    request: web.Request,
    node: Node,
    session: Session,
    voucher: Voucher,
    typed: dict[str, str],
    error: KippuError | None = None,
) -> web.Response:
    state = await refund_actions.abolition_state(node)
    claim = await refund_queries.claim_of_voucher(node.require_reader(), voucher.voucher_id)
    return await page(
        request,
        node,
        session,
        "refund_claim.html",
        status=200 if error is None else error.http_status,
        voucher=voucher,
        state=state,
        claim=claim,
        can_claim=can_claim(state, voucher, claim),
        typed=typed,
        error=error,
        account_types=[str(t) for t in AccountType],
    )


@requires(Role.CUSTOMER)
async def claim_form(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    voucher = await own_voucher(node, session, request.match_info["voucher_id"])
    return await _claim_page(request, node, session, voucher, {})


@requires(Role.CUSTOMER)
async def claim(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    voucher = await own_voucher(node, session, request.match_info["voucher_id"])
    form = await read_form(request)
    typed = {name: form.get(name, "")[:MAX_FIELD_TEXT] for name in ACCOUNT_FIELDS}
    try:
        await refund_actions.claim_refund(node, voucher.voucher_id, customer_of(session), typed)
    except KippuError as exc:
        if not exc.is_actionable:
            raise
        return await _claim_page(request, node, session, voucher, typed, exc)
    raise web.HTTPSeeOther(f"/wallet/v/{voucher.voucher_id}/refund")


def routes() -> list[web.RouteDef]:
    return [
        web.get("/wallet/v/{voucher_id}/refund", claim_form),
        web.post("/wallet/v/{voucher_id}/refund", claim),
    ]
