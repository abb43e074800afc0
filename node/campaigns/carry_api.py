"""Admin API for what stores owe back from their payouts (繰越): every store that owes, the
write-offs and repayments (GET /api/v1/payout-carries), a write-off of what one store owes (POST
/api/v1/stores/{store_id}/carry-write-off), a store's repayment (POST …/carry-repaid) and the
review that keeps a legacy carry for the runs to net (POST …/carry-keep); with their OpenAPI
parts. payout_api.py serves them with the payout routes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from node.campaigns import carry_actions, grant_keys
from node.campaigns.carry_core import CLEARING_KINDS, MAX_REASON_CHARS
from node.http import input as body_input
from node.http.schema_parts import TIME, YEN0, Schema, obj, op, ref, text, yen
from node.runtime import NODE, Handler, Node

ADMIN_ACTOR = "admin"


async def list_carries(request: web.Request) -> web.Response:
    return web.json_response(await carry_actions.list_carries(request.app[NODE]))


CarryAction = Callable[[Node, str, int, str, str, str | None], Awaitable[dict[str, Any]]]


def _carry_handler(action: CarryAction) -> Handler:
    """A POST taking `amount_yen` and `reason` for one store, answered 201 with the record;
    with an Idempotency-Key, the same request sent again answers the same record (201)."""

    async def handle(request: web.Request) -> web.Response:
        key = request.headers.get(grant_keys.HEADER)
        if key is not None:
            grant_keys.require_key(key)  # refused before the body is read
        body = await body_input.read_body(request, {"amount_yen", "reason"})
        amount_yen = body_input.required_amount(body, "amount_yen")
        reason = body.get("reason")
        answer = await action(
            request.app[NODE],
            request.match_info["store_id"],
            amount_yen,
            reason if isinstance(reason, str) else "",  # missing or not text: payout.bad_reason
            ADMIN_ACTOR,
            key,
        )
        return web.json_response(answer, status=201)

    return handle


write_off = _carry_handler(carry_actions.write_off)
repaid = _carry_handler(carry_actions.repaid)
keep = _carry_handler(carry_actions.keep)

CARRY_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", "/api/v1/payout-carries", list_carries),
    ("POST", "/api/v1/stores/{store_id}/carry-write-off", write_off),
    ("POST", "/api/v1/stores/{store_id}/carry-repaid", repaid),
    ("POST", "/api/v1/stores/{store_id}/carry-keep", keep),
)


KEY_PARAMETER: dict[str, Any] = {
    "name": grant_keys.HEADER,
    "in": "header",
    "required": False,
    "description": (
        "Makes a retry safe: the same key with the same store, amount, note and kind answers"
        " the record it made (201, the same body) and books nothing; the same key with another"
        " request is refused (409 payout.idempotency_conflict). The CLI sends one per"
        " invocation (`--idempotency-key` to choose it)."
    ),
    "schema": {"type": "string", "pattern": grant_keys.KEY.pattern.join("^$")},
}


def _keyed(operation: dict[str, Any]) -> dict[str, Any]:
    return {**operation, "parameters": [*operation["parameters"], KEY_PARAMETER]}


def carry_paths() -> dict[str, dict[str, Any]]:
    return {
        "/api/v1/payout-carries": {
            "get": op(
                "Every store that owes back from its payouts (voids of coupons paid in an earlier"
                " run; the next runs net it against the store's use), and every write-off",
                ref("PayoutCarries"),
            )
        },
        "/api/v1/stores/{store_id}/carry-write-off": {
            "post": _keyed(
                op(
                    "Forgo all a store owes back (a store that left), with the reason: booked as Cr"
                    " revenue:<store>, Dr the office's write-off expense. `amount_yen` must be what"
                    " the store owes now (payout.carry_changed otherwise)",
                    ref("CarryWriteOff"),
                    201,
                    body="NewCarryWriteOff",
                    params=("store_id",),
                    errors=(404, 409, 422),
                )
            )
        },
        "/api/v1/stores/{store_id}/carry-repaid": {
            "post": _keyed(
                op(
                    "Record that a store paid back `amount_yen` of what it owes (cash at the office,"
                    " a transfer to it), with a note: booked as Dr cash:hq, Cr revenue:<store>."
                    " At most what it owes (payout.repaid_too_much otherwise)",
                    ref("CarryWriteOff"),
                    201,
                    body="NewCarryWriteOff",
                    params=("store_id",),
                    errors=(404, 409, 422),
                )
            )
        },
        "/api/v1/stores/{store_id}/carry-keep": {
            "post": _keyed(
                op(
                    "Keep a carry left by runs before the carry-forward (a negative net the office"
                    " settled by hand then) for the runs to net: the office confirms it is still"
                    " owed. `amount_yen` must be what the store owes now",
                    ref("CarryKept"),
                    201,
                    body="NewCarryWriteOff",
                    params=("store_id",),
                    errors=(404, 409, 422),
                )
            )
        },
    }


def carry_schemas() -> dict[str, Schema]:
    plain = {"type": "string"}
    write_off_fields: dict[str, Schema] = {
        "write_off_id": plain,
        "kind": {"type": "string", "enum": list(CLEARING_KINDS)},
        "store_id": plain,
        "store_name": plain,
        "amount_yen": YEN0,
        "reason": plain,
        "txn_id": plain,
        "created_at": TIME,
        "actor": plain,
    }
    carry = obj(
        ["store_id", "store_name", "carry_yen", "is_legacy"],
        store_id=plain,
        store_name=plain,
        carry_yen=YEN0,
        is_legacy={"type": "boolean"},
    )
    return {
        "CarryWriteOff": obj(list(write_off_fields), **write_off_fields),
        "NewCarryWriteOff": obj(
            ["amount_yen", "reason"],
            amount_yen=yen(),
            reason=text(MAX_REASON_CHARS, "why (the store left; the receipt of its repayment)"),
        ),
        "CarryKept": obj(
            ["store_id", "store_name", "carry_yen", "reason"],
            store_id=plain,
            store_name=plain,
            carry_yen=YEN0,
            reason=plain,
        ),
        "PayoutCarries": obj(
            ["carries", "total_yen", "legacy_open", "write_offs", "repayments"],
            carries={"type": "array", "items": carry},
            total_yen=YEN0,
            legacy_open={"type": "array", "items": plain},
            write_offs={"type": "array", "items": ref("CarryWriteOff")},
            repayments={"type": "array", "items": ref("CarryWriteOff")},
        ),
    }


def run_store_schema() -> Schema:
    """A store of a payout run: its net, what it owed back, was transferred and still owes."""
    return obj(
        [
            "store_id",
            "store_name",
            "net_yen",
            "carry_in_yen",
            "transferred_yen",
            "carry_out_yen",
        ],
        store_id={"type": "string"},
        store_name={"type": "string"},
        net_yen={"type": "integer"},
        carry_in_yen=YEN0,
        transferred_yen=YEN0,
        carry_out_yen=YEN0,
    )


def store_books_schema() -> Schema:
    """A store's books in the reconciliation."""
    yen_fields = (
        "run_net_yen",
        "transferred_yen",
        "written_off_yen",
        "repaid_yen",
        "carry_yen",
        "unpaid_use_yen",
        "ledger_paid_yen",
        "ledger_balance_yen",
    )
    return obj(
        ["store_id", "store_name", *yen_fields, "reconciled"],
        store_id={"type": "string"},
        store_name={"type": "string"},
        reconciled={"type": "boolean"},
        **{name: {"type": "integer"} for name in yen_fields},
    )
