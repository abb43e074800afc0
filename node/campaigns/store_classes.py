"""Each participating store's class for the office (中小店舗: 専用券 accepted, or not), the answer
the console's store-class page shows; `actions.set_store_local` changes one."""

from __future__ import annotations

from typing import Any

from node.campaigns import class_queries
from node.ledger import queries as ledger_queries
from node.runtime import Node


async def store_classes(node: Node) -> dict[str, Any]:
    """Every store, in the order they were added, with whether it is a small local shop."""
    reader = node.require_reader()
    stores = await ledger_queries.list_stores(reader)
    local = await class_queries.local_store_ids(reader)
    return {
        "stores": [
            {"store_id": s.store_id, "name": s.name, "local": s.store_id in local} for s in stores
        ]
    }
