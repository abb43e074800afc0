"""Message bodies: the common header, each message type's fields, and the signed reply.

Every body is a msgpack map with exactly the header fields and the type's own fields, each of the
declared type; anything else is MalformedEnvelope. Encoding sorts keys, so bodies are reproducible.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from node.errors import MalformedEnvelope
from node.peering.envelope import pack, require_sorted, strict_unpack

MAX_TEXT = 512
MAX_ROWS = 20_000  # rows in one list field: a statement holds at most this many claims
REPLY_TYPE = "reply"
MESSAGE_LIFETIME_S = 30 * 24 * 3600  # a partner may be offline for weeks; delivery still counts
CLOCK_SKEW_S = 300

# Field -> (type, exact byte length for bytes; or for a list, the types of each row's items)
FieldSpec = dict[str, tuple[type, int | tuple[type, ...] | None]]

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
    # The sender's whole current store list, for customers' "where to use" (node/peering/partner_stores.py).
    "store_list": {"stores": (list, (str, str))},  # store_id, name
    # Settlement (node/settlement/): a partner's store redeemed one of our vouchers, and after.
    "claim": {
        "claim_id": (str, None),
        "payload": (str, None),
        "amount": (int, None),
        "currency": (str, None),
        "store_id": (str, None),
        "store_name": (str, None),
    },
    "claim_void": {"claim_id": (str, None)},
    "statement": {
        "statement_id": (str, None),
        "number": (int, None),
        "cutoff": (int, None),
        "previous": (bytes, 32),
        "claims": (list, (str, str, int)),  # claim_id, issuer node id, amount
        "cleared": (list, (str, str, int)),  # statement_id, payer node id, amount
        "opening_payer": (str, None),
        "opening": (int, None),
        "payer": (str, None),
        "amount": (int, None),
        "closing_payer": (str, None),
        "closing": (int, None),
    },
    "payment": {
        "statement_id": (str, None),
        "amount": (int, None),
        "reference": (str, None),
    },
    "payment_confirmation": {"statement_id": (str, None), "amount": (int, None)},
    # Audit (node/settlement/audit/): our signed checkpoint, with a consistency proof from the
    # last one we sent this partner (`proof` is the RFC 6962 hashes, concatenated).
    "checkpoint": {
        "checkpoint": (bytes, None),
        "signature": (bytes, 64),
        "old_size": (int, None),
        "proof": (bytes, None),
    },
}

# What a reply's `result` holds for each message type that has one (empty bytes otherwise).
RESULT_FIELDS: dict[str, FieldSpec] = {
    "claim": {
        "claim_id": (str, None),
        "decision": (str, None),
        "code": (str, None),
        "message": (str, None),
        "balance_after": (int, None),
        "decided_at": (int, None),
    },
    "claim_void": {
        "claim_id": (str, None),
        "decision": (str, None),
        "code": (str, None),
        "message": (str, None),
        "balance_after": (int, None),
    },
    "statement": {
        "statement_id": (str, None),
        "decision": (str, None),
        "statement_hash": (bytes, 32),
        "breaks": (list, (str, str, int, int)),  # claim_id, kind, our amount, their amount
    },
    "checkpoint": {
        "size": (int, None),
        "decision": (str, None),
        "cosignature": (bytes, None),  # 64 bytes when cosigned, else empty
        "message": (str, None),
    },
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
    "result": (bytes, None),
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
    result: bytes = b""


# Header plus each type's own fields, merged once: every message checked uses one of these.
BODY_FIELDS: dict[str, FieldSpec] = {t: {**HEADER_FIELDS, **f} for t, f in MESSAGE_FIELDS.items()}


def key_order(spec: FieldSpec) -> tuple[str, ...]:
    """The keys of a map of these fields in the order they are written and must be read."""
    return tuple(sorted(spec))


BODY_ORDER = {t: key_order(f) for t, f in BODY_FIELDS.items()}
REPLY_ORDER = key_order(REPLY_FIELDS)
RESULT_ORDER = {t: key_order(f) for t, f in RESULT_FIELDS.items()}


def encode_message(msg_type: str, header: Header, fields: dict[str, Any]) -> bytes:
    body = {**asdict(header), **fields}
    check_fields(body, BODY_FIELDS[msg_type])
    return pack(body)


def decode_message(msg_type: str, body: bytes) -> tuple[Header, dict[str, Any]]:
    values = strict_unpack(body)
    require_sorted(values, BODY_ORDER[msg_type])
    check_fields(values, BODY_FIELDS[msg_type])
    header = Header(**{name: values.pop(name) for name in HEADER_FIELDS})
    return header, values


def encode_reply(reply: Reply) -> bytes:
    body = asdict(reply)
    check_fields(body, REPLY_FIELDS)
    return pack(body)


def decode_reply(body: bytes) -> Reply:
    values = strict_unpack(body)
    require_sorted(values, REPLY_ORDER)
    check_fields(values, REPLY_FIELDS)
    return Reply(**values)


def encode_result(msg_type: str, fields: dict[str, Any]) -> bytes:
    check_fields(fields, RESULT_FIELDS[msg_type])
    return pack(fields)


def decode_result(msg_type: str, result: bytes) -> dict[str, Any]:
    """A reply's typed result, decoded as strictly as a message body."""
    spec = RESULT_FIELDS.get(msg_type)
    if spec is None:
        raise MalformedEnvelope(f"A reply to {msg_type!r} carries no result.")
    values = strict_unpack(result)
    require_sorted(values, RESULT_ORDER[msg_type])
    check_fields(values, spec)
    return values


