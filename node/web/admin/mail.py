"""The console's campaign mail (キャンペーンメール, under お客様): the list of mails, newest first
(/admin/mail), and each mail's status page (/admin/mail/{mail_id}): its counts by recipient
status, the offer and its coupons' use, its recipients a hundred a page, and the cancel of a mail
not started yet after a confirm step. The compose page is mail_drafts.py. Everything is
node/crm's (mail_actions.state, mail_queries.campaigns), the same `kippu mail` and the admin API
answer.

While a mail is sending (or due to start) the status page asks for itself again every few
seconds by script (mail-status.js) and writes in the new figures; without script, 更新 does it."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from aiohttp import web

from node.crm import mail_actions, mail_queries
from node.crm.mail_model import (
    NOT_CONSENTING,
    OFFER_ENDED,
    MailCampaign,
    MailStatus,
    RecipientStatus,
)
from node.errors import ValidationError
from node.http.input import only_query
from node.ledger import queries as ledger_queries
from node.runtime import Node
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.guard import read_form, requires
from node.web.model import Role, Session

PAGE = "/admin/mail"
SECTION = "/admin/customers"
ROWS = 100  # recipients a page
REFRESH_MS = 3_000
DUE_SOON = timedelta(minutes=5)  # a scheduled mail this close to its time is watched too
_PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")
STATUSES = tuple(str(s) for s in RecipientStatus)
# The node's own reasons for a recipient's status, as text keys; anything else (an SMTP
# server's answer) is shown as it came.
REASONS = {
    NOT_CONSENTING: "ml_reason_no_consent",
    OFFER_ENDED: "ml_reason_offer_ended",
    f"not sent in {mail_actions.MAX_ATTEMPTS} attempts": "ml_reason_attempts",
}


def _counts(found: dict[str, int]) -> dict[str, int]:
    return {status: found.get(status, 0) for status in STATUSES}


@requires(Role.ADMIN)
async def mail_list(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    db = node.require_report_reader()
    listed = [
        (mail, _counts(await mail_queries.status_counts(db, mail.mail_id)))
        for mail in await mail_queries.campaigns(node.require_reader())
    ]
    context = {"listed": listed, "statuses": STATUSES}
    return admin_page(request, node, session, "admin_mail.html", context, section=SECTION)


def _page_number(request: web.Request) -> int:
    only_query(request, "page", "done")
    raw = request.query.get("page", "1")
    if not _PAGE_NUMBER.fullmatch(raw):
        raise ValidationError("`page` must be a whole number from 1.")
    return int(raw)


def is_live(mail: MailCampaign, node: Node) -> bool:
    """Whether the figures are still moving: sending, or due to start within minutes."""
    if mail.status == MailStatus.SENDING:
        return True
    return mail.status == MailStatus.SCHEDULED and mail.send_at <= node.clock.now() + DUE_SOON


@requires(Role.ADMIN)
async def status_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    number = _page_number(request)
    found = await mail_actions.state(node, request.match_info["mail_id"], ROWS, (number - 1) * ROWS)
    counts = _counts(found.counts)
    total = sum(counts.values())
    stores = await ledger_queries.list_stores(node.require_report_reader())
    names = {s.store_id: s.name for s in stores}
    offer_stores = [names.get(s, s) for s in found.offer.store_ids] if found.offer else []
    context: dict[str, Any] = {
        "mail": found.mail,
        "counts": counts,
        "total": total,
        "offer": found.offer,
        "offer_stores": offer_stores,
        "use": found.offer_use,
        "recipients": found.recipients,
        "reasons": REASONS,
        "page": number,
        "first_row": (number - 1) * ROWS + 1,
        "has_next": number * ROWS < total,
        "is_live": is_live(found.mail, node),
        "refresh_ms": REFRESH_MS,
        "can_cancel": found.mail.status == MailStatus.SCHEDULED,
    }
    return admin_page(request, node, session, "admin_mail_status.html", context, section=SECTION)


@requires(Role.ADMIN)
async def confirm_cancel(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    mail = await mail_actions.found(node, request.match_info["mail_id"])
    context = {"mail": mail, "can_cancel": mail.status == MailStatus.SCHEDULED}
    return admin_page(request, node, session, "admin_mail_cancel.html", context, section=SECTION)


@requires(Role.ADMIN)
@shown_inline("cancel-form", confirm_cancel)
async def cancel(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Refused (beside the button) once the mail has started: nothing is unsent."""
    await read_form(request)
    mail = await mail_actions.cancel(node, request.match_info["mail_id"])
    return after_action(f"{PAGE}/{mail.mail_id}", "done_ml_cancelled")


def routes() -> list[web.RouteDef]:
    one = PAGE + "/{mail_id}"
    return [
        web.get(PAGE, mail_list),
        web.get(one, status_page),
        web.get(one + "/cancel", confirm_cancel),
        web.post(one + "/cancel", cancel),
    ]
