"""The admin API's OpenAPI description of parked messages and their ways out (node/api/openapi.py
merges it in; docs/protocol.md, "Parked messages")."""

from __future__ import annotations

from typing import Any

from node.api.schema_parts import COUNT, ID, TIME, Schema, obj, op, ref
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


def _at_position(operation: dict[str, Any]) -> dict[str, Any]:
    """The parked message's channel position, after the partner's node id."""
    seq = {"name": "seq", "in": "path", "required": True, "schema": _SEQ}
    return operation | {"parameters": [*operation["parameters"], seq]}


def parked_paths() -> dict[str, dict[str, Any]]:
    """POST resign / drop of a parked message, and rewind of a partner's channel."""
    refusals = (409,)
    return {
        "/api/v1/peers/{node_id}/parked/{seq}/resign": {
            "post": _at_position(
                op(
                    "Re-sign a parked message (and those after it) at the same position",
                    ref("Peer"),
                    body="Nothing",
                    params=("node_id",),
                    errors=refusals,
                )
            )
        },
        "/api/v1/peers/{node_id}/parked/{seq}/drop": {
            "post": _at_position(
                op(
                    "Drop a parked registration (register or join)",
                    ref("Peer"),
                    body="Nothing",
                    params=("node_id",),
                    errors=refusals,
                )
            )
        },
        "/api/v1/peers/{node_id}/rewind": {
            "post": op(
                "Send the channel again from a position",
                ref("Peer"),
                body="Rewind",
                params=("node_id",),
                errors=refusals,
            )
        },
    }
