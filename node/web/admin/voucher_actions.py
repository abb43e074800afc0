"""The console's actions on one voucher: suspend (a lost phone), resume, extend the expiry.

Each is two steps, as every irreversible tap is: the form on the voucher's page (with its reason,
and for an extension the new last day) posts to a review that restates what will happen, checked
against the voucher's rules before it is shown; the review's button makes the change. A refusal
at either step comes back on the voucher's page, next to the field, with what was typed kept."""

from __future__ import annotations

from datetime import date, datetime

from aiohttp import web

from node.errors import VoucherNotFound
from node.ledger import actions, changes, queries
from node.ledger.calendar import end_of_local_day
from node.ledger.changes import ChangeRequest
from node.ledger.model import Voucher
from node.ledger.numbers import spaced_number
from node.runtime import Node
from node.web.actors import recorded_actor
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.admin.vouchers import detail
from node.web.guard import read_form, requires
from node.web.model import Role, Session

PAGE = "/admin/vouchers/{voucher_id}"
ACTIONS = ("suspend", "resume", "extend")
DONE = {"suspend": "done_va_suspended", "resume": "done_va_resumed", "extend": "done_va_extended"}


async def _voucher(node: Node, request: web.Request) -> Voucher:
    found = await queries.get_voucher(node.require_reader(), request.match_info["voucher_id"])
    if found is None:
        raise VoucherNotFound()
    return found


def _new_expiry(
    node: Node, form: dict[str, str], action: str
) -> tuple[date | None, datetime | None]:
    if action != "extend":
        return None, None
    through = actions.checked_date(form.get("expires_on", ""))
    return through, end_of_local_day(through, node.config.zone)


def _check(
    voucher: Voucher, action: str, reason: str, new_expiry: datetime | None, now: datetime
) -> None:
    """Run the rule on the voucher as it is now, so the review never offers what would be refused."""
    request = ChangeRequest(voucher.voucher_id, reason, "console", "check")
    if action == "suspend":
        changes.suspend(voucher, request, now)
    elif action == "resume":
        changes.resume(voucher, request, now)
    elif new_expiry is not None:
        changes.extend(voucher, request, new_expiry, now)


def _review(action: str) -> web.RouteDef:
    @requires(Role.ADMIN)
    @shown_inline(f"va-{action}", detail)
    async def handler(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
        form = await read_form(request)
        voucher = await _voucher(node, request)
        reason = actions.checked_reason(form.get("reason", ""))
        through, new_expiry = _new_expiry(node, form, action)
        _check(voucher, action, reason, new_expiry, node.clock.now())
        context = {
            "v": voucher,
            "action": action,
            "reason": reason,
            "new_last_day": through.isoformat() if through else "",
            "spaced": spaced_number,
        }
        return admin_page(
            request, node, session, "admin_voucher_confirm.html", context, section="/admin/vouchers"
        )

    return web.post(f"{PAGE}/{action}/review", handler)


def _act(action: str) -> web.RouteDef:
    @requires(Role.ADMIN)
    @shown_inline(f"va-{action}", detail)
    async def handler(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
        form = await read_form(request)
        voucher_id = request.match_info["voucher_id"]
        actor = recorded_actor(session)
        reason = form.get("reason", "")
        if action == "suspend":
            await actions.suspend_voucher(node, voucher_id, reason, actor)
        elif action == "resume":
            await actions.resume_voucher(node, voucher_id, reason, actor)
        else:
            through = actions.checked_date(form.get("expires_on", ""))
            await actions.extend_voucher(node, voucher_id, through, reason, actor)
        return after_action(f"/admin/vouchers/{voucher_id}", DONE[action])

    return web.post(f"{PAGE}/{action}", handler)


def routes() -> list[web.RouteDef]:
    return [route for action in ACTIONS for route in (_review(action), _act(action))]
