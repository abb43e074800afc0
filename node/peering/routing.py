"""The shape of a message handler and its route: who may send the type, its typed body, what handles
it; and the rule for a partner's answer to one of ours."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from node.peering.envelope import Envelope
from node.peering.keys import KeyEntry
from node.peering.messages import Header
from node.peering.model import Peer, PeerStatus
from node.peering.operations import Self
from node.peering.wire import MessageTypes, WireMessage, WireRecord

M = TypeVar("M", bound=WireMessage)
R = TypeVar("R", bound=WireRecord)


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
Handler = Callable[[sqlite3.Connection, Self, Checked[M], Peer | None, int], bytes]


# Runs in the same transaction once our reply is logged, with the reply's `result`.
AfterReply = Callable[[sqlite3.Connection, Self, bytes, int], None]


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
    apply: Callable[[sqlite3.Connection, Self, str, M, R, int], None]

    def __post_init__(self) -> None:
        if self.message.result_type is not self.result:
            raise TypeError(f"{self.message.__name__}'s replies carry no {self.result.__name__}")


ReplyRules = dict[str, ReplyRule[Any, Any]]


ANY_REGISTERED = frozenset({PeerStatus.PENDING, PeerStatus.ACTIVE})
ACTIVE_ONLY = frozenset({PeerStatus.ACTIVE})
