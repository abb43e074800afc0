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
from node.reads import Reader
from node.runtime import Node
from node.settlement.audit import bundle, checkpoint
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
    rows = await reader.execute_fetchall(
        "SELECT body, signature FROM audit_checkpoints ORDER BY size"
    )
    return [checkpoint.decode(bytes(body), bytes(sig)) for body, sig in rows]


async def latest_checkpoint(reader: Reader) -> Checkpoint | None:
    rows = list(
        await reader.execute_fetchall(
            "SELECT body, signature FROM audit_checkpoints ORDER BY size DESC LIMIT 1"
        )
    )
    return checkpoint.decode(bytes(rows[0][0]), bytes(rows[0][1])) if rows else None


async def _latest_with_cosignatures(
    reader: Reader, names: dict[str, str]
) -> LatestCheckpoint | None:
    made = await latest_checkpoint(reader)
    if made is None:
        return None
    rows = await reader.execute_fetchall(
        "SELECT cosigner, signature, received_at FROM audit_cosignatures WHERE size = ?"
        " ORDER BY cosigner",
        (made.size,),
    )
    cosignatures = tuple(
        Cosignature(str(c), names.get(str(c), str(c)[:8]), bytes(sig), from_epoch(int(at)))
        for c, sig, at in rows
    )
    signed = {c.cosigner for c in cosignatures}
    active = await reader.execute_fetchall(
        "SELECT node_id, name FROM peers WHERE status = 'active' ORDER BY created_at, node_id"
    )
    uncosigned = tuple(Partner(str(p), str(n)) for p, n in active if str(p) not in signed)
    return LatestCheckpoint(made, cosignatures, uncosigned)


async def audit_status(node: Node) -> AuditStatus:
    reader = node.require_reader()
    names = await peer_names(reader)
    size_rows = list(
        await reader.execute_fetchall("SELECT coalesce(max(position) + 1, 0) FROM audit_log")
    )
    witnessed = await reader.execute_fetchall(
        "SELECT peer, max(size), witnessed_at FROM audit_witnessed GROUP BY peer ORDER BY peer"
    )
    alarms = await reader.execute_fetchall(
        "SELECT peer, direction, size, reason, detected_at FROM audit_alarms ORDER BY alarm_id"
    )
    return AuditStatus(
        log_size=int(size_rows[0][0]),
        latest=await _latest_with_cosignatures(reader, names),
        witnessed=tuple(
            Witnessed(str(p), names.get(str(p), str(p)[:8]), int(size), from_epoch(int(at)))
            for p, size, at in witnessed
        ),
        alarms=tuple(
            Alarm(
                str(p),
                names.get(str(p), str(p)[:8]),
                "theirs" if direction == "theirs" else "ours",
                int(size),
                str(reason),
                from_epoch(int(at)),
            )
            for p, direction, size, reason, at in alarms
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
        cosigs = await reader.execute_fetchall(
            "SELECT cosigner, signature FROM audit_cosignatures WHERE size = ? ORDER BY cosigner",
            (each.size,),
        )
        await write(bundle.checkpoint_record(each, [(str(c), bytes(s)) for c, s in cosigs]))
    for start in range(0, size, EXPORT_CHUNK):
        rows = await reader.execute_fetchall(
            "SELECT position, envelope FROM audit_log WHERE position >= ? AND position < ?"
            " ORDER BY position",
            (start, min(size, start + EXPORT_CHUNK)),
        )
        await write(b"".join(bundle.entry_record(int(p), bytes(e)) for p, e in rows))
