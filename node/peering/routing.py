"""The shape of a message handler and its route: who may send the type, and what handles it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from node.peering.envelope import Envelope
from node.peering.keys import KeyEntry
from node.peering.messages import Header
from node.peering.model import Peer, PeerStatus
from node.peering.operations import Self


@dataclass(frozen=True)
class Checked:
    """A message whose signature, body, addressing, key era and window have been checked."""

    envelope: Envelope
    route: Route
    header: Header
    fields: dict[str, Any]
    key: KeyEntry


# Runs inside the writer transaction that accepts the message; returns the reply's `result`
# (empty bytes for types that have none). Raising refuses the message and changes nothing.
Handler = Callable[[sqlite3.Connection, Self, Checked, Peer | None, int], bytes]


# Runs in the same transaction once our reply is logged, with the reply's `result`.
AfterReply = Callable[[sqlite3.Connection, Self, bytes, int], None]


@dataclass(frozen=True)
class Route:
    handle: Handler
    allowed: frozenset[PeerStatus]
    from_strangers: bool = False
    after_reply: AfterReply | None = None


ANY_REGISTERED = frozenset({PeerStatus.PENDING, PeerStatus.ACTIVE})
ACTIVE_ONLY = frozenset({PeerStatus.ACTIVE})
