"""Message bodies: peering's own message types, the signed reply, and the protocol's constants.

Every body is a msgpack map with exactly the header fields and the type's own fields, each of the
declared type; anything else is MalformedEnvelope (node/peering/wire.py). Encoding sorts keys, so
bodies are reproducible. Settlement's message types are in node/settlement/messages.py; peering
knows them only through the routes and reply rules it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from node.peering.wire import MAX_ROWS as MAX_ROWS
from node.peering.wire import MAX_TEXT as MAX_TEXT
from node.peering.wire import Bytes16, Bytes32, WireMessage, WireRecord, message_types
from node.peering.wire import Header as Header

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
