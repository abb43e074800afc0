"""Admin API for the settlement log: the latest checkpoint and its countersignatures, a checkpoint
on demand, inclusion proofs, and the export bundle (streamed)."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import aiosqlite
from aiohttp import web

from node.api import input as body_input
from node.api.serialize import iso
from node.app import NODE, Handler, Node
from node.errors import NoCheckpoint, NotInLog
from node.ledger.rows import from_epoch
from node.peering.envelope import open_envelope
from node.settlement.audit import bundle, checkpoint, merkle
from node.settlement.audit.checkpoint import Checkpoint
from node.settlement.audit.checkpoints import make_checkpoint
from node.settlement.audit.proof_api import PROOF_ROUTES, inclusion_paths, topic_entries
from node.settlement.queries import peer_names

COSIGN_WAIT_S = 5.0
EXPORT_CHUNK = 1000


def _now_s(node: Node) -> int:
    return int(node.clock.now().timestamp())


async def _checkpoints(reader: aiosqlite.Connection) -> list[Checkpoint]:
    rows = await reader.execute_fetchall(
        "SELECT body, signature FROM audit_checkpoints ORDER BY size"
    )
    return [checkpoint.decode(bytes(body), bytes(sig)) for body, sig in rows]


async def _latest(reader: aiosqlite.Connection) -> Checkpoint:
    rows = list(
        await reader.execute_fetchall(
            "SELECT body, signature FROM audit_checkpoints ORDER BY size DESC LIMIT 1"
        )
    )
    if not rows:
        raise NoCheckpoint()
    return checkpoint.decode(bytes(rows[0][0]), bytes(rows[0][1]))


async def _status(node: Node) -> dict[str, Any]:
    reader = node.require_reader()
    names = await peer_names(reader)
    size_rows = list(
        await reader.execute_fetchall("SELECT coalesce(max(position) + 1, 0) FROM audit_log")
    )
    latest_rows = list(
        await reader.execute_fetchall(
            "SELECT body, signature FROM audit_checkpoints ORDER BY size DESC LIMIT 1"
        )
    )
    latest = None
    if latest_rows:
        made = checkpoint.decode(bytes(latest_rows[0][0]), bytes(latest_rows[0][1]))
        cosigs = await reader.execute_fetchall(
            "SELECT cosigner, signature, received_at FROM audit_cosignatures WHERE size = ?"
            " ORDER BY cosigner",
            (made.size,),
        )
        latest = {
            **_checkpoint_json(made),
            "cosignatures": [
                {
                    "cosigner": str(c),
                    "name": names.get(str(c), str(c)[:8]),
                    "signature": bytes(sig).hex(),
                    "received_at": iso(from_epoch(int(at))),
                }
                for c, sig, at in cosigs
            ],
        }
    witnessed = await reader.execute_fetchall(
        "SELECT peer, max(size), witnessed_at FROM audit_witnessed GROUP BY peer ORDER BY peer"
    )
    alarms = await reader.execute_fetchall(
        "SELECT peer, direction, size, reason, detected_at FROM audit_alarms ORDER BY alarm_id"
    )
    return {
        "log_size": int(size_rows[0][0]),
        "latest_checkpoint": latest,
        "witnessed": [
            {
                "peer": str(p),
                "name": names.get(str(p), str(p)[:8]),
                "size": int(size),
                "witnessed_at": iso(from_epoch(int(at))),
            }
            for p, size, at in witnessed
        ],
        "alarms": [
            {
                "peer": str(p),
                "name": names.get(str(p), str(p)[:8]),
                "whose_log": "theirs" if direction == "theirs" else "ours",
                "size": int(size),
                "reason": str(reason),
                "detected_at": iso(from_epoch(int(at))),
            }
            for p, direction, size, reason, at in alarms
        ],
    }


def _checkpoint_json(made: Checkpoint) -> dict[str, Any]:
    return {
        "origin": made.origin,
        "size": made.size,
        "root": made.root.hex(),
        "created": iso(from_epoch(made.created)),
        "body": base64.b64encode(made.body).decode("ascii"),
        "signature": made.signature.hex(),
    }


async def show_status(request: web.Request) -> web.Response:
    return web.json_response(await _status(request.app[NODE]))


async def checkpoint_now(request: web.Request) -> web.Response:
    """Sign the log as it stands, send it to every active partner and wait briefly for their
    countersignatures (they keep arriving later if a partner is slow or offline)."""
    node = request.app[NODE]
    await body_input.read_body(request, set())
    now_s = _now_s(node)
    made = await node.require_writer().submit(
        lambda conn: make_checkpoint(conn, node.identity, now_s)
    )
    outbox = node.require_outbox()
    await asyncio.gather(
        *(outbox.send_and_wait(peer, msg_id, COSIGN_WAIT_S) for peer, msg_id in made.messages)
    )
    status = await _status(node)
    status["created_new"] = made.is_new
    return web.json_response(status, status=201)


async def export(request: web.Request) -> web.StreamResponse:
    """The bundle up to the latest checkpoint (docs/audit.md); the log is append-only, so reading it
    in chunks gives the same bytes as one snapshot would."""
    node = request.app[NODE]
    reader = node.require_reader()
    made = await _checkpoints(reader)
    if not made:
        raise NoCheckpoint()
    size = made[-1].size
    response = web.StreamResponse(
        headers={
            "Content-Type": "application/octet-stream",
            "Content-Disposition": f'attachment; filename="kippu-audit-{node.identity.node_id[:8]}.bundle"',
        }
    )
    await response.prepare(request)
    header = bundle.header_record(
        node.identity.node_id, node.config.node.name, _now_s(node), size, len(made)
    )
    await response.write(header)
    for each in made:
        cosigs = await reader.execute_fetchall(
            "SELECT cosigner, signature FROM audit_cosignatures WHERE size = ? ORDER BY cosigner",
            (each.size,),
        )
        pairs = [(str(c), bytes(s)) for c, s in cosigs]
        await response.write(bundle.checkpoint_record(each, pairs))
    start = 0
    while start < size:
        rows = await reader.execute_fetchall(
            "SELECT position, envelope FROM audit_log WHERE position >= ? AND position < ?"
            " ORDER BY position",
            (start, min(size, start + EXPORT_CHUNK)),
        )
        await response.write(b"".join(bundle.entry_record(int(p), bytes(e)) for p, e in rows))
        start += EXPORT_CHUNK
    await response.write_eof()
    return response


async def inclusion_proof(request: web.Request) -> web.Response:
    """Every entry about one claim or statement (its messages and their replies), each with its
    RFC 6962 inclusion proof against the latest checkpoint."""
    node = request.app[NODE]
    reader = node.require_reader()
    topic = request.match_info["topic"]
    latest = await _latest(reader)
    entries = await topic_entries(node, topic, latest.size)
    if not entries:
        raise NotInLog(topic=topic)
    paths = await inclusion_paths(node, latest.size, [position for position, _ in entries])
    return web.json_response(
        {
            "topic": topic,
            "checkpoint": _checkpoint_json(latest),
            "entries": [
                {
                    "index": position,
                    "type": open_envelope(envelope).msg_type,
                    "envelope": base64.b64encode(envelope).decode("ascii"),
                    "leaf": merkle.leaf_hash(envelope).hex(),
                    "proof": [h.hex() for h in proof],
                }
                for (position, envelope), proof in zip(entries, paths, strict=True)
            ],
        }
    )


AUDIT_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", "/api/v1/audit/checkpoint", show_status),
    ("POST", "/api/v1/audit/checkpoint", checkpoint_now),
    ("GET", "/api/v1/audit/export", export),
    ("GET", "/api/v1/audit/proof/{topic}", inclusion_proof),
    *PROOF_ROUTES,
)
