"""The running node's cache of partners' keys, read from `peer_keys` (the pure rules: keys.py)."""

from __future__ import annotations

from nacl.signing import VerifyKey

from node.peering import queries
from node.peering.keys import KeyEntry, first_key
from node.reads import Reader


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
