"""The admin API's OpenAPI description of parked messages and their ways out (node/api/openapi.py
merges it in; docs/protocol.md, "Parked messages")."""

from __future__ import annotations

from typing import Any

from node.http.schema_parts import COUNT, ID, TIME, Schema, obj, op, ref
from node.peering.core import PERMANENT_REFUSALS

_SEQ: Schema = {"type": "integer", "minimum": 1, "maximum": 2**62}


def peering_schemas() -> dict[str, Schema]:
    return {
        "ParkedMessage": obj(
            ["seq", "msg_id", "msg_type", "code", "message", "parked_at", "attempts"],
            seq=_SEQ,
            msg_id=ID,
            msg_type=ID,
            code={"enum": sorted(PERMANENT_REFUSALS), "description": "the partner's code"},
            message={"type": "string", "description": "the partner's text, as it wrote it"},
            parked_at=TIME,
            attempts={**COUNT, "minimum": 1},
        ),
        "Rewind": obj(["from_seq"], from_seq=_SEQ),
    }


def _on_parked(summary: str) -> dict[str, Any]:
    """A POST on one parked message: the partner's node id, then its channel position."""
    operation = op(summary, ref("Peer"), body="Nothing", params=("node_id",), errors=(409,))
    seq = {"name": "seq", "in": "path", "required": True, "schema": _SEQ}
    return operation | {"parameters": [*operation["parameters"], seq]}


def parked_paths() -> dict[str, dict[str, Any]]:
    """POST resign / drop of a parked message, and rewind of a partner's channel."""
    return {
        "/api/v1/peers/{node_id}/parked/{seq}/resign": {
            "post": _on_parked("Re-sign a parked message (and those after it) at the same position")
        },
        "/api/v1/peers/{node_id}/parked/{seq}/drop": {
            "post": _on_parked("Drop a parked registration (register or join)")
        },
        "/api/v1/peers/{node_id}/rewind": {
            "post": op(
                "Send the channel again from a position",
                ref("Peer"),
                body="Rewind",
                params=("node_id",),
                errors=(409,),
            )
        },
    }
