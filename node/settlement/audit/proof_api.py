"""HTTP for partners' inclusion proofs: answering a partner's request, and asking a partner."""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp import web

from node import merkle
from node.errors import AuditError, MalformedEnvelope, NoCheckpoint, NotInLog
from node.http import input as body_input
from node.http.input import read_capped
from node.peering import core as peering_core
from node.peering import queries as peering_queries
from node.peering.context import ACTIVE_ONLY
from node.peering.envelope import open_envelope
from node.peering.keys import require_newest, verify_with
from node.peering.model import PeerStatus
from node.runtime import NODE, Handler, Node
from node.settlement.audit import proofs, queries

MAX_REQUEST_BYTES = 4096
MAX_ANSWER_BYTES = 8 * 1024 * 1024
ASK_TIMEOUT_S = 10.0


async def topic_entries(node: Node, topic: str, size: int) -> list[tuple[int, bytes]]:
    """Entries about `topic` before `size`: its messages, then the replies to those messages."""
    reader = node.require_reader()
    rows = await queries.entries_about(reader, topic, size, proofs.MAX_ENTRIES)
    for entry in list(rows):
        msg_id = proofs.message_id(entry.envelope)
        if msg_id and msg_id != topic:
            rows += await queries.entries_about(reader, msg_id, size, proofs.MAX_ENTRIES)
    return sorted({e.position: e.envelope for e in rows}.items())[: proofs.MAX_ENTRIES]


async def inclusion_paths(node: Node, size: int, positions: list[int]) -> list[list[bytes]]:
    """RFC 6962 inclusion proofs of these entries in the tree of the first `size` entries."""
    leaves = await queries.leaves(node.require_reader(), size)
    return await asyncio.to_thread(lambda: [merkle.inclusion_proof(leaves, i) for i in positions])


async def answer_proof(request: web.Request) -> web.Response:
    """POST /peer/v1/audit/proof: a partner's signed request about its own exchanges with us."""
    node = request.app[NODE]
    raw = await read_capped(request.content, MAX_REQUEST_BYTES)
    if raw is None:
        raise MalformedEnvelope("The request is too large.")
    envelope = open_envelope(raw)
    keys = await node.require_keybook().keys(envelope.sender)
    require_newest(keys, verify_with(envelope, keys))
    asked = proofs.read_request(envelope, node.identity.node_id, node.now_s())

    reader = node.require_reader()
    partner = await peering_queries.get_peer(reader, asked.sender)
    peering_core.require_status(partner, ACTIVE_ONLY)
    if not await queries.has_checkpoint(reader, asked.size):
        raise NoCheckpoint(f"This node has no checkpoint of size {asked.size}.")
    me = node.identity.node_id
    entries = [
        (i, e)
        for i, e in await topic_entries(node, asked.topic, asked.size)
        if proofs.involves(e, me, asked.sender)
    ]
    if not entries:
        raise NotInLog(topic=asked.topic)
    paths = await inclusion_paths(node, asked.size, [i for i, _ in entries])
    answer = proofs.encode_answer(
        asked.size, [(i, e, p) for (i, e), p in zip(entries, paths, strict=True)]
    )
    return web.Response(body=answer, content_type="application/x-msgpack")


async def ask_partner(request: web.Request) -> web.Response:
    """POST /api/v1/audit/ask {peer, topic}: have a partner prove that its log, as of the last
    checkpoint of its that we countersigned, holds our exchanges about a claim or statement,
    byte for byte as we hold them."""
    node = request.app[NODE]
    body = await body_input.read_body(request, {"peer", "topic"})
    peer_id = (body_input.text(body, "peer") or "").strip().upper()
    topic = body_input.text(body, "topic") or ""
    reader = node.require_reader()
    peer = await peering_queries.get_peer(reader, peer_id)
    if peer is None or peer.status != PeerStatus.ACTIVE:
        raise AuditError("That node is not an active partner of ours.")
    seen = await queries.last_witnessed(reader, peer_id)
    if seen is None:
        raise NoCheckpoint("We have not countersigned a checkpoint of this partner yet.")
    size, root = seen.size, seen.root
    ask = proofs.make_request(node.identity, peer_id, topic, size, node.now_s())
    raw = await _post(peer.url + proofs.PROOF_PATH, ask)
    try:
        proven = proofs.check_answer(raw, size, root)
    except MalformedEnvelope as exc:
        raise AuditError(f"The partner's answer proves nothing: {exc.message}") from exc
    ours = {e for _, e in await topic_entries(node, topic, 2**62)}
    return web.json_response(
        {
            "peer": peer_id,
            "topic": topic,
            "checkpoint_size": size,
            "root": root.hex(),
            "entries": [
                {"index": i, "type": open_envelope(e).msg_type, "same_as_ours": e in ours}
                for i, e in proven
            ],
            "all_same_as_ours": bool(proven) and all(e in ours for _, e in proven),
            "ours_not_shown": sum(
                1 for e in ours if proofs.involves(e, node.identity.node_id, peer_id)
            )
            - sum(1 for _, e in proven if e in ours),
        }
    )


async def _post(url: str, data: bytes) -> bytes:
    timeout = aiohttp.ClientTimeout(total=ASK_TIMEOUT_S)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.post(
                url, data=data, headers={"Content-Type": "application/x-msgpack"}
            ) as response,
        ):
            raw = await read_capped(response.content, MAX_ANSWER_BYTES)
            status = response.status
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise AuditError("The partner could not be reached; try again later.") from exc
    if raw is None:
        raise AuditError("The partner's answer is too large.")
    if status != 200:
        raise AuditError(
            f"The partner refused (HTTP {status}): {raw[:300].decode(errors='replace')}"
        )
    return raw


PROOF_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("POST", proofs.PROOF_PATH, answer_proof),
    ("POST", "/api/v1/audit/ask", ask_partner),
)
