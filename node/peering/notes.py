"""Notes: the decisions this node signs about its partners and its own key (a partner suspended,
a key rotated, a message withdrawn, a partner that showed two histories). Each is a signed
envelope of type `log_note`; the settlement log keeps it beside the messages (docs/audit.md)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from node.identity import Identity
from node.peering.envelope import seal
from node.peering.wire import WireRecord

NOTE_TYPE = "log_note"


class NoteEvent(StrEnum):
    PARTNER_SUSPENDED = "partner_suspended"
    PARTNER_RESUMED = "partner_resumed"
    PARTNER_REMOVED = "partner_removed"
    KEY_ROTATED = "key_rotated"
    PARTNER_INCONSISTENT = "partner_inconsistent"
    # `position`: the first position of our channel to `subject` we withdraw (never accepted by
    # the partner); the channel continues from the position before it (docs/audit.md).
    MESSAGE_WITHDRAWN = "message_withdrawn"


@dataclass(frozen=True)
class Note(WireRecord):
    """A local decision, signed by us: `subject` is the partner concerned (or our node id)."""

    event: str
    subject: str
    created: int
    position: int = 0
    key: bytes = b""
    text: str = ""


def sign_note(identity: Identity, note: Note) -> bytes:
    """The note as a signed envelope, ready for the log."""
    return seal(identity.signing_key, identity.node_id, NOTE_TYPE, note.encode())
