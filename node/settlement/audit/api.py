"""Admin API for the settlement log: the latest checkpoint and its countersignatures, a checkpoint
on demand, inclusion proofs, and the export bundle (streamed)."""

from __future__ import annotations

import base64
from typing import Any

from aiohttp import web

from node import merkle
from node.clock import iso
from node.errors import NoCheckpoint, NotInLog
from node.http import input as body_input
from node.ledger.rows import from_epoch
from node.peering.envelope import open_envelope
from node.runtime import NODE, Handler, Node
from node.settlement.audit import actions
from node.settlement.audit.actions import AuditStatus, LatestCheckpoint
from node.settlement.audit.checkpoint import Checkpoint
from node.settlement.audit.proof_api import PROOF_ROUTES, inclusion_paths, topic_entries


def _checkpoint_json(made: Checkpoint) -> dict[str, Any]:
    return {
        "origin": made.origin,
        "size": made.size,
        "root": made.root.hex(),
        "created": iso(from_epoch(made.created)),
        "body": base64.b64encode(made.body).decode("ascii"),
        "signature": made.signature.hex(),
    }


def _latest_json(latest: LatestCheckpoint) -> dict[str, Any]:
    return {
        **_checkpoint_json(latest.checkpoint),
        "cosignatures": [
            {
                "cosigner": c.cosigner,
                "name": c.name,
                "signature": c.signature.hex(),
                "received_at": iso(c.received_at),
            }
            for c in latest.cosignatures
        ],
    }


def _status_json(status: AuditStatus) -> dict[str, Any]:
    return {
        "log_size": status.log_size,
        "latest_checkpoint": None if status.latest is None else _latest_json(status.latest),
        "witnessed": [
            {"peer": w.peer, "name": w.name, "size": w.size, "witnessed_at": iso(w.witnessed_at)}
            for w in status.witnessed
        ],
        "alarms": [
            {
                "peer": a.peer,
                "name": a.name,
                "whose_log": a.whose_log,
                "size": a.size,
                "reason": a.reason,
                "detected_at": iso(a.detected_at),
            }
            for a in status.alarms
        ],
    }


async def show_status(request: web.Request) -> web.Response:
    return web.json_response(_status_json(await actions.audit_status(request.app[NODE])))


async def checkpoint_now(request: web.Request) -> web.Response:
    """Sign the log now and wait briefly for partners' countersignatures."""
    await body_input.read_body(request, set())
    status, is_new = await actions.checkpoint_now(request.app[NODE])
    return web.json_response({**_status_json(status), "created_new": is_new}, status=201)


async def export(request: web.Request) -> web.StreamResponse:
    """The bundle up to the latest checkpoint (docs/audit.md), streamed."""
    return await stream_bundle(request, request.app[NODE])


async def inclusion_proof(request: web.Request) -> web.Response:
    """Every entry about one claim or statement (its messages and their replies), each with its
    RFC 6962 inclusion proof against the latest checkpoint."""
    node = request.app[NODE]
    reader = node.require_reader()
    topic = request.match_info["topic"]
    latest = await actions.latest_checkpoint(reader)
    if latest is None:
        raise NoCheckpoint()
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


async def stream_bundle(request: web.Request, node: Node) -> web.StreamResponse:
    """Answer `request` with the bundle as a download (the JSON API's and the console's)."""
    # Before the answer starts, while an error can still be answered as one.
    made = await actions.export_checkpoints(node)
    filename = f"kippu-audit-{node.identity.node_id[:8]}.bundle"
    response = web.StreamResponse(
        headers={
            "Content-Type": "application/octet-stream",
            "Content-Disposition": f'attachment; filename="{filename}"',
        }
    )
    await response.prepare(request)
    await actions.write_bundle(node, made, response.write)
    await response.write_eof()
    return response


AUDIT_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", "/api/v1/audit/checkpoint", show_status),
    ("POST", "/api/v1/audit/checkpoint", checkpoint_now),
    ("GET", "/api/v1/audit/export", export),
    ("GET", "/api/v1/audit/proof/{topic}", inclusion_proof),
    *PROOF_ROUTES,
)
