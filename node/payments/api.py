"""Admin API for card payments: `GET /api/v1/payments` (newest first, by status) and one
payment; what head office's console page shows, described in the OpenAPI document."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.clock import iso
from node.errors import PaymentNotFound, ValidationError
from node.http import input as body_input
from node.http.schema_parts import TIME, Schema, list_of, nullable, obj, op, ref
from node.payments import queries
from node.payments.model import CardPayment, PaymentStatus
from node.runtime import NODE, Handler

LIST_LIMIT = 200
PAYMENT_FIELDS = (
    "payment_id",
    "status",
    "amount_yen",
    "face_yen",
    "customer_id",
    "product_id",
    "campaign_id",
    "voucher_id",
    "intent_id",
    "fee_yen",
    "refund_id",
    "refund_reason",
    "failure_code",
    "attention",
    "created_at",
    "updated_at",
)


def payment_json(payment: CardPayment) -> dict[str, Any]:
    return {
        "payment_id": payment.payment_id,
        "status": str(payment.status),
        "amount_yen": payment.amount_yen,
        "face_yen": payment.face_yen,
        "customer_id": payment.customer_id,
        "product_id": payment.product_id,
        "campaign_id": payment.campaign_id,
        "voucher_id": payment.voucher_id,
        "intent_id": payment.intent_id,
        "fee_yen": payment.fee_yen,
        "refund_id": payment.refund_id,
        "refund_reason": payment.refund_reason,
        "failure_code": payment.failure_code,
        "attention": payment.attention,
        "created_at": iso(payment.created_at),
        "updated_at": iso(payment.updated_at),
    }


@body_input.accepts_query("status")
async def list_payments(request: web.Request) -> web.Response:
    node = request.app[NODE]
    text = body_input.query_text(request, "status")
    try:
        status = PaymentStatus(text) if text is not None else None
    except ValueError:
        raise ValidationError("Unknown `status`.", field="status") from None
    found = await queries.list_payments(node.require_reader(), status, LIST_LIMIT)
    return web.json_response({"payments": [payment_json(p) for p in found]})


async def show_payment(request: web.Request) -> web.Response:
    node = request.app[NODE]
    payment = await queries.get_payment(node.require_reader(), request.match_info["payment_id"])
    if payment is None:
        raise PaymentNotFound()
    return web.json_response(payment_json(payment))


PAYMENT_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", "/api/v1/payments", list_payments),
    ("GET", "/api/v1/payments/{payment_id}", show_payment),
)


def payment_paths() -> dict[str, dict[str, Any]]:
    return {
        "/api/v1/payments": {
            "get": op(
                f"Card payments of the wallet's shop (Stripe), newest first (at most {LIST_LIMIT})",
                list_of("payments", "CardPayment"),
                query={"status": {"enum": [str(s) for s in PaymentStatus]}},
            )
        },
        "/api/v1/payments/{payment_id}": {
            "get": op("One card payment", ref("CardPayment"), params=("payment_id",))
        },
    }


def payment_schemas() -> dict[str, Schema]:
    maybe_text = nullable({"type": "string"})
    return {
        "CardPayment": obj(
            list(PAYMENT_FIELDS),
            payment_id={"type": "string"},
            status={"enum": [str(s) for s in PaymentStatus]},
            amount_yen={"type": "integer", "minimum": 1},
            face_yen={"type": "integer", "minimum": 1},
            customer_id={"type": "string"},
            product_id=maybe_text,
            campaign_id=maybe_text,
            voucher_id=maybe_text,
            intent_id=maybe_text,
            fee_yen=nullable({"type": "integer", "minimum": 0}),
            refund_id=maybe_text,
            refund_reason=maybe_text,
            failure_code=maybe_text,
            attention=maybe_text,
            created_at=TIME,
            updated_at=TIME,
        )
    }
