"""Which keys speak for a partner: its first key (the node id) and every key it rotated to since.

A message verifies with any of the partner's keys, but a key only speaks for the messages of the
channel up to the notice that retired it, so a retired (possibly stolen) key cannot sign anything
new, backdated or not.
"""

from __future__ import annotations

from dataclasses import dataclass

from nacl.signing import VerifyKey

from node.errors import BadSignature, MalformedEnvelope
from node.identity import decode_node_id
from node.peering import queries
from node.peering.envelope import Envelope
from node.reads import Reader


@dataclass(frozen=True)
class KeyEntry:
    position: int
    key: VerifyKey
    since_seq: int
    """Sequence number, on the partner's channel to us, of the notice that introduced this key."""


def first_key(node_id: str) -> KeyEntry:
    try:
        return KeyEntry(0, VerifyKey(decode_node_id(node_id)), 0)
    except ValueError as exc:
        raise MalformedEnvelope("The sender is not a node id.") from exc


def verify_with(envelope: Envelope, keys: tuple[KeyEntry, ...]) -> KeyEntry:
    """The key (newest first) whose signature this is; BadSignature if none."""
    for entry in reversed(keys):
        try:
            envelope.verify(entry.key)
        except BadSignature:
            continue
        return entry
    raise BadSignature()


def check_key_era(keys: tuple[KeyEntry, ...], used: KeyEntry, seq: int) -> None:
    """A retired key signs nothing after the notice that retired it (by channel order, which the
    sender cannot backdate, unlike a timestamp)."""
    successor = next((k for k in keys if k.position == used.position + 1), None)
    if successor is not None and seq > successor.since_seq:
        raise BadSignature("The message is signed with a key the partner has retired.")


def require_newest(keys: tuple[KeyEntry, ...], used: KeyEntry) -> None:
    """Replies carry no sequence number: only the partner's current key may sign them."""
    if used.position != keys[-1].position:
        raise BadSignature("The reply is signed with a key the partner has retired.")


class KeyBook:
    """Cached key lists per partner; `forget` after a rotation notice is stored."""

    def __init__(self, reader: Reader) -> None:
        self._reader = reader
        self._cache: dict[str, tuple[KeyEntry, ...]] = {}

    async def keys(self, node_id: str) -> tuple[KeyEntry, ...]:
        cached = self._cache.get(node_id)
        if cached is not None:
            return cached
        keys = [first_key(node_id)]
        keys += [
            KeyEntry(row.position, VerifyKey(row.public_key), row.since_seq)
            for row in await queries.peer_keys(self._reader, node_id)
        ]
        result = tuple(keys)
        if len(self._cache) < 10_000:
            self._cache[node_id] = result
        return result

    def forget(self, node_id: str) -> None:
        self._cache.pop(node_id, None)
