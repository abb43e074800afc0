"""The wallet's eligibility page for a campaign (参加資格の確認): which checks are done, and a
form for each way to prove it (serial code, email code, SMS code, postcode), with the LINE and
passkey buttons (node/web/campaign_verify_login.py). The decisions are node/campaigns/*_actions's;
a refusal is shown on the page, in the reader's language, with its code in data-code."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from node.campaigns import (
    actions,
    code_actions,
    eligibility_queries,
    residence_actions,
    serial_actions,
)
from node.campaigns.model import Method
from node.campaigns.one_time_codes import Channel
from node.errors import KippuError, PageNotFound, known_codes
from node.runtime import Node
from node.web.campaign_render import in_reader_language, render_campaign_page
from node.web.campaign_verify_mail import mail_code, require_mail
from node.web.campaign_words import METHOD_NAMES
from node.web.guard import read_form, requires
from node.web.model import Role, Session
from node.web.signin import see_other
from node.web.wallet_pages import customer_of, shown_account

CAMPAIGN_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_TYPED = 100


def campaign_of(request: web.Request) -> str:
    campaign_id = request.match_info["campaign_id"]
    if not CAMPAIGN_ID.fullmatch(campaign_id):
        raise PageNotFound()
    return campaign_id


def verify_path(campaign_id: str) -> str:
    return f"/wallet/campaigns/{campaign_id}/verify"


def _error_from_query(request: web.Request) -> KippuError | None:
    """A refusal a redirect carried (the LINE callback, the passkey script): only an
    eligibility code of the tree, never text from the address."""
    code = request.query.get("error", "")
    cls = known_codes().get(code) if code.startswith("eligibility.") else None
    return None if cls is None else cls()


async def show(
    request: web.Request,
    node: Node,
    session: Session,
    *,
    error: KippuError | None = None,
    typed: dict[str, str] | None = None,
    sent: dict[str, str] | None = None,
) -> web.Response:
    campaign_id = campaign_of(request)
    campaign = await actions.require_campaign(node, campaign_id)
    proofs = await eligibility_queries.proofs_of(
        node.require_reader(), campaign_id, customer_of(session)
    )
    error = error or _error_from_query(request)
    done = request.query.get("done", "")
    context = {
        "account": await shown_account(node, session.account),
        "campaign_id": campaign_id,
        "campaign_name": campaign.name,
        "methods": [m.value for m in Method if m in campaign.eligibility],
        "method_names": METHOD_NAMES,
        "done_methods": {p.method.value for p in proofs},
        "just_done": done if done in {m.value for m in Method} else "",
        "error": error,
        "error_field": None if error is None else error.details.get("field"),
        "typed": typed or {},
        "sent": sent or {},
        "sms_enabled": node.config.campaign_sms.is_enabled,
        "line_enabled": node.config.campaign_line.is_enabled,
    }
    status = 200 if error is None else error.http_status
    return render_campaign_page(
        request, "campaign_verify.html", context, csrf=session.csrf, status=status
    )


@requires(Role.CUSTOMER)
async def verify_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    return await show(request, node, session)


async def _typed(request: web.Request, *names: str) -> dict[str, str]:
    form = await read_form(request)
    return {name: form.get(name, "")[:MAX_TYPED] for name in names}


def _refused(exc: KippuError) -> KippuError:
    """An error the resident can act on is shown on the form; anything else goes up."""
    if not exc.is_actionable:
        raise exc
    return exc


@requires(Role.CUSTOMER)
async def use_serial(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    campaign_id, typed = campaign_of(request), await _typed(request, "serial")
    try:
        await serial_actions.use_serial(node, campaign_id, customer_of(session), typed["serial"])
    except KippuError as exc:
        return await show(request, node, session, error=_refused(exc), typed=typed)
    return see_other(f"{verify_path(campaign_id)}?done=serial")


@requires(Role.CUSTOMER)
async def declare_residence(
    request: web.Request, node: Node, session: Session
) -> web.StreamResponse:
    campaign_id, typed = campaign_of(request), await _typed(request, "postcode")
    try:
        await residence_actions.declare_residence(
            node, campaign_id, customer_of(session), typed["postcode"]
        )
    except KippuError as exc:
        return await show(request, node, session, error=_refused(exc), typed=typed)
    return see_other(f"{verify_path(campaign_id)}?done=residence")


@requires(Role.CUSTOMER)
async def send_email_code(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    campaign_id, typed = campaign_of(request), await _typed(request, "email")
    try:
        require_mail(node.config)  # before a code is stored that could never arrive
        answer, code = await code_actions.issue_email_code(
            node, campaign_id, customer_of(session), typed["email"]
        )
        await mail_code(node.config, answer["sent_to"], code)
    except KippuError as exc:
        return await show(request, node, session, error=_refused(exc), typed=typed)
    return await show(request, node, session, typed=typed, sent={"email": answer["sent_to"]})


@requires(Role.CUSTOMER)
async def send_sms_code(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    campaign_id, typed = campaign_of(request), await _typed(request, "phone")
    try:
        answer = await code_actions.send_sms_code(
            node, campaign_id, customer_of(session), typed["phone"]
        )
    except KippuError as exc:
        return await show(request, node, session, error=_refused(exc), typed=typed)
    return await show(request, node, session, typed=typed, sent={"sms": answer["sent_to"]})


def confirm_code(channel: Channel) -> Any:
    @requires(Role.CUSTOMER)
    async def confirm(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
        campaign_id, typed = campaign_of(request), await _typed(request, "code", "sent_to")
        try:
            await code_actions.confirm_code(
                node, campaign_id, customer_of(session), channel, typed["code"]
            )
        except KippuError as exc:
            sent = {channel.value: typed["sent_to"]} if typed["sent_to"] else {}
            return await show(request, node, session, error=_refused(exc), sent=sent)
        return see_other(f"{verify_path(campaign_id)}?done={channel.value}")

    confirm.__name__ = f"confirm_{channel.value}_code"
    return confirm


def routes() -> list[web.RouteDef]:
    base = "/wallet/campaigns/{campaign_id}/verify"
    # A refusal no form shows (no such campaign, a stale form) reads in the reader's language too.
    readable = in_reader_language(home="/wallet/campaigns")
    return [
        web.get(base, readable(verify_page)),
        web.post(base + "/serial", readable(use_serial)),
        web.post(base + "/residence", readable(declare_residence)),
        web.post(base + "/email", readable(send_email_code)),
        web.post(base + "/email/code", readable(confirm_code(Channel.EMAIL))),
        web.post(base + "/sms", readable(send_sms_code)),
        web.post(base + "/sms/code", readable(confirm_code(Channel.SMS))),
    ]
