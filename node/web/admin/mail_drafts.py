"""The console's compose page for campaign mail (/admin/mail/new, under お客様): the segment,
subject, body with its variables, send time, rate and an optional offer; プレビュー shows who
would receive it and the message as one of them reads it, テスト送信 sends that message to an
address of head office's own, 送信 makes the mail and opens its status page.

Everything is node/crm's (mail_compose.py's preview and test message, mail_actions.create) and
node/web/crm_mail_api.py's test send, the same the admin API and `kippu mail` use: the preview
and the test record nothing. A refusal re-shows the form as typed with the error beside its
field. A node whose sender is incomplete ([issuer] or SMTP not set) says so before anyone types."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.crm import mail_actions, mail_compose, segment_actions
from node.crm.mail_api import MAIL_REQUEST_BYTES, sample_json
from node.crm.mail_compose import read_draft
from node.crm.mail_model import BODY_MAX, PER_MINUTE_DEFAULT, SUBJECT_MAX, VARIABLES
from node.errors import InvalidMail, SenderIncomplete
from node.ledger import queries as ledger_queries
from node.runtime import Node
from node.web.actors import recorded_actor
from node.web.admin import mail_form
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.crm_mail_api import send_test
from node.web.guard import MAX_FORM_BYTES, form_values, read_form, requires
from node.web.i18n import error_explainer
from node.web.model import Role, Session
from node.web.pages import language

PAGE = "/admin/mail/new"
SECTION = "/admin/customers"
FORM = "mail-form"
STORES = "offer.stores"
# The form is sent as multipart, its text as UTF-8 (a Japanese character three bytes, where
# urlencoded takes nine): a body of BODY_MAX characters fits what the API takes, with room for
# the other fields; more than the console's usual 16 KiB, so only on these POSTs.
FORM_BYTES = MAIL_REQUEST_BYTES + MAX_FORM_BYTES
# What a fresh form holds; the rest is empty.
FRESH = {"segment": "all", "send_when": mail_form.SEND_NOW, "per_minute": str(PER_MINUTE_DEFAULT)}


async def _render(
    request: web.Request,
    node: Node,
    session: Session,
    entered: dict[str, str],
    chosen_stores: list[str],
    shown: dict[str, Any],
) -> web.Response:
    """The compose page; `entered` and `chosen_stores` fill the form (a refusal's own typed
    values win over them), `shown` adds the preview or the test send's notice."""
    sender_problem = None
    missing: list[str] = []
    try:
        mail_compose.sender(node)
    except SenderIncomplete as exc:
        sender_problem = error_explainer(language(request))(exc)
        missing = [str(key) for key in exc.details.get("missing", [])]
    context: dict[str, Any] = {
        "segments": await segment_actions.listed(node),
        "stores": await ledger_queries.list_stores(node.require_report_reader()),
        "variables": VARIABLES,
        "entered": {**FRESH, **entered},
        "chosen_stores": chosen_stores,
        "sender_problem": sender_problem,
        "missing": missing,
        "fields": mail_form.FIELDS,
        "subject_max": SUBJECT_MAX,
        "body_max": BODY_MAX,
        "preview": None,
        "sample": None,
        "test_sent_to": None,
        **shown,
    }
    return admin_page(request, node, session, "admin_mail_new.html", context, section=SECTION)


@requires(Role.ADMIN)
async def compose_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    return await _render(request, node, session, {}, [], {})


async def _typed(request: web.Request) -> tuple[dict[str, str], list[str], mail_form.TypedMail]:
    form = await read_form(request)
    stores = await form_values(request, STORES)
    return form, stores, mail_form.typed_mail(form, stores)


async def _draft(node: Node, typed: mail_form.TypedMail) -> mail_compose.Draft:
    draft, _ = await read_draft(node, typed.subject, typed.body, typed.offer, typed.send_at)
    return draft


@requires(Role.ADMIN, form_bytes=FORM_BYTES)
@shown_inline(FORM, compose_page)
async def preview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Who the mail would reach now and the message as the first recipient reads it."""
    form, stores, typed = await _typed(request)
    found = await mail_compose.preview(node, typed.segment, await _draft(node, typed))
    shown = {"preview": found, "sample": sample_json(found)}
    return await _render(request, node, session, form, stores, shown)


@requires(Role.ADMIN, form_bytes=FORM_BYTES)
@shown_inline(FORM, compose_page, {"mail.not_sent": "test_to"})
async def test_send(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """The preview's message, marked 【テスト送信】, to the address typed; nothing recorded."""
    form, stores, typed = await _typed(request)
    draft = await _draft(node, typed)
    to = form.get("test_to", "")
    try:
        made = await send_test(node, typed.segment, draft, to)
    except InvalidMail as exc:
        if exc.details.get("field") != "to":
            raise
        raise InvalidMail(str(exc), field="test_to") from exc
    shown = {"test_sent_to": str(made["To"])}
    return await _render(request, node, session, form, stores, shown)


@requires(Role.ADMIN, form_bytes=FORM_BYTES)
@shown_inline(FORM, compose_page)
async def create(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """The mail made for its time (now by default); on to its status page."""
    _form, _stores, typed = await _typed(request)
    mail = await mail_actions.create(
        node,
        typed.segment,
        typed.subject,
        typed.body,
        typed.send_at,
        typed.per_minute,
        recorded_actor(session),
        typed.offer,
    )
    return after_action(f"/admin/mail/{mail.mail_id}", "done_ml_created")


def routes() -> list[web.RouteDef]:
    """Before the status page's routes: `new` is no mail's id."""
    return [
        web.get(PAGE, compose_page),
        web.post(PAGE, create),
        web.post(PAGE + "/preview", preview),
        web.post(PAGE + "/test", test_send),
    ]
