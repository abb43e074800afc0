"""Message bodies: the common header, each message type's fields, and the signed reply.

Every body is a msgpack map with exactly the header fields and the type's own fields, each of the
declared type; anything else is MalformedEnvelope. Encoding sorts keys, so bodies are reproducible.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from node.errors import MalformedEnvelope
from node.peering.envelope import pack, strict_unpack

MAX_TEXT = 512
REPLY_TYPE = "reply"
MESSAGE_LIFETIME_S = 30 * 24 * 3600  # a partner may be offline for weeks; delivery still counts
CLOCK_SKEW_S = 300

# Field -> (type, exact byte length for bytes or None)
FieldSpec = dict[str, tuple[type, int | None]]

HEADER_FIELDS: FieldSpec = {
    "msg_id": (str, None),
    "sender": (str, None),
    "recipient": (str, None),
    "seq": (int, None),
    "prev": (bytes, 32),
    "created": (int, None),
    "expires": (int, None),
}

MESSAGE_FIELDS: dict[str, FieldSpec] = {
    "register": {"name": (str, None), "url": (str, None)},
    "join": {
        "name": (str, None),
        "url": (str, None),
        "invite_id": (str, None),
        "secret": (bytes, 16),
    },
    "ping": {"note": (str, None)},
    "key_rotation": {"position": (int, None), "new_key": (bytes, 32)},
}

REPLY_FIELDS: FieldSpec = {
    "in_reply_to": (str, None),
    "sender": (str, None),
    "recipient": (str, None),
    "created": (int, None),
    "ok": (bool, None),
    "code": (str, None),
    "message": (str, None),
    "name": (str, None),
    "expected_seq": (int, None),
}


@dataclass(frozen=True)
class Header:
    msg_id: str
    sender: str
    recipient: str
    seq: int
    prev: bytes
    created: int
    expires: int


@dataclass(frozen=True)
class Reply:
    in_reply_to: str
    sender: str
    recipient: str
    created: int
    ok: bool
    code: str
    message: str
    name: str
    expected_seq: int


def encode_message(msg_type: str, header: Header, fields: dict[str, Any]) -> bytes:
    body = {**asdict(header), **fields}
    _check(body, {**HEADER_FIELDS, **MESSAGE_FIELDS[msg_type]})
    return pack(body)


def decode_message(msg_type: str, body: bytes) -> tuple[Header, dict[str, Any]]:
    values = strict_unpack(body)
    _check(values, {**HEADER_FIELDS, **MESSAGE_FIELDS[msg_type]})
    header = Header(**{name: values.pop(name) for name in HEADER_FIELDS})
    return header, values


def encode_reply(reply: Reply) -> bytes:
    body = asdict(reply)
    _check(body, REPLY_FIELDS)
    return pack(body)


def decode_reply(body: bytes) -> Reply:
    values = strict_unpack(body)
    _check(values, REPLY_FIELDS)
    return Reply(**values)


def _check(values: dict[str, Any], spec: FieldSpec) -> None:
    if set(values) != set(spec):
        missing, extra = sorted(set(spec) - set(values)), sorted(set(values) - set(spec))
        raise MalformedEnvelope(f"Wrong fields (missing {missing}, unexpected {extra}).")
    for name, (kind, length) in spec.items():
        value = values[name]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise MalformedEnvelope(f"`{name}` must be an integer.")
        if not isinstance(value, kind):
            raise MalformedEnvelope(f"`{name}` must be {kind.__name__}.")
        if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value < 2**62:
            raise MalformedEnvelope(f"`{name}` is out of range.")
        if length is not None and isinstance(value, bytes) and len(value) != length:
            raise MalformedEnvelope(f"`{name}` must be {length} bytes.")
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise MalformedEnvelope(f"`{name}` is too long.")
