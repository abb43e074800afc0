"""Loose-field helpers for tests that craft messages by hand (a wrong amount, another id...).

The node itself reads and writes only typed messages (node/peering/wire.py); these build the same
bodies from plain maps, checked exactly as the typed encoder checks them, so a test can change
any field of a real message and send it.
"""

from __future__ import annotations

from typing import Any

from node.peering.envelope import pack
from node.peering.wire import Header, WireRecord, check_fields, layout, to_map
from node.settlement import core
from node.settlement.messages import KNOWN_MESSAGES
from node.settlement.model import Statement

MESSAGE_TYPES = tuple(KNOWN_MESSAGES)
RESULT_TYPES = tuple(t for t, kind in KNOWN_MESSAGES.items() if kind.result_type is not None)


def encode_message(msg_type: str, header: Header, fields: dict[str, Any]) -> bytes:
    body = {**to_map(header), **fields}
    check_fields(body, KNOWN_MESSAGES[msg_type].body_layout().spec)
    return pack(body)


def decode_message(msg_type: str, body: bytes) -> tuple[Header, dict[str, Any]]:
    header, message = KNOWN_MESSAGES[msg_type].decode(body)
    return header, to_map(message)


def _result_type(msg_type: str) -> type[WireRecord]:
    kind = KNOWN_MESSAGES[msg_type].result_type
    assert kind is not None, f"a reply to {msg_type} carries no result"
    return kind


def encode_result(msg_type: str, fields: dict[str, Any]) -> bytes:
    check_fields(fields, layout(_result_type(msg_type)).spec)
    return pack(fields)


def decode_result(msg_type: str, result: bytes) -> dict[str, Any]:
    return to_map(_result_type(msg_type).decode(result))


def statement_fields(statement: Statement) -> dict[str, Any]:
    """The `statement` message's fields as a plain map (rows as lists), to alter and send."""
    return to_map(core.statement_message(statement))
