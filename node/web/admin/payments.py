"""Console pages for card payments (カード決済): each online sale and its payment, newest first,
with status, amount, customer, product, voucher, fee and refund; one payment's detail."""

from __future__ import annotations

from aiohttp import web

from node.errors import PaymentNotFound, ValidationError
from node.payments import queries as payment_queries
from node.payments.model import PaymentStatus
from node.runtime import Node
from node.web.admin.frame import admin_page
from node.web.guard import requires
from node.web.model import Role, Session

LIST_LIMIT = 200


def status_filter(text: str) -> PaymentStatus | None:
    """`?status=` of the list and the API: one of PaymentStatus, or empty for all."""
    if not text:
        return None
    try:
        return PaymentStatus(text)
    except ValueError:
        raise ValidationError(
            "`status` must be one of " + ", ".join(PaymentStatus) + ".", field="status"
        ) from None


@requires(Role.ADMIN)
async def list_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/payments[?status=]: the card payments, newest first."""
    status = status_filter(request.query.get("status", ""))
    payments = await payment_queries.list_payments(node.require_report_reader(), status, LIST_LIMIT)
    context = {
        "payments": payments,
        "status": str(status or ""),
        "statuses": list(PaymentStatus),
        "is_capped": len(payments) >= LIST_LIMIT,
        "limit": LIST_LIMIT,
    }
    return admin_page(
        request, node, session, "admin_payments.html", context, section="/admin/payments"
    )


@requires(Role.ADMIN)
async def detail(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/payments/{payment_id}: one payment, its Stripe ids, voucher, fee and refund."""
    payment = await payment_queries.get_payment(
        node.require_report_reader(), request.match_info["payment_id"][:64]
    )
    if payment is None:
        raise PaymentNotFound()
    return admin_page(
        request, node, session, "admin_payment.html", {"p": payment}, section="/admin/payments"
    )


def routes() -> list[web.RouteDef]:
    return [
        web.get("/admin/payments", list_page),
        web.get("/admin/payments/{payment_id}", detail),
    ]
