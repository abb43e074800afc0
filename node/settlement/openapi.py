"""The settlement and audit parts of the admin API's OpenAPI document (merged by
node/api/openapi.py, built from node/http/schema_parts.py)."""

from __future__ import annotations

from typing import Any

from node.http.schema_parts import (
    COUNT,
    ID,
    MAYBE_TIME,
    SIGNED_YEN,
    TIME,
    YEN0,
    Schema,
    list_of,
    nullable,
    obj,
    op,
    ref,
    text,
    yen,
)
from node.settlement.model import ClaimStatus, Role

_STATUSES = [str(s) for s in ClaimStatus]
_ROLES = [str(r) for r in Role]
_NULLABLE_TEXT: Schema = {"type": ["string", "null"]}


def _open(required: list[str], **props: Any) -> Schema:
    """An answer whose listed fields are always there; more may follow in later versions."""
    return {"type": "object", "required": required, "properties": props}


def settlement_schemas() -> dict[str, Schema]:
    claim_fields: dict[str, Schema] = {
        "claim_id": ID,
        "redemption_id": ID,
        "peer": ID,
        "peer_name": ID,
        "role": {"enum": _ROLES},
        "issuer": ID,
        "redeemer": ID,
        "voucher_id": ID,
        "store_id": ID,
        "store_name": ID,
        "amount": YEN0,
        "reason_code": _NULLABLE_TEXT,
        "reason": _NULLABLE_TEXT,
        "balance_after": {"type": ["integer", "null"]},
        "receipt_no": _NULLABLE_TEXT,
        "void_pending": {"type": "boolean"},
        "statement_id": _NULLABLE_TEXT,
        "created_at": TIME,
        "decided_at": MAYBE_TIME,
    }
    return {
        "Balance": obj(
            ["peer", "name", "status", "receivable", "payable", "net", "pending", "max_receivable"],
            peer=ID,
            name=ID,
            status=ID,
            receivable={**YEN0, "description": "what the partner owes us (売掛)"},
            payable={**YEN0, "description": "what we owe the partner (買掛)"},
            net={**SIGNED_YEN, "description": "receivable - payable"},
            pending={**YEN0, "description": "our claims the partner has not decided yet"},
            max_receivable={"type": ["integer", "null"]},
        ),
        "Claim": obj(list(claim_fields), **claim_fields, status={"enum": _STATUSES}),
        "PartnerRedemption": _open(
            ["claim_id", "peer", "amount", "status"],
            **claim_fields,
            issuer_name=ID,
            voided={"type": "boolean"},
            status={"enum": ["accepted", "pending", "void_pending", *_STATUSES]},
        ),
        "Statement": _open(
            ["statement_id", "peer", "number", "status", "payer", "amount", "claims", "breaks"],
            statement_id=ID,
            peer=ID,
            peer_name=ID,
            number={"type": "integer", "minimum": 1},
            status={"enum": ["proposed", "agreed", "disputed", "superseded", "paid", "cleared"]},
            payer=_NULLABLE_TEXT,
            amount={**YEN0, "description": "the net amount the payer pays (相殺後)"},
            claims={
                "type": "array",
                "items": obj(["claim_id", "issuer", "amount"], claim_id=ID, issuer=ID, amount=YEN0),
            },
            breaks={"type": "array", "items": {"type": "object"}},
        ),
        "Reconciliation": obj(
            ["peer", "breaks", "claims_in_flight", "open_statement", "disputed_claims"],
            peer=ID,
            breaks={"type": "array", "items": {"type": "object"}},
            claims_in_flight=COUNT,
            open_statement=_NULLABLE_TEXT,
            disputed_claims=COUNT,
        ),
        "ProposeStatement": obj(
            ["peer"],
            peer=text(),
            until=nullable({"type": "string", "format": "date-time", "maxLength": 64}),
        ),
        "Pay": obj(["reference"], reference=text()),
        "Reconcile": obj(["peer"], peer=text()),
        "Resolve": obj([], peer=nullable(text())),
        "Limit": obj(["max_receivable"], max_receivable=nullable(yen(0))),
    }


