"""The OpenAPI 3.1 document of the admin API, served at /api/v1/openapi.json.

Exact, not indicative (node/api/schema_parts.py states the contract): tests/test_openapi_routes.py
checks that the router serves exactly the operations described here, and
tests/test_openapi_schemathesis.py runs schemathesis against a real node with every check on.
"""

from __future__ import annotations

from typing import Any

import node
from node.api.input import MAX_AMOUNT_YEN
from node.api.schema_parts import (
    COUNT,
    ERROR_SCHEMA,
    ID,
    MAYBE_TIME,
    SIGNED_YEN,
    TIME,
    YEN0,
    Schema,
    email,
    list_of,
    nullable,
    obj,
    op,
    ref,
    text,
    text_matching,
    url,
    whole,
    yen,
)
from node.ledger.core import MAX_VALID_DAYS
from node.peering.actions import MAX_INVITE_HOURS
from node.peering.core import MAX_INVITE_CHARS
from node.settlement.openapi import audit_paths, audit_schemas, settlement_paths, settlement_schemas
from node.web.api import account_paths, account_schemas

# 52 base32 characters of a 32-byte key: the last one carries 1 bit and 4 zero bits (A or Q).
NODE_ID_CORE = "[A-Za-z2-7]{51}[AQaq]"
VOUCHER_STATUSES = ["active", "exhausted", "expired", "void"]


def _response_schemas() -> dict[str, Schema]:
    return {
        "Error": ERROR_SCHEMA,
        "Store": obj(["store_id", "name", "created_at"], store_id=ID, name=ID, created_at=TIME),
        "Customer": obj(
            ["customer_id", "name", "email"],
            customer_id=ID,
            name=ID,
            email={"type": ["string", "null"]},
            created_at=MAYBE_TIME,
        ),
        "HistoryLine": obj(
            ["txn_id", "kind", "at", "amount"], txn_id=ID, kind=ID, at=TIME, amount=SIGNED_YEN
        ),
        "Voucher": obj(
            [
                "voucher_id",
                "face",
                "price",
                "balance",
                "status",
                "holder",
                "store_id",
                "created_at",
                "expires_at",
                "gifted",
                "gifted_from",
                "has_given_gift",
                "can_gift",
            ],
            voucher_id={"type": "string", "pattern": "^[0-9]{12}$"},
            face=YEN0,
            price=YEN0,
            balance=YEN0,
            status={"enum": VOUCHER_STATUSES},
            holder={"type": ["string", "null"]},
            store_id={"type": ["string", "null"]},
            created_at=TIME,
            expires_at=MAYBE_TIME,
            gifted={"type": "boolean", "description": "received as a gift (can never be gifted)"},
            gifted_from={"type": ["string", "null"]},
            has_given_gift={"type": "boolean"},
            can_gift={"type": "boolean"},
            history={"type": "array", "items": ref("HistoryLine")},
            source=ref("Voucher"),
        ),
        "VoucherCode": obj(
            ["voucher_id", "payload", "manual_code", "valid_until", "refresh_after_s"],
            voucher_id=ID,
            payload={"type": "string", "description": "what the customer's QR code encodes"},
            manual_code={"type": "string", "pattern": "^[0-9]{18}$"},
            valid_until=TIME,
            refresh_after_s={"type": "integer", "minimum": 1},
        ),
        "Redemption": obj(
            [
                "redemption_id",
                "voucher_id",
                "store_id",
                "amount",
                "receipt_no",
                "created_at",
                "voided",
                "voided_at",
            ],
            redemption_id=ID,
            voucher_id=ID,
            store_id=ID,
            amount=yen(),
            receipt_no=ID,
            created_at=TIME,
            voided={"type": "boolean"},
            voided_at=MAYBE_TIME,
            balance_after=YEN0,
        ),
        "Peer": obj(
            [
                "node_id",
                "name",
                "url",
                "status",
                "fingerprint",
                "they_registered",
                "max_receivable",
                "queued_messages",
                "last_error",
                "updated_at",
            ],
            node_id=ID,
            name=ID,
            url=ID,
            status={"enum": ["pending", "active", "suspended", "removed"]},
            fingerprint=ID,
            they_registered={"type": "boolean"},
            max_receivable={"type": ["integer", "null"]},
            queued_messages=COUNT,
            last_error={"type": ["string", "null"]},
            updated_at=TIME,
        ),
        "Status": obj(
            ["name", "node_id", "fingerprint", "key_fingerprint", "currency", "public_url", "time"],
            name=ID,
            node_id=ID,
            fingerprint=ID,
            key_fingerprint=ID,
            currency=ID,
            public_url=ID,
            time=TIME,
        ),
        "ExpirySweep": obj(["expired", "breakage"], expired=COUNT, breakage=YEN0),
        "LedgerCheck": obj(
            [
                "ok",
                "entries",
                "postings_sum",
                "unbalanced_entries",
                "voucher_liability",
                "voucher_balances",
                "negative_balances",
            ],
            ok={"type": "boolean"},
            entries=COUNT,
            postings_sum=SIGNED_YEN,
            unbalanced_entries=COUNT,
            voucher_liability=SIGNED_YEN,
            voucher_balances=SIGNED_YEN,
            negative_balances=COUNT,
        ),
        "Imported": obj(
            ["imported"],
            imported={
                "type": "array",
                "items": obj(
                    ["node_id", "result"],
                    node_id=ID,
                    result={"enum": ["added", "already registered"]},
                ),
            },
        ),
        "Invitation": obj(["invite", "expires_at"], invite=ID, expires_at=TIME),
        "Delivered": obj(["delivered"], delivered=COUNT),
        "Rotated": obj(
            ["node_id", "fingerprint", "key_position", "key_fingerprint"],
            node_id=ID,
            fingerprint=ID,
            key_position=COUNT,
            key_fingerprint=ID,
        ),
        "Document": {
            "type": "object",
            "required": ["openapi", "info", "paths"],
            "properties": {"openapi": {"const": "3.1.0"}},
        },
    }


