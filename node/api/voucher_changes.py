"""Admin API for a voucher's recorded changes: suspend (a lost phone), resume, extend the expiry,
and the list of changes; the same actions the console's voucher page offers."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.clock import iso
from node.http import input as body_input
from node.http.schema_parts import (
    MAYBE_TIME,
    TIME,
    Schema,
    list_of,
    obj,
    op,
    ref,
    text,
    text_matching,
)
from node.ledger import actions
from node.ledger.changes import ChangeKind, VoucherChange
from node.ledger.model import API_ACTOR
from node.runtime import NODE, Handler

DATE_CORE = "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
CHANGE_FIELDS = (
    "change_id",
    "voucher_id",
    "kind",
    "reason",
    "actor",
    "at",
    "expires_before",
    "expires_after",
)
VOUCHER_PATH = "/api/v1/vouchers/{voucher_id:[0-9]+}"


def change_json(change: VoucherChange) -> dict[str, Any]:
    return {
        "change_id": change.change_id,
        "voucher_id": change.voucher_id,
        "kind": str(change.kind),
        "reason": change.reason,
        "actor": change.actor,
        "at": iso(change.created_at),
        "expires_before": iso(change.expires_before),
        "expires_after": iso(change.expires_after),
    }


async def _reason(request: web.Request, fields: set[str]) -> tuple[dict[str, Any], str]:
    body = await body_input.read_body(request, fields)
    reason = body_input.required_text(body, "reason", actions.MAX_REASON_CHARS)
    return body, reason


async def suspend(request: web.Request) -> web.Response:
    _, reason = await _reason(request, {"reason"})
    node = request.app[NODE]
    change = await actions.suspend_voucher(
        node, request.match_info["voucher_id"], reason, API_ACTOR
    )
    return web.json_response(change_json(change), status=201)


async def resume(request: web.Request) -> web.Response:
    _, reason = await _reason(request, {"reason"})
    node = request.app[NODE]
    change = await actions.resume_voucher(node, request.match_info["voucher_id"], reason, API_ACTOR)
    return web.json_response(change_json(change), status=201)


async def extend(request: web.Request) -> web.Response:
    body, reason = await _reason(request, {"reason", "expires_on"})
    through = actions.checked_date(body_input.required_text(body, "expires_on"))
    node = request.app[NODE]
    change = await actions.extend_voucher(
        node, request.match_info["voucher_id"], through, reason, API_ACTOR
    )
    return web.json_response(change_json(change), status=201)


async def list_changes(request: web.Request) -> web.Response:
    node = request.app[NODE]
    found = await actions.voucher_changes(node, request.match_info["voucher_id"])
    return web.json_response({"changes": [change_json(c) for c in found]})


CHANGE_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("POST", f"{VOUCHER_PATH}/suspend", suspend),
    ("POST", f"{VOUCHER_PATH}/resume", resume),
    ("POST", f"{VOUCHER_PATH}/extend", extend),
    ("GET", f"{VOUCHER_PATH}/changes", list_changes),
)


def change_paths() -> dict[str, dict[str, Any]]:
    def action(summary: str, body: str, name: str) -> dict[str, Any]:
        operation = op(
            summary,
            ref("VoucherChange"),
            201,
            body=body,
            params=("voucher_id",),
            errors=(409, 422),
        )
        return {"post": operation | {"operationId": name}}

    base = "/api/v1/vouchers/{voucher_id}"
    return {
        f"{base}/suspend": action(
            "Suspend a voucher (利用停止: a lost phone); it cannot be used until resumed",
            "ChangeReason",
            "suspendVoucher",
        ),
        f"{base}/resume": action("Resume a suspended voucher", "ChangeReason", "resumeVoucher"),
        f"{base}/extend": action(
            "Move a voucher's expiry later (valid through `expires_on`)",
            "ExtendVoucher",
            "extendVoucher",
        ),
        f"{base}/changes": {
            "get": op(
                "A voucher's suspensions, resumptions and extensions, newest first",
                list_of("changes", "VoucherChange"),
                params=("voucher_id",),
            )
        },
    }


def change_schemas() -> dict[str, Schema]:
    reason = text(actions.MAX_REASON_CHARS, "why (recorded with who made the change)")
    return {
        "VoucherChange": obj(
            list(CHANGE_FIELDS),
            change_id={"type": "string"},
            voucher_id={"type": "string", "pattern": "^[0-9]{12}$"},
            kind={"enum": [str(k) for k in ChangeKind]},
            reason={"type": "string"},
            actor={"type": "string"},
            at=TIME,
            expires_before=MAYBE_TIME,
            expires_after=MAYBE_TIME,
        ),
        "ChangeReason": obj(["reason"], reason=reason),
        "ExtendVoucher": obj(
            ["expires_on", "reason"],
            expires_on=text_matching(DATE_CORE, 20, "the new last day of validity (local)"),
            reason=reason,
        ),
    }
