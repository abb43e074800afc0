"""Peering reads for the pages, the API, the outbox and the audit log (aiosqlite): partners,
their keys, and what waits in the outbox for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from node.ledger.rows import from_epoch
from node.peering.model import Peer
from node.peering.tables import PEER_COLUMNS, peer_from_row
from node.reads import Reader


@dataclass(frozen=True)
class Queue:
    """What still waits to reach one partner."""

    messages: int
    last_error: str | None


@dataclass(frozen=True)
class Undelivered:
    """One undelivered message of our channel to a partner, with the partner's address."""

    peer: str
    url: str
    status: str  # the partner's
    seq: int
    msg_id: str
    msg_type: str
    envelope: bytes
    next_attempt_at: int
    parked_at: int | None


@dataclass(frozen=True)
class KeyRow:
    position: int
    public_key: bytes
    since_seq: int


@dataclass(frozen=True)
class PartnerStore:
    """One store of an active partner (None: the partner sent no list yet)."""

    partner: str  # the partner's name
    store: str | None


async def get_peer(reader: Reader, node_id: str) -> Peer | None:
    rows = list(
        await reader.execute_fetchall(
            f"SELECT {PEER_COLUMNS} FROM peers WHERE node_id = ?",  # noqa: S608
            (node_id,),
        )
    )
    return peer_from_row(rows[0]) if rows else None


async def current_peers(reader: Reader) -> list[Peer]:
    """Every partner not removed, oldest first."""
    rows = await reader.execute_fetchall(
        f"SELECT {PEER_COLUMNS} FROM peers WHERE status != 'removed'"  # noqa: S608
        " ORDER BY created_at, node_id"
    )
    return [peer_from_row(row) for row in rows]


async def active_peers(reader: Reader) -> list[Peer]:
    """Active partners, oldest first."""
    rows = await reader.execute_fetchall(
        f"SELECT {PEER_COLUMNS} FROM peers WHERE status = 'active'"  # noqa: S608
        " ORDER BY created_at, node_id"
    )
    return [peer_from_row(row) for row in rows]


async def last_partner_change(reader: Reader) -> datetime | None:
    """When any partner's record last changed (its status among others; removed ones included):
    the registry keeps no history of statuses, only this."""
    rows = await reader.execute_fetchall("SELECT max(updated_at) AS changed FROM peers", ())
    changed = next(iter(rows))["changed"]
    return None if changed is None else from_epoch(changed)


async def queue_of(reader: Reader, peer: str) -> Queue:
    rows = list(
        await reader.execute_fetchall(
            "SELECT count(*) AS messages, max(last_error) AS last_error FROM deliveries"
            " WHERE peer = ? AND delivered_at IS NULL AND dropped_at IS NULL",
            (peer,),
        )
    )
    if not rows:
        return Queue(0, None)
    last_error = rows[0]["last_error"]
    return Queue(int(rows[0]["messages"]), None if last_error is None else str(last_error))


async def peer_keys(reader: Reader, peer: str) -> list[KeyRow]:
    """The partner's rotated keys (after its first), in order."""
    rows = await reader.execute_fetchall(
        "SELECT position, public_key, since_seq FROM peer_keys WHERE peer = ? ORDER BY position",
        (peer,),
    )
    return [KeyRow(int(r["position"]), bytes(r["public_key"]), int(r["since_seq"])) for r in rows]


async def peers_with_mail(reader: Reader, force: bool, now_s: int) -> list[str]:
    """Partners (pending or active) with an undelivered message that is not parked and is due
    (every one, with `force`)."""
    rows = await reader.execute_fetchall(
        "SELECT DISTINCT d.peer FROM deliveries d JOIN peers p ON p.node_id = d.peer"
        " WHERE d.delivered_at IS NULL AND p.status IN ('pending', 'active')"
        " AND d.parked_at IS NULL AND d.dropped_at IS NULL"
        " AND (? OR d.next_attempt_at <= ?)",
        (int(force), now_s),
    )
    return [str(row["peer"]) for row in rows]


async def undelivered(reader: Reader, peer: str, limit: int) -> list[Undelivered]:
    """The lowest undelivered, not dropped messages to `peer`, in order."""
    rows = await reader.execute_fetchall(
        "SELECT o.peer, p.url, p.status, o.seq, o.msg_id, o.msg_type, o.envelope,"
        " d.next_attempt_at, d.parked_at FROM deliveries d JOIN outbox_current o USING (peer, seq)"
        " JOIN peers p ON p.node_id = o.peer WHERE d.peer = ? AND d.delivered_at IS NULL"
        " AND d.dropped_at IS NULL ORDER BY d.seq LIMIT ?",
        (peer, limit),
    )
    return [
        Undelivered(
            peer=r["peer"],
            url=r["url"],
            status=r["status"],
            seq=r["seq"],
            msg_id=r["msg_id"],
            msg_type=r["msg_type"],
            envelope=bytes(r["envelope"]),
            next_attempt_at=r["next_attempt_at"],
            parked_at=r["parked_at"],
        )
        for r in rows
    ]


async def active_partners_stores(reader: Reader) -> list[PartnerStore]:
    """Each active partner's stores, by partner name, then store name."""
    rows = await reader.execute_fetchall(
        "SELECT p.name AS partner, s.name AS store FROM peers p"
        " LEFT JOIN partner_stores s ON s.peer = p.node_id"
        " WHERE p.status = 'active' ORDER BY p.name, p.node_id, s.name"
    )
    return [
        PartnerStore(str(r["partner"]), None if r["store"] is None else str(r["store"]))
        for r in rows
    ]