def _request_schemas(max_voucher_yen: int) -> dict[str, Schema]:
    peer_fields = {
        "node_id": text_matching(NODE_ID_CORE, description="the partner's node id"),
        "url": url(),
        "name": nullable(text()),
        "max_receivable": nullable(yen(0)),
    }
    return {
        "Nothing": obj([]),
        "NewStore": obj(["name"], name=text()),
        "NewCustomer": obj(["name"], name=text(), email=nullable(email())),
        "IssueVoucher": obj(
            ["amount"],
            amount=yen(1, max_voucher_yen),
            price={**nullable(yen(0)), "description": "paid (at most amount); below = premium"},
            customer_id=nullable(text()),
            store_id=nullable(text()),
            valid_days=nullable(whole(1, MAX_VALID_DAYS)),
        ),
        "Redeem": obj(
            ["payload", "amount", "store_id"], payload=text(), amount=yen(), store_id=text()
        ),
        "Gift": obj(["to"], to=text(), amount=nullable(yen())),
        "NewPeer": obj(["node_id", "url"], **peer_fields),
        "ImportPeers": obj(
            ["peers"], peers={"type": "array", "items": obj(["node_id", "url"], **peer_fields)}
        ),
        "Invite": obj([], valid_hours=nullable(whole(1, MAX_INVITE_HOURS))),
        "Join": obj(["invite"], invite=text(MAX_INVITE_CHARS)),
    }


_VOUCHER_LINKS = {
    name: {"operationId": target, "parameters": {"voucher_id": "$response.body#/voucher_id"}}
    for name, target in (
        ("ShowVoucher", "showVoucher"),
        ("VoucherCode", "voucherCode"),
        ("GiftVoucher", "giftVoucher"),
    )
}
_REDEMPTION_LINKS = {
    name: {"operationId": target, "parameters": {"redemption_id": "$response.body#/redemption_id"}}
    for name, target in (("ShowRedemption", "showRedemption"), ("VoidRedemption", "voidRedemption"))
}
_PEER_LINKS = {
    f"{action.capitalize()}Peer": {
        "operationId": f"{action}Peer",
        "parameters": {"node_id": "$response.body#/node_id"},
    }
    for action in ("suspend", "resume", "remove", "ping", "limit")
}


