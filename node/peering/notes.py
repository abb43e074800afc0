"""Notes: the decisions this node signs about its partners and its own key (a partner suspended,
a key rotated, a message withdrawn, a partner that showed two histories). Each is a signed
envelope of type `log_note`; the settlement log keeps it beside the messages (docs/audit.md)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum

from node.identity import Identity
from node.peering.envelope import pack, require_sorted, seal, strict_unpack
from node.peering.messages import FieldSpec, check_fields, key_order

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


NOTE_FIELDS: FieldSpec = {
    "event": (str, None),
    "subject": (str, None),
    "created": (int, None),
    "position": (int, None),
    "key": (bytes, None),
    "text": (str, None),
}
NOTE_ORDER = key_order(NOTE_FIELDS)


@dataclass(frozen=True)
class Note:
    """A local decision, signed by us: `subject` is the partner concerned (or our node id)."""

    event: str
    subject: str
    created: int
    position: int = 0
    key: bytes = b""
    text: str = ""


def encode_note(note: Note) -> bytes:
    body = asdict(note)
    check_fields(body, NOTE_FIELDS)
    return pack(body)


def decode_note(body: bytes) -> Note:
    values = strict_unpack(body)
    require_sorted(values, NOTE_ORDER)
    check_fields(values, NOTE_FIELDS)
    return Note(**values)


def sign_note(identity: Identity, note: Note) -> bytes:
    """The note as a signed envelope, ready for the log."""
    return seal(identity.signing_key, identity.node_id, NOTE_TYPE, encode_note(note))