def check_fields(values: dict[str, Any], spec: FieldSpec) -> None:
    """Exactly the fields of `spec`, each of its declared type and length; else MalformedEnvelope."""
    if values.keys() != spec.keys():
        missing, extra = sorted(set(spec) - set(values)), sorted(set(values) - set(spec))
        raise MalformedEnvelope(f"Wrong fields (missing {missing}, unexpected {extra}).")
    for name, (kind, length) in spec.items():
        value = values[name]
        if type(value) is not kind:  # the exact type is the common case; subclasses are checked
            _check_type(name, value, kind)
        if kind is int:
            if not 0 <= value < 2**62:
                raise MalformedEnvelope(f"`{name}` is out of range.")
        elif kind is str:
            if len(value) > MAX_TEXT:
                raise MalformedEnvelope(f"`{name}` is too long.")
        elif kind is bytes:
            if isinstance(length, int) and len(value) != length:
                raise MalformedEnvelope(f"`{name}` must be {length} bytes.")
        elif kind is list and isinstance(length, tuple):
            _check_rows(name, value, length)


def _check_type(name: str, value: Any, kind: type) -> None:
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise MalformedEnvelope(f"`{name}` must be an integer.")
    if not isinstance(value, kind):
        raise MalformedEnvelope(f"`{name}` must be {kind.__name__}.")


def _check_rows(name: str, rows: list[Any], shape: tuple[type, ...]) -> None:
    if len(rows) > MAX_ROWS:
        raise MalformedEnvelope(f"`{name}` has too many rows.")
    for row in rows:
        if type(row) is not list or len(row) != len(shape):
            raise MalformedEnvelope(f"Each row of `{name}` must have {len(shape)} items.")
        if tuple(map(type, row)) != shape:
            for item, kind in zip(row, shape, strict=True):
                if (kind is int and isinstance(item, bool)) or not isinstance(item, kind):
                    what = "an integer" if kind is int else kind.__name__
                    raise MalformedEnvelope(f"`{name}`: an item must be {what}.")
        for item in row:
            if isinstance(item, int):
                if not 0 <= item < 2**62:
                    raise MalformedEnvelope(f"`{name}`: an item is out of range.")
            elif isinstance(item, str) and len(item) > MAX_TEXT:
                raise MalformedEnvelope(f"`{name}`: an item is too long.")
