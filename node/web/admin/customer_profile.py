"""Head office's forms on a customer's page (/admin/customers/{customer_id}): the profile with the
customer's name, a consent to marketing mail given or withdrawn as the customer told head office
(method `console`), and the erasure of their personal data (削除) after a confirm step.

A refused form shows the page again with the error beside its field and changes nothing
(node/web/admin/form_errors.py); the rules are the CRM's (node/crm/profiles.py, consents.py)."""

from __future__ import annotations

import re

from aiohttp import web

from node.crm import consent_actions, profile_actions
from node.crm.consents import ConsentMethod
from node.crm.profiles import FIELDS
from node.errors import AlreadyErased, CustomerNotFound
from node.ledger import record_queries as ledger_records
from node.runtime import Node
from node.web.accounts import retire_customer_account
from node.web.actors import recorded_actor
from node.web.admin.customers import detail
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.guard import read_form, requires
from node.web.model import Role, Session

PAGE = "/admin/customers"
_TAG_SEPARATORS = re.compile(r"[,、，\n]")  # noqa: RUF001 (the Japanese comma is meant)


def tags_typed(text: str) -> list[str]:
    """Tags as typed in one box, separated by commas (, 、) or lines; blanks dropped."""
    return [tag.strip() for tag in _TAG_SEPARATORS.split(text) if tag.strip()]


def _answer(typed: str) -> object:
    """The consent form's radio: "1" given, "0" withdrawn; anything else is passed on for the
    CRM's reading to refuse by its field."""
    return {"1": True, "0": False}.get(typed, typed)


@requires(Role.ADMIN)
@shown_inline("profile-form", detail)
async def save_profile(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/customers/{customer_id}/profile: name and profile, every field replaced."""
    customer_id = request.match_info["customer_id"]
    form = await read_form(request)
    body: dict[str, object] = {key: form.get(key, "") for key in FIELDS if key != "tags"}
    body["tags"] = tags_typed(form.get("tags", ""))
    await profile_actions.save_with_name(
        node, customer_id, form.get("name", ""), body, recorded_actor(session)
    )
    return after_action(f"{PAGE}/{customer_id}", "done_pf_saved")


@requires(Role.ADMIN)
@shown_inline("consent-form", detail)
async def record_consent(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/customers/{customer_id}/consent: `marketing` 1 (given) or 0 (withdrawn), and
    the wording the customer was shown, if head office has it (else the standard wording)."""
    customer_id = request.match_info["customer_id"]
    form = await read_form(request)
    wording = form.get("wording", "").strip() or None
    await consent_actions.record(
        node,
        customer_id,
        _answer(form.get("marketing", "")),
        wording,
        ConsentMethod.CONSOLE,
        recorded_actor(session),
    )
    return after_action(f"{PAGE}/{customer_id}", "done_pf_consent")


@requires(Role.ADMIN)
async def confirm_erase(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/customers/{customer_id}/erase: what erasing does, and the reason to record."""
    customer = await ledger_records.get_customer(
        node.require_report_reader(), request.match_info["customer_id"]
    )
    if customer is None:
        raise CustomerNotFound()
    if await profile_actions.erased_at(node, customer.customer_id) is not None:
        raise AlreadyErased()
    context = {"customer": customer}
    return admin_page(request, node, session, "admin_customer_erase.html", context, section=PAGE)


@requires(Role.ADMIN)
@shown_inline("erase-form", confirm_erase)
async def erase(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/customers/{customer_id}/erase: refused while the customer holds value."""
    customer_id = request.match_info["customer_id"]
    form = await read_form(request)
    await profile_actions.erase(
        node,
        customer_id,
        form.get("reason", ""),
        ConsentMethod.CONSOLE,
        recorded_actor(session),
        also=retire_customer_account(customer_id, node.clock.now()),
    )
    return after_action(f"{PAGE}/{customer_id}", "done_pf_erased")


def routes() -> list[web.RouteDef]:
    return [
        web.post(PAGE + "/{customer_id}/profile", save_profile),
        web.post(PAGE + "/{customer_id}/consent", record_consent),
        web.get(PAGE + "/{customer_id}/erase", confirm_erase),
        web.post(PAGE + "/{customer_id}/erase", erase),
    ]
