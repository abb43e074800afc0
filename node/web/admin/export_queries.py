"""The redemptions CSV's rows: one store's redemptions and partner claims, in time order.

Each half is keyset-paged on (created_at, id) by its owner's read module (our redemptions:
node/ledger/export_queries.py; partners' claims: node/settlement/export_queries.py), so a report
connection is never held while a slow client downloads; the two sorted streams are merged here,
which is why the CSV goes store by store.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from node.ledger import export_queries as ledger_exports
from node.ledger.export_queries import Chunk, ExportRow, our_chunks
from node.reads import Reader
from node.settlement.export_queries import partner_chunks

__all__ = ["ExportRow", "store_redemptions"]


async def _paged(chunk: Chunk, start_s: int) -> AsyncIterator[ExportRow]:
    key = (start_s, "")  # every id sorts after "": the first chunk starts at start_s itself
    while True:
        rows = await chunk(key)
        for row in rows:
            yield row
        if len(rows) < ledger_exports.CHUNK_ROWS:
            return
        key = rows[-1].key


async def _merged(
    first: AsyncIterator[ExportRow], second: AsyncIterator[ExportRow]
) -> AsyncIterator[ExportRow]:
    """Two streams sorted by key, as one sorted stream."""
    a, b = await anext(first, None), await anext(second, None)
    while a is not None or b is not None:
        if a is not None and (b is None or a.key <= b.key):
            yield a
            a = await anext(first, None)
        elif b is not None:
            yield b
            b = await anext(second, None)


def store_redemptions(
    db: Reader, store_id: str, start_s: int, end_s: int
) -> AsyncIterator[ExportRow]:
    """Every redemption at `store_id` in [start_s, end_s), ours and partners', in time order."""
    ours = _paged(our_chunks(db, store_id, start_s, end_s), start_s)
    theirs = _paged(partner_chunks(db, store_id, end_s), start_s)
    return _merged(ours, theirs)