def _ledger_paths() -> dict[str, dict[str, Any]]:
    voucher_query = {"customer_id": text()}
    return {
        "/api/v1/openapi.json": {
            "get": op("This document (no token needed)", ref("Document"), public=True)
        },
        "/api/v1/status": {"get": op("Node name, id, fingerprint, currency", ref("Status"))},
        "/api/v1/stores": {
            "post": op("Add a store (店舗)", ref("Store"), 201, body="NewStore"),
            "get": op("List stores", list_of("stores", "Store")),
        },
        "/api/v1/customers": {
            "post": op("Add a customer", ref("Customer"), 201, body="NewCustomer", errors=(409,)),
            "get": op("List customers", list_of("customers", "Customer")),
        },
        "/api/v1/vouchers": {
            "post": op(
                "Issue (sell) a voucher",
                ref("Voucher"),
                201,
                body="IssueVoucher",
                errors=(404, 422),
                links=_VOUCHER_LINKS,
            ),
            "get": op("List vouchers", list_of("vouchers", "Voucher"), query=voucher_query),
        },
        "/api/v1/vouchers/expire": {
            "post": op("Expire vouchers past their date; remainder to breakage", ref("ExpirySweep"))
        },
        "/api/v1/vouchers/{voucher_id}": {
            "get": op("A voucher with its history", ref("Voucher"), params=("voucher_id",))
            | {"operationId": "showVoucher"},
        },
        "/api/v1/vouchers/{voucher_id}/code": {
            "get": op(
                "A fresh one-time QR payload and manual code",
                ref("VoucherCode"),
                params=("voucher_id",),
                errors=(409,),
            )
            | {"operationId": "voucherCode"},
        },
        "/api/v1/vouchers/{voucher_id}/gift": {
            "post": op(
                "Gift all or part of a voucher, once (贈呈)",
                ref("Voucher"),
                201,
                body="Gift",
                params=("voucher_id",),
                errors=(409, 422),
            )
            | {"operationId": "giftVoucher"},
        },
        "/api/v1/redemptions": {
            "post": op(
                "Redeem with a scanned or typed code (a partner's voucher: a claim)",
                {"anyOf": [ref("Redemption"), ref("PartnerRedemption")]},
                201,
                body="Redeem",
                errors=(403, 404, 409, 422),
                also={202: ref("PartnerRedemption")},
                links=_REDEMPTION_LINKS,
            ),
            "get": op(
                "List redemptions",
                list_of("redemptions", "Redemption"),
                query={"voucher_id": text(), "store_id": text()},
            ),
        },
        "/api/v1/redemptions/{redemption_id}": {
            "get": op("One redemption", ref("Redemption"), params=("redemption_id",))
            | {"operationId": "showRedemption"},
        },
        "/api/v1/redemptions/{redemption_id}/void": {
            "post": op(
                "Void a redemption (same business day)",
                {"anyOf": [ref("Redemption"), ref("PartnerRedemption")]},
                params=("redemption_id",),
                body="Nothing",
                errors=(409,),
                also={202: ref("PartnerRedemption")},
            )
            | {"operationId": "voidRedemption"},
        },
        "/api/v1/ledger/check": {"get": op("Recompute the ledger invariants", ref("LedgerCheck"))},
    }


def _peer_paths() -> dict[str, dict[str, Any]]:
    def status_change(action: str) -> dict[str, Any]:
        summary = f"{action.capitalize()} a partner"
        return op(
            summary, ref("Peer"), params=("node_id",), body="Nothing", errors=(403, 409, 503)
        ) | {"operationId": f"{action}Peer"}

    return {
        "/api/v1/peers": {
            "get": op("Partners with status and fingerprint", list_of("peers", "Peer")),
            "post": op(
                "Register a partner by key and URL (pending until mutual)",
                ref("Peer"),
                201,
                body="NewPeer",
                errors=(409,),
                links=_PEER_LINKS,
            ),
        },
        "/api/v1/peers/import": {
            "post": op("Register a list of partners", ref("Imported"), body="ImportPeers")
        },
        "/api/v1/peers/invite": {
            "post": op("Make a one-time invitation", ref("Invitation"), 201, body="Invite")
        },
        "/api/v1/peers/join": {
            "post": op(
                "Accept a partner's invitation",
                ref("Peer"),
                201,
                body="Join",
                errors=(403, 409, 503),
            )
        },
        "/api/v1/key/rotate": {
            "post": op(
                "Rotate this node's signing key; partners are notified",
                ref("Rotated"),
                body="Nothing",
            )
        },
        "/api/v1/peers/sync": {
            "post": op("Deliver every queued message now", ref("Delivered"), body="Nothing")
        },
        **{
            f"/api/v1/peers/{{node_id}}/{action}": {"post": status_change(action)}
            for action in ("suspend", "resume", "remove", "ping")
        },
    }


def openapi_document(server_url: str, max_voucher_yen: int = MAX_AMOUNT_YEN) -> dict[str, Any]:
    """The document as this node serves it: `max_voucher_yen` is its [ledger] limit."""
    paths = {
        **_ledger_paths(),
        **_peer_paths(),
        **settlement_paths(),
        **audit_paths(),
        **account_paths(),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Kippu node admin API",
            "version": node.__version__,
            "description": 'Errors use one shape: {"error": {"code", "message"}}. '
            "Every route except this document needs `Authorization: Bearer <admin.token>`. "
            "A request this document allows is never answered 400; one it forbids is never "
            "answered 2xx; a rule it cannot state (a price above the face value, a weak "
            "password, text that is no voucher code) is answered 422. Text is printable "
            "(no control or invisible formatting characters, no line separators) and trimmed; "
            "numbers are whole (326.0 counts as 326, as in JSON Schema; 326.5 is refused).",
        },
        "servers": [{"url": server_url}],
        "security": [{"adminToken": []}],
        "paths": paths,
        "components": {
            "schemas": {
                **_response_schemas(),
                **_request_schemas(max_voucher_yen),
                **settlement_schemas(),
                **audit_schemas(),
                **account_schemas(),
            },
            "securitySchemes": {"adminToken": {"type": "http", "scheme": "bearer"}},
        },
    }
