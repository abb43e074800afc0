"""The console's refunds (払戻し, 資金決済法20条): a voucher's refund (explained and refused unless a
府令 ground is chosen; two steps), the business abolition (announce it, two steps), its claims
(and the claim head office records for a voucher nobody holds) and their payment, this
基準期間's small-amount limit, and the notice on the console's home."""

from __future__ import annotations

from aiohttp import web

from node.compliance import refund_actions, refund_rules
from node.errors import ValidationError, VoucherNotFound
from node.ledger import queries
from node.ledger.numbers import spaced_number
from node.runtime import Node
from node.web.actors import recorded_actor
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.admin.vouchers import detail
from node.web.guard import read_form, requires
from node.web.model import Role, Session
from node.web.refund_wallet import ACCOUNT_FIELDS, MAX_FIELD_TEXT

PAGE = "/admin/refunds"
VOUCHER = "/admin/vouchers/{voucher_id}"


@requires(Role.ADMIN)
async def overview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/refunds: the abolition and its claims, the small-amount figures, refunds."""
    state = await refund_actions.abolition_state(node)
    figures = await refund_actions.refund_overview(node)
    today = node.clock.now().astimezone(node.config.zone).date()
    context = {
        "state": state,
        "figures": figures,
        "spaced": spaced_number,
        "today": today.isoformat(),
        "min_days": refund_rules.MIN_CLAIM_DAYS,
    }
    return admin_page(request, node, session, "admin_refunds.html", context, section=PAGE)


@requires(Role.ADMIN)
@shown_inline("rf-abolish", overview)
async def abolish_review(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    form = await read_form(request)
    notice = refund_actions.checked_day(form.get("notice_date", ""), "notice_date")
    until = refund_actions.checked_day(form.get("claim_until", ""), "claim_until")
    state = await refund_actions.abolition_state(node)
    # The rule itself, on what is recorded now, so the review never offers what would be refused.
    earlier = [] if state.abolition is None else [state.abolition]
    refund_rules.plan_abolition(
        "check", notice, until, "console", earlier, node.clock.now(), node.config.zone
    )
    context = {"notice_date": notice.isoformat(), "claim_until": until.isoformat()}
    return admin_page(request, node, session, "admin_refund_abolish.html", context, section=PAGE)


@requires(Role.ADMIN)
@shown_inline("rf-abolish", overview)
async def abolish(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    form = await read_form(request)
    await refund_actions.abolish(
        node, form.get("notice_date", ""), form.get("claim_until", ""), recorded_actor(session)
    )
    return after_action(PAGE, "done_rf_abolished")


@requires(Role.ADMIN)
@shown_inline("rf-pay-{claim_id}", overview)
async def pay(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    form = await read_form(request)
    await refund_actions.pay_claim(
        node, request.match_info["claim_id"], form.get("reference", ""), recorded_actor(session)
    )
    return after_action(PAGE, "done_rf_paid")


@requires(Role.ADMIN)
@shown_inline("rf-record", overview)
async def record_claim(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """A claim head office takes for a voucher nobody holds, from the bearer who showed it."""
    form = await read_form(request)
    fields = {name: form.get(name, "")[:MAX_FIELD_TEXT] for name in ACCOUNT_FIELDS}
    try:
        await refund_actions.record_claim(
            node, form.get("voucher_id", "")[:40], form.get("claimant_name", "")[:80], fields
        )
    except VoucherNotFound as exc:  # a number mistyped: said next to the field, kept
        raise ValidationError("No voucher has this number.", field="voucher_id") from exc
    return after_action(PAGE, "done_rf_recorded")


@requires(Role.ADMIN)
@shown_inline("rf-voucher", detail)
async def voucher_review(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """The voucher's refund form: no ground is the ban, answered next to the form with the law."""
    form = await read_form(request)
    ground = refund_rules.checked_ground(form.get("ground") or None)
    reason = refund_rules.checked_reason(ground, form.get("reason"))
    voucher = await queries.get_voucher(node.require_reader(), request.match_info["voucher_id"])
    if voucher is None:
        raise VoucherNotFound()
    figures = await refund_actions.refund_overview(node)
    context = {
        "v": voucher,
        "ground": str(ground),
        "reason": reason or "",
        "figures": figures,
        "spaced": spaced_number,
    }
    return admin_page(
        request, node, session, "admin_refund_confirm.html", context, section="/admin/vouchers"
    )


@requires(Role.ADMIN)
@shown_inline("rf-voucher", detail)
async def voucher_refund(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    form = await read_form(request)
    voucher_id = request.match_info["voucher_id"]
    await refund_actions.refund_voucher(
        node, voucher_id, form.get("ground") or None, form.get("reason"), recorded_actor(session)
    )
    return after_action(f"/admin/vouchers/{voucher_id}", "done_rf_refunded")


def routes() -> list[web.RouteDef]:
    return [
        web.get(PAGE, overview),
        web.post(f"{PAGE}/abolish/review", abolish_review),
        web.post(f"{PAGE}/abolish", abolish),
        web.post(PAGE + "/claims/{claim_id}/pay", pay),
        web.post(f"{PAGE}/claims", record_claim),
        web.post(f"{VOUCHER}/refund/review", voucher_review),
        web.post(f"{VOUCHER}/refund", voucher_refund),
    ]
