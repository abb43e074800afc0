"""The settlement part of the admin API's OpenAPI document (merged by node/api/openapi.py)."""

from __future__ import annotations

from typing import Any

_ID = {"type": "string"}
_TIME = {"type": ["string", "null"], "format": "date-time"}
_YEN0 = {"type": "integer", "minimum": 0}
_CLAIM_STATUS = {
    "enum": [
        "CLAIMED",
        "ACCEPTED",
        "REJECTED",
        "VOIDED",
        "INVOICED",
        "PAID",
        "CLEARED",
        "DISPUTED",
    ]
}


def _obj(required: list[str], **props: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": props}


SETTLEMENT_SCHEMAS: dict[str, Any] = {
    "Balance": _obj(
        ["peer", "receivable", "payable", "net", "pending"],
        peer=_ID,
        name=_ID,
        status=_ID,
        receivable={**_YEN0, "description": "what the partner owes us (売掛)"},
        payable={**_YEN0, "description": "what we owe the partner (買掛)"},
        net={"type": "integer", "description": "receivable - payable"},
        pending={**_YEN0, "description": "our claims the partner has not decided yet"},
        max_receivable={"type": ["integer", "null"]},
    ),
    "Claim": _obj(
        ["claim_id", "peer", "role", "amount", "status"],
        claim_id=_ID,
        redemption_id=_ID,
        peer=_ID,
        peer_name=_ID,
        role={"enum": ["issuer", "redeemer"]},
        issuer=_ID,
        redeemer=_ID,
        voucher_id=_ID,
        store_id=_ID,
        store_name=_ID,
        amount=_YEN0,
        status=_CLAIM_STATUS,
        reason_code={"type": ["string", "null"]},
        reason={"type": ["string", "null"]},
        balance_after={"type": ["integer", "null"]},
        receipt_no={"type": ["string", "null"]},
        void_pending={"type": "boolean"},
        statement_id={"type": ["string", "null"]},
        created_at=_TIME,
        decided_at=_TIME,
    ),
    "Statement": _obj(
        ["statement_id", "peer", "number", "status", "payer", "amount", "claims"],
        statement_id=_ID,
        peer=_ID,
        number={"type": "integer", "minimum": 1},
        status={"enum": ["proposed", "agreed", "disputed", "superseded", "paid", "cleared"]},
        payer={"type": ["string", "null"]},
        amount={**_YEN0, "description": "the net amount the payer pays (相殺後)"},
        claims={"type": "array", "items": {"type": "object"}},
        breaks={"type": "array", "items": {"type": "object"}},
    ),
    "ProposeStatement": _obj(["peer"], peer=_ID, until={"type": "string", "format": "date-time"}),
    "Pay": _obj(["reference"], reference=_ID),
    "Reconcile": _obj(["peer"], peer=_ID),
    "Resolve": _obj([], peer=_ID),
    "Limit": _obj(["max_receivable"], max_receivable={"type": ["integer", "null"], "minimum": 0}),
}


def settlement_paths(op: Any, ref: Any, list_of: Any) -> dict[str, dict[str, Any]]:
    """Built with node/api/openapi.py's helpers, passed in to keep one way of describing routes."""
    statement = ref("Statement")
    return {
        "/api/v1/settlement/balances": {
            "get": op("Receivable, payable and net per partner", list_of("balances", "Balance"))
        },
        "/api/v1/settlement/claims": {
            "get": op(
                "Claims between partners, newest first",
                list_of("claims", "Claim"),
                query=("peer", "status", "role"),
            )
        },
        "/api/v1/settlement/claims/{claim_id}": {
            "get": op("One claim", ref("Claim"), params=("claim_id",))
        },
        "/api/v1/settlement/claims/{claim_id}/resolve": {
            "post": op(
                "Put a disputed claim back into the statement cycle",
                ref("Claim"),
                body="Resolve",
                params=("claim_id",),
            )
        },
        "/api/v1/settlement/statements": {
            "post": op(
                "Propose the next statement with a partner", statement, 201, "ProposeStatement"
            ),
            "get": op(
                "Statements, newest first", list_of("statements", "Statement"), query=("peer",)
            ),
        },
        "/api/v1/settlement/statements/{statement_id}": {
            "get": op("One statement with its claims", statement, params=("statement_id",))
        },
        "/api/v1/settlement/statements/{statement_id}/pay": {
            "post": op(
                "Record our payment (we are the payer)",
                statement,
                body="Pay",
                params=("statement_id",),
            )
        },
        "/api/v1/settlement/statements/{statement_id}/confirm": {
            "post": op(
                "Confirm the partner's payment arrived; clear", statement, params=("statement_id",)
            )
        },
        "/api/v1/settlement/reconcile": {
            "post": op(
                "Breaks with a partner and their resolution", {"type": "object"}, body="Reconcile"
            )
        },
        "/api/v1/peers/{node_id}/limit": {
            "post": op(
                "Set a partner's exposure limit", ref("Balance"), body="Limit", params=("node_id",)
            )
        },
    }


_HEX = {"type": "string", "pattern": "^[0-9a-f]*$"}
AUDIT_SCHEMAS: dict[str, Any] = {
    "AskProof": _obj(["peer", "topic"], peer=_ID, topic=_ID),
    "AuditStatus": _obj(
        ["log_size", "latest_checkpoint", "witnessed", "alarms"],
        log_size={**_YEN0, "description": "entries in the settlement log"},
        latest_checkpoint={
            "type": ["object", "null"],
            "description": "origin, size, root, created, body (base64), signature and the"
            " partners' cosignatures",
        },
        witnessed={"type": "array", "description": "partners' latest checkpoints we countersigned"},
        alarms={"type": "array", "description": "inconsistent histories (whose_log: ours/theirs)"},
        created_new={"type": "boolean"},
    ),
    "InclusionProof": _obj(
        ["topic", "checkpoint", "entries"],
        topic=_ID,
        checkpoint={"type": "object"},
        entries={
            "type": "array",
            "items": _obj(
                ["index", "type", "envelope", "leaf", "proof"],
                index=_YEN0,
                type=_ID,
                envelope={"type": "string", "contentEncoding": "base64"},
                leaf=_HEX,
                proof={"type": "array", "items": _HEX},
            ),
        },
    ),
}


def audit_paths(op: Any, ref: Any) -> dict[str, dict[str, Any]]:
    """The settlement log's routes (node/settlement/audit/api.py); the export is a binary stream."""
    export = op("The audit bundle up to the latest checkpoint (docs/audit.md)", {"type": "string"})
    export["responses"]["200"]["content"] = {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
    }
    return {
        "/api/v1/audit/checkpoint": {
            "get": op("The latest checkpoint, cosignatures, witnessed, alarms", ref("AuditStatus")),
            "post": op("Sign a checkpoint now; partners countersign", ref("AuditStatus"), 201),
        },
        "/api/v1/audit/export": {"get": export},
        "/api/v1/audit/ask": {
            "post": op(
                "Have a partner prove its log holds our exchanges about a claim or statement",
                {"type": "object"},
                body="AskProof",
            )
        },
        "/api/v1/audit/proof/{topic}": {
            "get": op(
                "Inclusion proofs of the entries about a claim or statement",
                ref("InclusionProof"),
                params=("topic",),
            )
        },
    }
