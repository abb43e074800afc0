"""The OpenAPI 3.1 document of the admin API, served at /api/v1/openapi.json.

A test checks that every route the node serves is described here and nothing else is.
"""

from __future__ import annotations

from typing import Any

import node
from node.settlement.openapi import AUDIT_SCHEMAS, SETTLEMENT_SCHEMAS, audit_paths, settlement_paths
from node.web.api import ACCOUNT_SCHEMAS, account_paths

_YEN = {"type": "integer", "minimum": 1, "maximum": 10_000_000_000, "description": "whole yen"}
_TIME = {"type": ["string", "null"], "format": "date-time"}
_ID = {"type": "string"}


def _obj(required: list[str], **props: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": required,
        "properties": props,
        "additionalProperties": False,
    }


SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            }
        },
    },
    "Store": _obj(["store_id", "name"], store_id=_ID, name=_ID, created_at=_TIME),
    "Customer": _obj(
        ["customer_id", "name"],
        customer_id=_ID,
        name=_ID,
        email={"type": ["string", "null"]},
        created_at=_TIME,
    ),
    "Voucher": _obj(
        ["voucher_id", "balance", "status", "expires_at", "gifted", "holder"],
        voucher_id={"type": "string", "pattern": "^[0-9]{12}$"},
        face=_YEN,
        price={"type": "integer", "minimum": 0},
        balance={"type": "integer", "minimum": 0},
        status={"enum": ["active", "exhausted", "expired", "void"]},
        holder={"type": ["string", "null"]},
        store_id={"type": ["string", "null"]},
        created_at=_TIME,
        expires_at=_TIME,
        gifted={"type": "boolean", "description": "received as a gift (can never be gifted)"},
        gifted_from={"type": ["string", "null"]},
        has_given_gift={"type": "boolean"},
        can_gift={"type": "boolean"},
        history={"type": "array", "items": {"type": "object"}},
        source={"type": "object"},
    ),
    "VoucherCode": _obj(
        ["payload", "manual_code", "valid_until"],
        voucher_id=_ID,
        payload={"type": "string", "description": "what the customer's QR code encodes"},
        manual_code={"type": "string", "pattern": "^[0-9]{18}$"},
        valid_until=_TIME,
        refresh_after_s={"type": "integer"},
    ),
    "Redemption": _obj(
        ["redemption_id", "voucher_id", "amount", "receipt_no"],
        redemption_id=_ID,
        voucher_id=_ID,
        store_id=_ID,
        amount=_YEN,
        receipt_no=_ID,
        created_at=_TIME,
        voided={"type": "boolean"},
        voided_at=_TIME,
        balance_after={"type": "integer", "minimum": 0},
        retried={
            "type": "boolean",
            "description": "POST only: true when the code had already made this redemption",
        },
    ),
    "Peer": _obj(
        ["node_id", "name", "url", "status", "fingerprint"],
        node_id=_ID,
        name=_ID,
        url=_ID,
        status={"enum": ["pending", "active", "suspended", "removed"]},
        fingerprint=_ID,
        they_registered={"type": "boolean"},
        max_receivable={"type": ["integer", "null"]},
        queued_messages={"type": "integer"},
        last_error={"type": ["string", "null"]},
        updated_at=_TIME,
    ),
}

REQUESTS: dict[str, Any] = {
    "NewStore": _obj(["name"], name={"type": "string", "maxLength": 200}),
    "NewCustomer": _obj(["name"], name={"type": "string"}, email={"type": "string"}),
    "IssueVoucher": _obj(
        ["amount"],
        amount=_YEN,
        price={"type": "integer", "minimum": 0, "description": "paid; below amount = premium"},
        customer_id=_ID,
        store_id=_ID,
        valid_days={"type": "integer", "minimum": 1, "maximum": 3660},
    ),
    "Redeem": _obj(["payload", "amount", "store_id"], payload=_ID, amount=_YEN, store_id=_ID),
    "Gift": _obj(["to"], to=_ID, amount=_YEN),
    "NewPeer": _obj(
        ["node_id", "url"],
        node_id=_ID,
        url=_ID,
        name=_ID,
        max_receivable={"type": "integer", "minimum": 0},
    ),
    "ImportPeers": _obj(["peers"], peers={"type": "array", "items": {"type": "object"}}),
    "Invite": _obj([], valid_hours={"type": "integer", "minimum": 1, "maximum": 720}),
    "Join": _obj(["invite"], invite=_ID),
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _op(
    summary: str,
    response: Any,
    status: int = 200,
    body: str | None = None,
    params: tuple[str, ...] = (),
    query: tuple[str, ...] = (),
) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "responses": {
            str(status): {
                "description": "success",
                "content": {"application/json": {"schema": response}},
            },
            "default": {
                "description": "error",
                "content": {"application/json": {"schema": _ref("Error")}},
            },
        },
    }
    parameters = [{"name": p, "in": "path", "required": True, "schema": _ID} for p in params]
    parameters += [{"name": q, "in": "query", "required": False, "schema": _ID} for q in query]
    if parameters:
        op["parameters"] = parameters
    if body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(body)}},
        }
    return op


