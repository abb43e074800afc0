"""Partners' store lists (提携先の店舗): ours goes to every active partner whenever it differs from
what that partner last got; theirs is kept to show customers where our vouchers can be used.

Level-triggered on purpose: `share_stores` compares each active partner's last list with ours
and sends only where they differ, so a missed trigger (a crash, a partner that became active
while we were busy) is made good by the next run, and a run with nothing to do sends nothing.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable

from node.errors import MalformedEnvelope
from node.ledger import tables as ledger_tables
from node.peering import queries, tables
from node.peering.context import Checked, NodeContext
from node.peering.messages import StoreListMessage, StoreRow
from node.peering.model import Peer
from node.peering.outbound import enqueue
from node.reads import Reader
from node.text import is_printable

MAX_STORES = 1000  # far above any chain we serve; a partner's list past this is refused
MAX_STORE_ID_CHARS = 64


def _list_hash(stores: StoreListMessage) -> bytes:
    return hashlib.sha256(stores.pack_fields()).digest()


EMPTY_LIST_HASH = _list_hash(StoreListMessage(()))


def our_stores(conn: sqlite3.Connection) -> StoreListMessage:
    shops = ledger_tables.stores_by_id(conn)
    return StoreListMessage(tuple(StoreRow(shop.store_id, shop.name) for shop in shops))


def share_stores(
    me: NodeContext, now_s: int, new_msg_id: Callable[[], str]
) -> Callable[[sqlite3.Connection], int]:
    """Queue our store list to each active partner whose last one differs; how many were queued."""

    def work(conn: sqlite3.Connection) -> int:
        stores = our_stores(conn)
        digest = _list_hash(stores)
        # A partner that never got a list holds an empty one: with no stores, nothing to send.
        behind = tables.partners_without_list(conn, digest, EMPTY_LIST_HASH)
        for peer_id in behind:
            enqueue(conn, me, peer_id, stores, now_s, new_msg_id())
            tables.record_list_sent(conn, peer_id, digest, now_s)
        return len(behind)

    return work


def _checked_rows(rows: tuple[StoreRow, ...]) -> list[tuple[str, str]]:
    if len(rows) > MAX_STORES:
        raise MalformedEnvelope(f"A store list may hold at most {MAX_STORES} stores.")
    seen: set[str] = set()
    checked = []
    for store_id, name in rows:
        if not store_id or len(store_id) > MAX_STORE_ID_CHARS or store_id in seen:
            raise MalformedEnvelope("Each store in the list needs its own short id.")
        if not name.strip() or not is_printable(name):
            raise MalformedEnvelope("Each store in the list needs a printable name.")
        seen.add(store_id)
        checked.append((store_id, name.strip()))
    return checked


def on_store_list(
    conn: sqlite3.Connection,
    me: NodeContext,
    checked: Checked[StoreListMessage],
    peer: Peer | None,
    now_s: int,
) -> bytes:
    """The partner's whole current list replaces what we held (the channel keeps them in order)."""
    rows = _checked_rows(checked.message.stores)
    if peer is None:
        return b""
    tables.replace_partner_stores(conn, peer.node_id, rows, now_s)
    return b""


async def active_partner_stores(reader: Reader) -> list[tuple[str, list[str]]]:
    """(partner name, its store names) for each active partner, by name; [] stores if none sent."""
    partners: dict[str, list[str]] = {}
    for row in await queries.active_partners_stores(reader):
        names = partners.setdefault(row.partner, [])
        if row.store is not None:
            names.append(row.store)
    return list(partners.items())
