"""The console's actions on a voucher sold at a counter: show its hand-over QR again while no
customer has taken it, and cancel the sale on its business day (head office may for any store).

The same writer work as the counter's (node/web/handover.py); this module reads and renders."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.errors import KippuError, SaleNotFound, VoucherNotFound
from node.ledger import core, sale_queries
from node.ledger import queries as ledger_queries
from node.ledger.model import Sale, Voucher, VoucherStatus
from node.ledger.numbers import spaced_number
from node.runtime import Node
from node.web import handover
from node.web.actors import recorded_actor
from node.web.admin.frame import admin_page, after_action
from node.web.guard import requires
from node.web.model import Role, Session

SECTION = "/admin/vouchers"


async def sale_context(node: Node, voucher: Voucher) -> dict[str, Any]:
    """What the voucher page shows of a counter sale and which of its two buttons it offers."""
    sale = await sale_queries.get_sale(node.require_report_reader(), voucher.voucher_id)
    refusal: KippuError | None = None
    if sale is not None:
        try:
            core.require_cancellable(voucher, sale, None, node.clock.now(), node.config.zone)
        except KippuError as exc:
            refusal = exc
    return {
        "sale": sale,
        "can_show_handover": sale is not None
        and not sale.is_cancelled
        and voucher.holder_id is None
        and voucher.status == VoucherStatus.ACTIVE,
        "can_cancel_sale": sale is not None and refusal is None,
        "sale_refusal": refusal,
    }


def actors_of(sale: Sale | None) -> set[str]:
    """Who sold and who cancelled `sale`, as recorded (node/web/actors.py reads them)."""
    if sale is None:
        return set()
    return {sale.sold_by, *([sale.cancelled_by] if sale.cancelled_by else [])}


async def _sale_and_voucher(node: Node, voucher_id: str) -> tuple[Sale, Voucher]:
    reader = node.require_reader()
    voucher = await ledger_queries.get_voucher(reader, voucher_id[:40])
    if voucher is None:
        raise VoucherNotFound()
    sale = await sale_queries.get_sale(reader, voucher.voucher_id)
    if sale is None:
        raise SaleNotFound()
    return sale, voucher


@requires(Role.ADMIN)
async def show_handover(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/vouchers/{id}/handover: the hand-over QR again (a fresh link; the old one stops)."""
    sale, _ = await _sale_and_voucher(node, request.match_info["voucher_id"])
    link = await handover.renew_link(node, sale.voucher_id)
    context = {"sale": sale, "link": link, "spaced": spaced_number}
    return admin_page(request, node, session, "admin_handover.html", context, section=SECTION)


async def _cancel_page(
    request: web.Request, node: Node, session: Session, error: KippuError | None
) -> web.Response:
    sale, voucher = await _sale_and_voucher(node, request.match_info["voucher_id"])
    refusal = error
    if refusal is None:
        try:
            core.require_cancellable(voucher, sale, None, node.clock.now(), node.config.zone)
        except KippuError as exc:
            refusal = exc
    store = await ledger_queries.get_store(node.require_reader(), sale.store_id)
    context = {
        "sale": sale,
        "v": voucher,
        "store_name": store.name if store else sale.store_id,
        "error": refusal,
        "spaced": spaced_number,
    }
    status = refusal.http_status if refusal else 200
    return admin_page(
        request, node, session, "admin_sale_cancel.html", context, section=SECTION, status=status
    )


@requires(Role.ADMIN)
async def cancel_form(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/vouchers/{id}/cancel-sale: the confirm step, with the refund restated."""
    return await _cancel_page(request, node, session, None)


@requires(Role.ADMIN)
async def cancel(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/vouchers/{id}/cancel-sale: the correcting entry; back to the voucher."""
    sale, _ = await _sale_and_voucher(node, request.match_info["voucher_id"])
    try:
        await handover.cancel_sale(node, sale.voucher_id, None, recorded_actor(session))
    except KippuError as exc:
        return await _cancel_page(request, node, session, exc)
    return after_action(f"/admin/vouchers/{sale.voucher_id}", "done_sale_cancelled")


def routes() -> list[web.RouteDef]:
    return [
        web.post("/admin/vouchers/{voucher_id}/handover", show_handover),
        web.get("/admin/vouchers/{voucher_id}/cancel-sale", cancel_form),
        web.post("/admin/vouchers/{voucher_id}/cancel-sale", cancel),
    ]