def settlement_paths() -> dict[str, dict[str, Any]]:
    statement = ref("Statement")
    claim_query = {
        "peer": text(),
        "status": {"enum": _STATUSES + [s.lower() for s in _STATUSES]},
        "role": {"enum": _ROLES},
    }
    statement_links = {
        name: {
            "operationId": target,
            "parameters": {"statement_id": "$response.body#/statement_id"},
        }
        for name, target in (("ShowStatement", "showStatement"), ("Pay", "payStatement"))
    }
    return {
        "/api/v1/settlement/balances": {
            "get": op("Receivable, payable and net per partner", list_of("balances", "Balance"))
        },
        "/api/v1/settlement/claims": {
            "get": op("Claims, newest first", list_of("claims", "Claim"), query=claim_query)
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
                errors=(409,),
            )
        },
        "/api/v1/settlement/statements": {
            "post": op(
                "Propose the next statement with a partner",
                statement,
                201,
                body="ProposeStatement",
                errors=(404, 409, 422, 503),
                links=statement_links,
            ),
            "get": op(
                "Statements, newest first",
                list_of("statements", "Statement"),
                query={"peer": text()},
            ),
        },
        "/api/v1/settlement/statements/{statement_id}": {
            "get": op("One statement with its claims", statement, params=("statement_id",))
            | {"operationId": "showStatement"}
        },
        "/api/v1/settlement/statements/{statement_id}/pay": {
            "post": op(
                "Record our payment (we are the payer)",
                statement,
                body="Pay",
                params=("statement_id",),
                errors=(409,),
            )
            | {"operationId": "payStatement"}
        },
        "/api/v1/settlement/statements/{statement_id}/confirm": {
            "post": op(
                "Confirm the partner's payment arrived; clear",
                statement,
                body="Nothing",
                params=("statement_id",),
                errors=(409,),
            )
        },
        "/api/v1/settlement/reconcile": {
            "post": op(
                "Breaks with a partner and their resolution",
                ref("Reconciliation"),
                body="Reconcile",
                errors=(404,),
            )
        },
        "/api/v1/peers/{node_id}/limit": {
            "post": op(
                "Set a partner's exposure limit",
                ref("Balance"),
                body="Limit",
                params=("node_id",),
                errors=(409,),
            )
            | {"operationId": "limitPeer"}
        },
    }


_HEX = {"type": "string", "pattern": "^[0-9a-f]*$"}


def audit_schemas() -> dict[str, Schema]:
    checkpoint = _open(
        ["origin", "size", "root", "created", "body", "signature"],
        origin=ID,
        size=COUNT,
        root=_HEX,
        created=TIME,
        body={"type": "string", "contentEncoding": "base64"},
        signature=_HEX,
        cosignatures={"type": "array", "items": {"type": "object"}},
    )
    return {
        "AskProof": obj(["peer", "topic"], peer=text(), topic=text()),
        "Checkpoint": checkpoint,
        "AuditStatus": obj(
            ["log_size", "latest_checkpoint", "witnessed", "alarms"],
            log_size={**COUNT, "description": "entries in the settlement log"},
            latest_checkpoint={"oneOf": [ref("Checkpoint"), {"type": "null"}]},
            witnessed={
                "type": "array",
                "items": {"type": "object"},
                "description": "partners' latest checkpoints we countersigned",
            },
            alarms={
                "type": "array",
                "items": {"type": "object"},
                "description": "inconsistent histories (whose_log: ours/theirs)",
            },
            created_new={"type": "boolean"},
        ),
        "InclusionProof": obj(
            ["topic", "checkpoint", "entries"],
            topic=ID,
            checkpoint=ref("Checkpoint"),
            entries={
                "type": "array",
                "items": obj(
                    ["index", "type", "envelope", "leaf", "proof"],
                    index=COUNT,
                    type=ID,
                    envelope={"type": "string", "contentEncoding": "base64"},
                    leaf=_HEX,
                    proof={"type": "array", "items": _HEX},
                ),
            },
        ),
        "PartnerProof": obj(
            [
                "peer",
                "topic",
                "checkpoint_size",
                "root",
                "entries",
                "all_same_as_ours",
                "ours_not_shown",
            ],
            peer=ID,
            topic=ID,
            checkpoint_size=COUNT,
            root=_HEX,
            entries={
                "type": "array",
                "items": obj(
                    ["index", "type", "same_as_ours"],
                    index=COUNT,
                    type=ID,
                    same_as_ours={"type": "boolean"},
                ),
            },
            all_same_as_ours={"type": "boolean"},
            ours_not_shown={"type": "integer"},
        ),
    }


def audit_paths() -> dict[str, dict[str, Any]]:
    """The settlement log's routes (node/settlement/audit/api.py); the export is a binary stream."""
    export = op("The audit bundle up to the latest checkpoint (docs/audit.md)", None, errors=(404,))
    export["responses"]["200"]["content"] = {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
    }
    return {
        "/api/v1/audit/checkpoint": {
            "get": op("The latest checkpoint, cosignatures, witnessed, alarms", ref("AuditStatus")),
            "post": op(
                "Sign a checkpoint now; partners countersign",
                ref("AuditStatus"),
                201,
                body="Nothing",
            ),
        },
        "/api/v1/audit/export": {"get": export},
        "/api/v1/audit/ask": {
            "post": op(
                "Have a partner prove its log holds our exchanges about a claim or statement",
                ref("PartnerProof"),
                body="AskProof",
                errors=(404, 409, 422),
            )
        },
        "/api/v1/audit/proof/{topic}": {
            "get": op(
                "Inclusion proofs of the entries about a claim or statement",
                ref("InclusionProof"),
                params=("topic",),
                errors=(409,),
            )
        },
    }
