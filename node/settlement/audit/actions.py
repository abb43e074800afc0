"""The settlement log as an admin or auditor sees it, shared by the JSON API and the console: its
size, the latest checkpoint and who countersigned it, what we witnessed of partners' logs, alarms,
a checkpoint on demand, and the export bundle (streamed)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from node.errors import NoCheckpoint
from node.ledger.rows import from_epoch
from node.peering import queries as peering_queries
from node.reads import Reader
from node.runtime import Node
from node.settlement.audit import bundle, checkpoint, queries
from node.settlement.audit.checkpoint import Checkpoint
from node.settlement.audit.checkpoints import make_checkpoint
from node.settlement.queries import peer_names

COSIGN_WAIT_S = 5.0
EXPORT_CHUNK = 1000


@dataclass(frozen=True)
class Cosignature:
    cosigner: str
    name: str
    signature: bytes
    received_at: datetime


@dataclass(frozen=True)
class Partner:
    node_id: str
    name: str


@dataclass(frozen=True)
class LatestCheckpoint:
    checkpoint: Checkpoint
    cosignatures: tuple[Cosignature, ...]
    uncosigned: tuple[Partner, ...]
    """Active partners whose countersignature on this checkpoint we do not hold."""

    @property
    def created_at(self) -> datetime:
        return from_epoch(self.checkpoint.created)


@dataclass(frozen=True)
class Witnessed:
    """The largest checkpoint of a partner's log that we countersigned."""

    peer: str
    name: str
    size: int
    witnessed_at: datetime


@dataclass(frozen=True)
class Alarm:
    """A log that did not extend the checkpoint countersigned before: a partner's ("theirs"),
    or ours as a partner reported it ("ours")."""

    peer: str
    name: str
    whose_log: str
    size: int
    reason: str
    detected_at: datetime


@dataclass(frozen=True)
class AuditStatus:
    log_size: int
    latest: LatestCheckpoint | None
    witnessed: tuple[Witnessed, ...]
    alarms: tuple[Alarm, ...]


async def all_checkpoints(reader: Reader) -> list[Checkpoint]:
    return [checkpoint.decode(c.body, c.signature) for c in await queries.checkpoints(reader)]


async def latest_checkpoint(reader: Reader) -> Checkpoint | None:
    stored = await queries.latest_checkpoint(reader)
    return None if stored is None else checkpoint.decode(stored.body, stored.signature)


async def _latest_with_cosignatures(
    reader: Reader, names: dict[str, str]
) -> LatestCheckpoint | None:
    made = await latest_checkpoint(reader)
    if made is None:
        return None
    cosignatures = tuple(
        Cosignature(
            c.cosigner,
            names.get(c.cosigner, c.cosigner[:8]),
            c.signature,
            from_epoch(c.received_at),
        )
        for c in await queries.cosignatures(reader, made.size)
    )
    signed = {c.cosigner for c in cosignatures}
    active = await peering_queries.active_peers(reader)
    uncosigned = tuple(Partner(p.node_id, p.name) for p in active if p.node_id not in signed)
    return LatestCheckpoint(made, cosignatures, uncosigned)


async def audit_status(node: Node) -> AuditStatus:
    reader = node.require_reader()
    names = await peer_names(reader)
    witnessed = await queries.witnessed(reader)
    alarms = await queries.alarms(reader)
    return AuditStatus(
        log_size=await queries.log_size(reader),
        latest=await _latest_with_cosignatures(reader, names),
        witnessed=tuple(
            Witnessed(w.peer, names.get(w.peer, w.peer[:8]), w.size, from_epoch(w.witnessed_at))
            for w in witnessed
        ),
        alarms=tuple(
            Alarm(
                a.peer,
                names.get(a.peer, a.peer[:8]),
                "theirs" if a.direction == "theirs" else "ours",
                a.size,
                a.reason,
                from_epoch(a.detected_at),
            )
            for a in alarms
        ),
    )


async def checkpoint_now(node: Node) -> tuple[AuditStatus, bool]:
    """Sign the log as it stands, send it to every active partner and wait briefly for their
    countersignatures (they keep arriving later if a partner is slow or offline). Also says
    whether a new checkpoint was made (none when the log has not grown)."""
    now_s = node.now_s()
    made = await node.require_writer().submit(lambda conn: make_checkpoint(conn, node.me, now_s))
    outbox = node.require_outbox()
    await asyncio.gather(
        *(outbox.send_and_wait(peer, msg_id, COSIGN_WAIT_S) for peer, msg_id in made.messages)
    )
    return await audit_status(node), made.is_new


async def export_checkpoints(node: Node) -> list[Checkpoint]:
    """Every checkpoint, oldest first; refused when there is none yet (nothing to export)."""
    made = await all_checkpoints(node.require_reader())
    if not made:
        raise NoCheckpoint()
    return made


async def write_bundle(
    node: Node, made: list[Checkpoint], write: Callable[[bytes], Awaitable[None]]
) -> None:
    """The bundle up to the last of `made` (docs/audit.md); the log is append-only, so reading it
    in chunks gives the same bytes as one snapshot would."""
    reader = node.require_reader()
    size = made[-1].size
    await write(
        bundle.header_record(
            node.identity.node_id, node.config.node.name, node.now_s(), size, len(made)
        )
    )
    for each in made:
        cosigs = await queries.cosignatures(reader, each.size)
        await write(bundle.checkpoint_record(each, [(c.cosigner, c.signature) for c in cosigs]))
    for start in range(0, size, EXPORT_CHUNK):
        rows = await queries.entries(reader, start, min(size, start + EXPORT_CHUNK))
        await write(b"".join(bundle.entry_record(e.position, e.envelope) for e in rows))
