"""The admin API's OpenAPI description of parked messages and their ways out (node/api/openapi.py
merges it in; docs/protocol.md, "Parked messages")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from node.peering.core import PERMANENT_REFUSALS

_SEQ = {"type": "integer", "minimum": 1, "maximum": 2**62}

PEERING_SCHEMAS: dict[str, Any] = {
    "ParkedMessage": {
        "type": "object",
        "description": "A message of ours the partner refused for good; its channel waits.",
        "required": ["seq", "msg_id", "msg_type", "code", "message", "parked_at", "attempts"],
        "properties": {
            "seq": _SEQ,
            "msg_id": {"type": "string"},
            "msg_type": {"type": "string"},
            "code": {"enum": sorted(PERMANENT_REFUSALS), "description": "the partner's code"},
            "message": {"type": "string", "description": "the partner's text, as it wrote it"},
            "parked_at": {"type": "string", "format": "date-time"},
            "attempts": {"type": "integer", "minimum": 1},
        },
        "additionalProperties": False,
    },
    "Rewind": {
        "type": "object",
        "required": ["from_seq"],
        "properties": {"from_seq": _SEQ},
        "additionalProperties": False,
    },
}

Op = Callable[..., dict[str, Any]]
Ref = Callable[[str], dict[str, str]]


def _refusals(op: dict[str, Any], ref: Ref, *statuses: int) -> dict[str, Any]:
    for status in statuses:
        op["responses"][str(status)] = {
            "description": "refused",
            "content": {"application/json": {"schema": ref("Error")}},
        }
    return op


def _exact_params(op: dict[str, Any], with_seq: bool) -> dict[str, Any]:
    op["parameters"] = [
        {"name": "node_id", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    if with_seq:
        op["parameters"].append({"name": "seq", "in": "path", "required": True, "schema": _SEQ})
    return op


def parked_paths(op: Op, ref: Ref) -> dict[str, Any]:
    """POST resign / drop of a parked message, and rewind of a partner's channel."""
    resign = op("Re-sign a parked message (and those after it) at the same position", ref("Peer"))
    drop = op("Drop a parked registration (register or join)", ref("Peer"))
    rewind = op("Send the channel again from a position", ref("Peer"), body="Rewind")
    return {
        "/api/v1/peers/{node_id}/parked/{seq}/resign": {
            "post": _refusals(_exact_params(resign, True), ref, 400, 404, 409)
        },
        "/api/v1/peers/{node_id}/parked/{seq}/drop": {
            "post": _refusals(_exact_params(drop, True), ref, 400, 404, 409)
        },
        "/api/v1/peers/{node_id}/rewind": {
            "post": _refusals(_exact_params(rewind, False), ref, 400, 404, 409)
        },
    }
