"""Several messages of one channel in one HTTP exchange.

The outbox sends a partner's queue in sequence order as one batch; the partner checks each,
accepts them in that order in one group commit, and answers with one signed reply per message,
in the same order. A refused message refuses the ones after it (their sequence numbers no longer
follow), so the sender records the replies up to the first refusal and sends the rest again later.
"""

from __future__ import annotations

from node.errors import MalformedEnvelope
from node.peering.envelope import MAX_ENVELOPE_BYTES, pack, strict_unpack

BATCH_PATH = "/peer/v1/messages"
MAX_BATCH_MESSAGES = 64
MAX_BATCH_BYTES = MAX_ENVELOPE_BYTES + 64 * 1024
REQUEST_KEY = "envelopes"
REPLY_KEY = "replies"


def encode_batch(key: str, items: list[bytes]) -> bytes:
    return pack({key: items})


def decode_batch(key: str, raw: bytes, expected: int | None = None) -> list[bytes]:
    """The list of envelopes (or replies) in a batch; anything else is MalformedEnvelope."""
    value = strict_unpack(raw)
    items = value.get(key)
    if set(value) != {key} or not isinstance(items, list):
        raise MalformedEnvelope(f"A batch is a map with one list, `{key}`.")
    if not 1 <= len(items) <= MAX_BATCH_MESSAGES or not all(isinstance(i, bytes) for i in items):
        raise MalformedEnvelope(f"A batch holds 1-{MAX_BATCH_MESSAGES} envelopes as bytes.")
    if expected is not None and len(items) != expected:
        raise MalformedEnvelope("The batch's replies do not match its messages.")
    return items
