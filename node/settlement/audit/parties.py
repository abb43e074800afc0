"""What the verifier keeps while it walks a log: each partner's keys and channels, the messages
still waiting for their reply, and the partners' checkpoints this node countersigned."""

from __future__ import annotations

from dataclasses import dataclass, field

from node.peering.keys import KeyEntry
from node.peering.model import GENESIS_HASH
from node.peering.wire import WireMessage


@dataclass
class Party:
    """A partner as this log shows it: its keys so far and both channels' last message."""

    node_id: str
    keys: list[KeyEntry]
    name: str
    in_seq: int = 0
    in_hash: bytes = GENESIS_HASH
    out_seq: int = 0
    out_hash: bytes = GENESIS_HASH
    # Each position of our channel: (the hash it names as previous, its msg_id), so that a
    # `message_withdrawn` note can take the channel back to before a position.
    out_sent: dict[int, tuple[bytes, str]] = field(default_factory=dict)


@dataclass(slots=True)  # one per message of the log: slots, not frozen, keep it cheap to make
class Awaiting:
    """A message of the log whose reply is not in the log yet."""

    index: int
    message: WireMessage
    digest: bytes  # SHA-256 of the message's envelope, as the channel's next message names it


@dataclass
class Witnessed:
    """A partner's checkpoint this node countersigned (for matching against that partner's bundle)."""

    index: int
    peer: str
    size: int
    root: bytes
