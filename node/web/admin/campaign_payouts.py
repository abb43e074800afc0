"""The console's store payouts (精算・振込): the runs so far, a new run for a period shown first as
a preview (each store's use by campaign and class, stores without an account flagged, and every
reason the run would be refused, in words beside the form) and then confirmed; each run's page
with its lines, its usage CSV and 全銀 file (the very bytes the admin API serves), and the
campaigns' reconciliation with an alarm when it does not hold. The same actions as the admin API
and `kippu campaign payout` (node/campaigns/payout_actions.py); nothing here reads SQL."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.campaigns import actions, carry_actions, payout_actions, payout_preview
from node.errors import KippuError, NotFound
from node.runtime import Node
from node.web.actors import recorded_actor
from node.web.admin import campaign_carries
from node.web.admin.campaigns import PAGE, local_at, section_tabs
from node.web.admin.form_errors import FAILED, FailedForm, failed_form, message_of, shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.guard import read_form, requires
from node.web.i18n import error_text
from node.web.model import Role, Session
from node.web.pages import language

PAYOUTS = f"{PAGE}/payouts"
RUN = f"{PAYOUTS}/{{payout_id:po_[0-9a-z]+}}"
PERIOD_FIELDS = ("from", "to", "transfer_date")
DAY_CHARS = 10


def named(error: KippuError, names: dict[str, str]) -> KippuError:
    """The error naming its store by name beside its id (the office knows stores by name)."""
    store_id = error.details.get("store_id")
    name = error.details.get("store_name") or names.get(str(store_id))
    if store_id and name:
        error.details["store_id"] = f"{name} {store_id}"
    return error


def _sent(request: web.Request) -> dict[str, str]:
    """The period asked about: the preview's query, or the confirm form that was refused."""
    failed = failed_form(request)
    return {
        name: (request.query.get(name) or failed.kept(failed.form, name)).strip()[:DAY_CHARS]
        for name in PERIOD_FIELDS
    }


async def _preview(request: web.Request, node: Node, sent: dict[str, str]) -> dict[str, Any] | None:
    """The preview of the period asked about, or None; days that are not days are shown
    beside the preview form, as a refused form is."""
    if not (sent["from"] and sent["to"]):
        return None
    try:
        found = await payout_preview.preview_payout(
            node, sent["from"], sent["to"], sent["transfer_date"] or None
        )
    except KippuError as exc:
        if not exc.is_actionable or isinstance(exc, NotFound):
            raise
        field = exc.details.get("field")
        field_name = str(field) if field else None
        request[FAILED] = FailedForm(
            "cp-preview",
            field_name,
            message_of(exc, language(request), field_name),
            exc.http_status,
            exc.code,
            {name: [value] for name, value in sent.items()},
        )
        return None
    lang = language(request)
    names = {s["store_id"]: s["store_name"] for s in found["stores"]}
    found["refusals"] = [
        {"code": e.code, "text": error_text(e.code, named(e, names).details, lang)}
        for e in found["refusals"]
    ]
    return found


@requires(Role.ADMIN)
async def overview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/campaigns/payouts[?from=&to=&transfer_date=]: the runs, the form, a preview."""
    sent = _sent(request)
    preview = await _preview(request, node, sent)
    context = {
        "payouts": list(reversed((await payout_actions.list_payouts(node))["payouts"])),
        "carry_total": (await carry_actions.list_carries(node))["total_yen"],
        "sent": sent,
        "preview": preview,
        "tabs": section_tabs(request),
        "tab": PAYOUTS,
        "at": local_at(node),
    }
    return admin_page(request, node, session, "admin_campaign_payouts.html", context, section=PAGE)


@requires(Role.ADMIN)
@shown_inline("cp-run", overview)
async def run(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/campaigns/payouts: the run recorded (the same period twice: the same run)."""
    form = await read_form(request)
    sent = {name: form.get(name, "").strip()[:DAY_CHARS] for name in PERIOD_FIELDS}
    try:
        made = await payout_actions.run_payout(
            node, sent["from"], sent["to"], sent["transfer_date"] or None, recorded_actor(session)
        )
    except KippuError as exc:
        if "store_id" in exc.details:
            stores = (await payout_preview.store_banks(node))["stores"]
            named(exc, {s["store_id"]: s["name"] for s in stores})
        raise
    return after_action(f"{PAYOUTS}/{made['payout_id']}", "done_cpp_run")


@requires(Role.ADMIN)
async def one(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/campaigns/payouts/{payout_id}: the run's lines, downloads, the books."""
    answer = await payout_actions.show_payout(node, request.match_info["payout_id"])
    books = await payout_actions.reconcile(node)
    in_run = {line["campaign_id"] for line in answer["lines"]}
    listed = (await actions.list_campaigns(node))["campaigns"]
    context = {
        "p": answer,
        "campaign_names": {c["campaign_id"]: c["name"] for c in listed},
        "books": books,
        "in_run": in_run,
        "tabs": section_tabs(request),
        "tab": PAYOUTS,
        "at": local_at(node),
    }
    return admin_page(request, node, session, "admin_campaign_payout.html", context, section=PAGE)


@requires(Role.ADMIN)
async def usage_csv(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET …/usage.csv: the run's use by store, campaign and class (as the API serves it)."""
    payout_id = request.match_info["payout_id"]
    content = await payout_actions.payout_csv(node, payout_id)
    return web.Response(
        body=content.encode("utf-8"),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{payout_id}.csv"'},
    )


@requires(Role.ADMIN)
async def transfer_file(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET …/transfer-file: the run's 全銀 総合振込 file, read back before it is served."""
    payout_id = request.match_info["payout_id"]
    content = await payout_actions.payout_file(node, payout_id)
    return web.Response(
        body=content,
        content_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{payout_id}.txt"'},
    )


def routes() -> list[web.RouteDef]:
    return [
        web.get(PAYOUTS, overview),
        web.post(PAYOUTS, run),
        web.get(RUN, one),
        web.get(f"{RUN}/usage.csv", usage_csv),
        web.get(f"{RUN}/transfer-file", transfer_file),
        *campaign_carries.routes(),
    ]
