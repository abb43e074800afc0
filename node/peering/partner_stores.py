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
from node.identity import Identity
from node.peering.messages import StoreListMessage, StoreRow
from node.peering.model import Peer
from node.peering.operations import Self
from node.peering.outbound import enqueue
from node.peering.routing import Checked
from node.reads import Reader
from node.text import is_printable

MAX_STORES = 1000  # far above any chain we serve; a partner's list past this is refused
MAX_STORE_ID_CHARS = 64


def _list_hash(stores: StoreListMessage) -> bytes:
    return hashlib.sha256(stores.pack_fields()).digest()


EMPTY_LIST_HASH = _list_hash(StoreListMessage(()))


def our_stores(conn: sqlite3.Connection) -> StoreListMessage:
    rows = conn.execute("SELECT store_id, name FROM stores ORDER BY store_id").fetchall()
    return StoreListMessage(tuple(StoreRow(str(store_id), str(name)) for store_id, name in rows))


def share_stores(
    identity: Identity, now_s: int, new_msg_id: Callable[[], str]
) -> Callable[[sqlite3.Connection], int]:
    """Queue our store list to each active partner whose last one differs; how many were queued."""

    def work(conn: sqlite3.Connection) -> int:
        stores = our_stores(conn)
        digest = _list_hash(stores)
        # A partner that never got a list holds an empty one: with no stores, nothing to send.
        behind = conn.execute(
            "SELECT p.node_id FROM peers p LEFT JOIN store_lists_sent s ON s.peer = p.node_id"
            " WHERE p.status = 'active' AND coalesce(s.list_hash, ?) != ?"
            " ORDER BY p.node_id",
            (EMPTY_LIST_HASH, digest),
        ).fetchall()
        for (peer_id,) in behind:
            enqueue(conn, identity, str(peer_id), stores, now_s, new_msg_id())
            conn.execute(
                "INSERT INTO store_lists_sent (peer, list_hash, sent_at) VALUES (?, ?, ?)"
                " ON CONFLICT (peer) DO UPDATE SET list_hash = excluded.list_hash,"
                " sent_at = excluded.sent_at",
                (str(peer_id), digest, now_s),
            )
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
    me: Self,
    checked: Checked[StoreListMessage],
    peer: Peer | None,
    now_s: int,
) -> bytes:
    """The partner's whole current list replaces what we held (the channel keeps them in order)."""
    rows = _checked_rows(checked.message.stores)
    if peer is None:
        return b""
    conn.execute("DELETE FROM partner_stores WHERE peer = ?", (peer.node_id,))
    conn.executemany(
        "INSERT INTO partner_stores (peer, store_id, name, received_at) VALUES (?, ?, ?, ?)",
        [(peer.node_id, store_id, name, now_s) for store_id, name in rows],
    )
    return b""


async def active_partner_stores(reader: Reader) -> list[tuple[str, list[str]]]:
    """(partner name, its store names) for each active partner, by name; [] stores if none sent."""
    rows = await reader.execute_fetchall(
        "SELECT p.name, s.name FROM peers p LEFT JOIN partner_stores s ON s.peer = p.node_id"
        " WHERE p.status = 'active' ORDER BY p.name, p.node_id, s.name"
    )
    partners: dict[str, list[str]] = {}
    for partner, store in rows:
        names = partners.setdefault(str(partner), [])
        if store is not None:
            names.append(str(store))
    return list(partners.items())
