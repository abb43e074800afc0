"""The read of a grant's idempotency key: a key sent again is answered before the waiting room
(even once the stock is gone) when its grant is durable already."""

from __future__ import annotations

from node.campaigns.grant_key_tables import STORED_KEY, stored_from_row
from node.campaigns.grant_keys import StoredKey
from node.reads import Reader


async def stored_key(conn: Reader, key: str) -> StoredKey | None:
    rows = list(await conn.execute_fetchall(STORED_KEY, (key,)))
    return stored_from_row(rows[0]) if rows else None
