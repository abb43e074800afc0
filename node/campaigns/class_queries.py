"""Which stores are the campaign office's small local shops (the ledger's store group LOCAL_GROUP,
where a 専用券 is accepted): read for the console's store-class page."""

from __future__ import annotations

from node.campaigns.model import LOCAL_GROUP
from node.reads import Reader


async def local_store_ids(conn: Reader) -> frozenset[str]:
    rows = await conn.execute_fetchall(
        "SELECT store_id FROM store_groups WHERE group_name = ?", (LOCAL_GROUP,)
    )
    return frozenset(str(r["store_id"]) for r in rows)
