"""The console's segments (セグメント, under お客様): every saved segment with its live count and
the built-in `all`; the create form offering every filter the admin API takes, its refusals shown
beside the field; delete after a confirm step; each segment's members as CSV. The segments are
node/crm's (segment_actions.py), the same the admin API and `kippu segment` use.

Pages address a segment by its id (`sg_...`, or `all`): a name is whatever a person typed, a
slash included, and has no place in a path."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.crm import segment_actions, segment_queries
from node.crm.consents import Purpose
from node.crm.segments import NAME_MAX, TAG_MAX, Segment
from node.errors import SegmentNotFound
from node.ledger import queries as ledger_queries
from node.ledger import record_queries
from node.runtime import Node
from node.web.actors import recorded_actor
from node.web.admin import segment_form
from node.web.admin.exports import BOM, csv_lines
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.guard import form_values, read_form, requires
from node.web.model import Role, Session
from node.web.pages import SECURITY_HEADERS

PAGE = "/admin/segments"
SECTION = "/admin/customers"
FORM = "new-segment"
MEMBERS_HEADER = (
    "customer_id",
    "name",
    "email",
    "registered_at",
    "balance_yen",
    "marketing_consent",
)


@requires(Role.ADMIN)
async def overview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    stores = await ledger_queries.list_stores(node.require_report_reader())
    names = {s.store_id: s.name for s in stores}
    listed = []
    for segment in await segment_actions.listed(node):
        counted = await segment_actions.count(node, segment.filters)
        listed.append((segment, counted, segment_form.shown_filters(segment.filters, names)))
    context: dict[str, Any] = {
        "listed": listed,
        "stores": stores,
        "rfm_classes": segment_form.RFM_CLASSES,
        "months": range(1, 13),
        "fields": segment_form.FORM_FIELDS,
        "name_max": NAME_MAX,
        "tag_max": TAG_MAX,
    }
    return admin_page(request, node, session, "admin_segments.html", context, section=SECTION)


@requires(Role.ADMIN)
@shown_inline(FORM, overview, {"segment.name_taken": "name"})
async def create(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    form = await read_form(request)
    stores = await form_values(request, segment_form.STORES)
    raw = segment_form.typed_filters(form, stores)
    await segment_actions.create(node, form.get("name", ""), raw, recorded_actor(session))
    return after_action(PAGE, "done_sg_created")


async def _segment(node: Node, segment_id: str) -> Segment:
    for segment in await segment_actions.listed(node):
        if segment.segment_id == segment_id:
            return segment
    raise SegmentNotFound()


async def _saved(node: Node, segment_id: str) -> Segment:
    """A segment that can be deleted: any but the built-in one."""
    segment = await _segment(node, segment_id)
    if segment.segment_id == segment_actions.EVERYONE.segment_id:
        raise SegmentNotFound("The built-in segment `all` cannot be deleted.")
    return segment


@requires(Role.ADMIN)
async def confirm_delete(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    segment = await _saved(node, request.match_info["segment_id"])
    context = {"segment": segment, "count": await segment_actions.count(node, segment.filters)}
    return admin_page(request, node, session, "admin_segment_delete.html", context, section=SECTION)


@requires(Role.ADMIN)
async def delete(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    await read_form(request)
    segment = await _saved(node, request.match_info["segment_id"])
    await segment_actions.delete(node, segment.name)
    return after_action(PAGE, "done_sg_deleted")


@requires(Role.ADMIN)
async def members_csv(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Who is in the segment now, by customer id, written a chunk of customers at a time: the
    registration head office sees on the customers' pages, the balance on usable vouchers and
    whether marketing mail may be sent to them (nothing of the profile)."""
    segment = await _segment(node, request.match_info["segment_id"])
    ids = sorted(await segment_actions.members(node, segment.filters))
    db = node.require_report_reader()
    now, zone = node.clock.now(), node.config.zone
    balances = await segment_queries.usable_balances(db, now)
    consenting = await segment_queries.consenting(db, str(Purpose.MARKETING_EMAIL))
    day = now.astimezone(zone).date().isoformat()
    response = web.StreamResponse(
        headers={
            **SECURITY_HEADERS,
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="segment-{segment.segment_id}-{day}.csv"',
        }
    )
    await response.prepare(request)
    await response.write(BOM.encode("utf-8") + csv_lines([MEMBERS_HEADER]))
    step = record_queries.CUSTOMERS_AT_ONCE
    for start in range(0, len(ids), step):
        customers = await record_queries.customers_among(db, ids[start : start + step])
        rows = [
            [
                c.customer_id,
                c.name,
                c.email or "",
                c.created_at.astimezone(zone).isoformat(timespec="seconds"),
                balances.get(c.customer_id, 0),
                "yes" if c.customer_id in consenting else "no",
            ]
            for c in customers
        ]
        await response.write(csv_lines(rows))
    await response.write_eof()
    return response


def routes() -> list[web.RouteDef]:
    one = PAGE + "/{segment_id}"
    return [
        web.get(PAGE, overview),
        web.post(PAGE, create),
        web.get(one + "/members.csv", members_csv),
        web.get(one + "/delete", confirm_delete),
        web.post(one + "/delete", delete),
    ]
