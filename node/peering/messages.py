"""Message bodies: peering's own message types, the signed reply, and the protocol's constants.

Every body is a msgpack map with exactly the header fields and the type's own fields, each of the
declared type; anything else is MalformedEnvelope (node/peering/wire.py). Encoding sorts keys, so
bodies are reproducible. Settlement's message types are in node/settlement/messages.py; peering
knows them only through the routes and reply rules it is given.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, ClassVar, NamedTuple

from node.errors import MalformedEnvelope
from node.peering.envelope import pack, require_sorted, strict_unpack
from node.peering.wire import MAX_ROWS as MAX_ROWS
from node.peering.wire import MAX_TEXT as MAX_TEXT
from node.peering.wire import Bytes16, Bytes32, WireMessage, WireRecord, message_types
from node.peering.wire import FieldSpec as FieldSpec
from node.peering.wire import Header as Header
from node.peering.wire import check_fields as check_fields

REPLY_TYPE = "reply"
MESSAGE_LIFETIME_S = 30 * 24 * 3600  # a partner may be offline for weeks; delivery still counts
CLOCK_SKEW_S = 300


@dataclass(frozen=True)
class Reply(WireRecord):
    """Our signed answer to one message: accepted (`ok`, with the type's result) or refused."""

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


@dataclass(frozen=True)
class RegisterMessage(WireMessage):
    """We registered the recipient as our partner (docs/protocol.md, "register")."""

    msg_type: ClassVar[str] = "register"
    name: str
    url: str


@dataclass(frozen=True)
class JoinMessage(WireMessage):
    """We accept the recipient's invitation; its one-time secret authorises us."""

    msg_type: ClassVar[str] = "join"
    name: str
    url: str
    invite_id: str
    secret: Bytes16


@dataclass(frozen=True)
class PingMessage(WireMessage):
    """Nothing but the proof, by its reply, that the partnership works both ways."""

    msg_type: ClassVar[str] = "ping"
    note: str


@dataclass(frozen=True)
class KeyRotationMessage(WireMessage):
    """The sender moves to `new_key`, its key number `position`; signed by its current key."""

    msg_type: ClassVar[str] = "key_rotation"
    position: int
    new_key: Bytes32


class StoreRow(NamedTuple):
    store_id: str
    name: str


@dataclass(frozen=True)
class StoreListMessage(WireMessage):
    """The sender's whole current store list, for customers' "where to use"
    (node/peering/partner_stores.py)."""

    msg_type: ClassVar[str] = "store_list"
    stores: tuple[StoreRow, ...]


PEERING_MESSAGES = message_types(
    RegisterMessage, JoinMessage, PingMessage, KeyRotationMessage, StoreListMessage
)


# Transitional: the dict-based API, until every consumer reads the typed messages above.

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
