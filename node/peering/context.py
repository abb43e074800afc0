"""What peering's operations and handlers are given, in one leaf module: the node's introduction
of itself to partners (`NodeContext`), the shape of a message route and of a reply rule, and the
hooks the composition root (node/app.py) hands peering instead of peering importing them.

Peering signs, sends, receives and orders messages; what a message of another package means is
not its business. So it is handed the routes of the message types it does not own (settlement's),
what to do with a partner's signed answer to them, and where each signed envelope it keeps (sent,
received, a reply, a note) is logged (the settlement log). Every hook runs inside the writer
transaction of the change it belongs to. Routes hold handlers that take a `NodeContext`, and the
context holds the routes: both live here, so that neither needs the other's module.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from node.identity import Identity
from node.ledger.operations import LedgerSettings
from node.peering.envelope import Envelope
from node.peering.keys import KeyEntry
from node.peering.messages import Header
from node.peering.model import Peer, PeerStatus
from node.peering.wire import MessageTypes, WireMessage, WireRecord

M = TypeVar("M", bound=WireMessage)
R = TypeVar("R", bound=WireRecord)


@dataclass(frozen=True)
class NodeContext:
    """How this node introduces itself to partners, and the hooks the composition root gave
    peering (Hooks, below): what every operation that signs or stores a message needs."""

    identity: Identity
    name: str
    url: str
    settings: LedgerSettings
    currency: str
    hooks: Hooks


@dataclass(frozen=True)
class Checked(Generic[M]):
    """A message whose signature, body, addressing, key era and window have been checked."""

    envelope: Envelope
    route: Route[M]
    header: Header
    message: M
    key: KeyEntry


# Runs inside the writer transaction that accepts the message; returns the reply's `result`
# (empty bytes for types that have none). Raising refuses the message and changes nothing.
Handler = Callable[[sqlite3.Connection, NodeContext, Checked[M], Peer | None, int], bytes]


# Runs in the same transaction once our reply is logged, with the reply's `result`.
AfterReply = Callable[[sqlite3.Connection, NodeContext, bytes, int], None]


@dataclass(frozen=True)
class Route(Generic[M]):
    message: type[M]
    handle: Handler[M]
    allowed: frozenset[PeerStatus]
    from_strangers: bool = False
    after_reply: AfterReply | None = None


# A table of routes by message type (each route's type is its own; the table holds them all).
Routes = dict[str, Route[Any]]


def route_types(routes: Routes) -> MessageTypes:
    """The message types a table of routes dispatches, by name."""
    return {name: route.message for name, route in routes.items()}


@dataclass(frozen=True)
class ReplyRule(Generic[M, R]):
    """What we do with a partner's answer to one of our messages of type `message`.

    `apply` gets (conn, ourselves, the partner, the message we sent, the reply's decoded result,
    now) inside the writer transaction that records the reply, so the decision and its booking
    are durable together. Raising (a result that does not answer the message) records nothing of
    the reply: the outbox counts it a failed delivery and retries after a backoff."""

    message: type[M]
    result: type[R]
    apply: Callable[[sqlite3.Connection, NodeContext, str, M, R, int], None]

    def __post_init__(self) -> None:
        if self.message.result_type is not self.result:
            raise TypeError(f"{self.message.__name__}'s replies carry no {self.result.__name__}")


ReplyRules = dict[str, ReplyRule[Any, Any]]


ANY_REGISTERED = frozenset({PeerStatus.PENDING, PeerStatus.ACTIVE})
ACTIVE_ONLY = frozenset({PeerStatus.ACTIVE})

# (conn, the signed envelope, the message's id or the note's subject, the message (none for a
# reply or a note), now): in the transaction that stores the envelope.
MessageStored = Callable[[sqlite3.Connection, bytes, str, WireMessage | None, int], None]

# (conn, ourselves, the partner, the channel position, why, both signed envelopes, now): a
# partner signed two histories; keep the evidence and suspend the partnership.
PartnerForked = Callable[[sqlite3.Connection, NodeContext, str, int, str, bytes, int], None]

# (conn, the partner, the channel position, its words, its signed refusal, now): a partner says
# our history is inconsistent with what it holds.
ForkReported = Callable[[sqlite3.Connection, str, int, str, bytes, int], None]


@dataclass(frozen=True)
class Hooks:
    routes: Routes
    reply_appliers: ReplyRules
    message_stored: MessageStored
    partner_forked: PartnerForked
    fork_reported: ForkReported