def _list_of(key: str, item: str) -> dict[str, Any]:
    return {"type": "object", "properties": {key: {"type": "array", "items": _ref(item)}}}


def _retry_answered(op: dict[str, Any]) -> dict[str, Any]:
    """A code used already at the same store for the same amount answers 200 with that
    redemption (`retried`: true) instead of 201: the retry of a request whose answer was lost."""
    op["responses"]["200"] = {
        "description": "the code's earlier redemption: nothing new was redeemed",
        "content": {"application/json": {"schema": _ref("Redemption")}},
    }
    return op


PATHS: dict[str, dict[str, Any]] = {
    "/api/v1/openapi.json": {"get": _op("This document (no token needed)", {"type": "object"})},
    "/api/v1/status": {"get": _op("Node name, id, fingerprint, currency", {"type": "object"})},
    "/api/v1/stores": {
        "post": _op("Add a store (店舗)", _ref("Store"), 201, "NewStore"),
        "get": _op("List stores", _list_of("stores", "Store")),
    },
    "/api/v1/customers": {
        "post": _op("Add a customer", _ref("Customer"), 201, "NewCustomer"),
        "get": _op("List customers", _list_of("customers", "Customer")),
    },
    "/api/v1/vouchers": {
        "post": _op("Issue (sell) a voucher", _ref("Voucher"), 201, "IssueVoucher"),
        "get": _op("List vouchers", _list_of("vouchers", "Voucher"), query=("customer_id",)),
    },
    "/api/v1/vouchers/expire": {
        "post": _op("Expire vouchers past their date; remainder to breakage", {"type": "object"}),
    },
    "/api/v1/vouchers/{voucher_id}": {
        "get": _op("A voucher with its history", _ref("Voucher"), params=("voucher_id",)),
    },
    "/api/v1/vouchers/{voucher_id}/code": {
        "get": _op(
            "A fresh one-time QR payload and manual code",
            _ref("VoucherCode"),
            params=("voucher_id",),
        ),
    },
    "/api/v1/vouchers/{voucher_id}/gift": {
        "post": _op(
            "Gift all or part of a voucher, once (贈呈)",
            _ref("Voucher"),
            201,
            "Gift",
            params=("voucher_id",),
        ),
    },
    "/api/v1/redemptions": {
        "post": _retry_answered(
            _op("Redeem with a scanned or typed code", _ref("Redemption"), 201, "Redeem")
        ),
        "get": _op(
            "List redemptions",
            _list_of("redemptions", "Redemption"),
            query=("voucher_id", "store_id"),
        ),
    },
    "/api/v1/redemptions/{redemption_id}": {
        "get": _op("One redemption", _ref("Redemption"), params=("redemption_id",)),
    },
    "/api/v1/redemptions/{redemption_id}/void": {
        "post": _op(
            "Void a redemption (same business day)", _ref("Redemption"), params=("redemption_id",)
        ),
    },
    "/api/v1/ledger/check": {
        "get": _op("Recompute the ledger invariants", {"type": "object"}),
    },
    "/api/v1/peers": {
        "get": _op("Partners with status and fingerprint", _list_of("peers", "Peer")),
        "post": _op(
            "Register a partner by key and URL (pending until mutual)", _ref("Peer"), 201, "NewPeer"
        ),
    },
    "/api/v1/peers/import": {
        "post": _op("Register a list of partners", {"type": "object"}, body="ImportPeers"),
    },
    "/api/v1/peers/invite": {
        "post": _op("Make a one-time invitation", {"type": "object"}, 201, "Invite"),
    },
    "/api/v1/peers/join": {
        "post": _op("Accept a partner's invitation", _ref("Peer"), 201, "Join"),
    },
    "/api/v1/key/rotate": {
        "post": _op("Rotate this node's signing key; partners are notified", {"type": "object"}),
    },
    "/api/v1/peers/sync": {
        "post": _op("Deliver every queued message now", {"type": "object"}),
    },
    **{
        f"/api/v1/peers/{{node_id}}/{action}": {
            "post": _op(f"{action.capitalize()} a partner", _ref("Peer"), params=("node_id",))
        }
        for action in ("suspend", "resume", "remove", "ping")
    },
    **settlement_paths(_op, _ref, _list_of),
    **audit_paths(_op, _ref),
    **account_paths(_op, _ref),
}


def openapi_document(server_url: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Kippu node admin API",
            "version": node.__version__,
            "description": 'Errors use one shape: {"error": {"code", "message"}}. '
            "Every route except this document needs `Authorization: Bearer <admin.token>`.",
        },
        "servers": [{"url": server_url}],
        "security": [{"adminToken": []}],
        "paths": PATHS,
        "components": {
            "schemas": {
                **SCHEMAS,
                **REQUESTS,
                **SETTLEMENT_SCHEMAS,
                **AUDIT_SCHEMAS,
                **ACCOUNT_SCHEMAS,
            },
            "securitySchemes": {"adminToken": {"type": "http", "scheme": "bearer"}},
        },
    }
