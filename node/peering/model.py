"""Partners and channels as frozen values; the partnership lifecycle as an explicit table."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from node.identity import decode_node_id, fingerprint

GENESIS_HASH = bytes(32)


class PeerStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REMOVED = "removed"


# pending -> active happens when the partner confirms it registered us too.
ALLOWED_PEER_TRANSITIONS: frozenset[tuple[PeerStatus, PeerStatus]] = frozenset(
    {
        (PeerStatus.PENDING, PeerStatus.ACTIVE),
        (PeerStatus.PENDING, PeerStatus.SUSPENDED),
        (PeerStatus.ACTIVE, PeerStatus.SUSPENDED),
        (PeerStatus.SUSPENDED, PeerStatus.ACTIVE),
        (PeerStatus.SUSPENDED, PeerStatus.PENDING),
        (PeerStatus.PENDING, PeerStatus.REMOVED),
        (PeerStatus.ACTIVE, PeerStatus.REMOVED),
        (PeerStatus.SUSPENDED, PeerStatus.REMOVED),
        (PeerStatus.REMOVED, PeerStatus.PENDING),
    }
)


@dataclass(frozen=True)
class Peer:
    node_id: str
    name: str
    url: str
    status: PeerStatus
    they_registered: bool
    max_receivable_yen: int | None
    created_at: datetime
    updated_at: datetime

    @property
    def fingerprint(self) -> str:
        return fingerprint(decode_node_id(self.node_id))


@dataclass(frozen=True)
class Channel:
    """One direction of a partnership: the last sequence number and the hash of that message."""

    last_seq: int = 0
    last_hash: bytes = GENESIS_HASH

    def after(self, seq: int, envelope: bytes) -> Channel:
        return Channel(seq, message_hash(envelope))


def message_hash(envelope: bytes) -> bytes:
    """What the next message of a channel names as `prev`: SHA-256 of the envelope bytes."""
    return hashlib.sha256(envelope).digest()


@dataclass(frozen=True)
class ParkedMessage:
    """A message of ours the partner refused for good: its channel waits for the admin."""

    peer: str
    seq: int
    msg_id: str
    msg_type: str
    code: str  # the partner's stable error code
    message: str  # the partner's text (as the partner wrote it)
    parked_at: datetime
    attempts: int
