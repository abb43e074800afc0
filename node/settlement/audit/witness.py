"""Witnessing a partner's log: check its new checkpoint extends the last one it showed us, then
countersign it; and on our side, keep the countersignatures partners return for ours.

A checkpoint that does not extend the previous one (a consistency proof that fails, a smaller
tree, a different root for the same size) means the partner rewrote or forked its history: we
record the evidence, write a signed note in our own log, suspend the partnership and answer
`inconsistent`. The partner's message is still accepted (that is what makes the evidence durable).
"""

from __future__ import annotations

import logging
import sqlite3

from nacl.signing import VerifyKey

from node import merkle
from node.errors import MalformedEnvelope
from node.peering import core as peering_core
from node.peering import tables as peering_tables
from node.peering.context import Checked, NodeContext
from node.peering.keys import first_key
from node.peering.model import Peer, PeerStatus
from node.peering.notes import Note, NoteEvent
from node.settlement.audit import alarms, checkpoint, log
from node.settlement.audit import tables as audit_tables
from node.settlement.audit.checkpoint import Checkpoint
from node.settlement.messages import CheckpointMessage, CheckpointResult

logger = logging.getLogger(__name__)

COSIGNED, INCONSISTENT = "cosigned", "inconsistent"


def on_checkpoint(
    conn: sqlite3.Connection,
    me: NodeContext,
    checked: Checked[CheckpointMessage],
    peer: Peer | None,
    now_s: int,
) -> bytes:
    message = checked.message
    received = checkpoint.decode(message.checkpoint, message.signature)
    if received.origin != checked.header.sender:
        raise MalformedEnvelope("The checkpoint names another origin than its sender.")
    if not checkpoint.is_signed_by(received, checked.key.key):
        raise MalformedEnvelope("The checkpoint is not signed with the sender's key.")
    proof = _split_proof(message.proof)
    problem = _inconsistency(conn, received, message.old_size, proof)
    if problem is not None:
        evidence = message.pack_fields()
        raise_alarm(conn, me, received.origin, received.size, problem, evidence, now_s)
        return _result(received.size, INCONSISTENT, b"", problem)
    cosignature = checkpoint.cosign(me.identity.signing_key, received)
    audit_tables.insert_witnessed(conn, received, cosignature, now_s)
    return _result(received.size, COSIGNED, cosignature, "")


def _split_proof(raw: bytes) -> list[bytes]:
    if len(raw) % merkle.HASH_SIZE or len(raw) > merkle.MAX_PROOF_HASHES * merkle.HASH_SIZE:
        raise MalformedEnvelope("A consistency proof is a whole number of 32-byte hashes.")
    return [raw[i : i + merkle.HASH_SIZE] for i in range(0, len(raw), merkle.HASH_SIZE)]


def _inconsistency(
    conn: sqlite3.Connection, received: Checkpoint, old_size: int, proof: list[bytes]
) -> str | None:
    """Why `received` does not extend the last checkpoint this partner showed us (None if it does)."""
    last = audit_tables.last_witnessed(conn, received.origin)
    if last is None:
        return None  # the first checkpoint we see from this partner: nothing to extend yet
    last_size, last_root = last.size, last.root
    if received.size < last_size:
        return f"the log shrank from {last_size} to {received.size} entries"
    if old_size != last_size:
        return (
            f"the proof starts at size {old_size}, but the last checkpoint we saw has {last_size}"
        )
    if not merkle.verify_consistency(last_size, received.size, last_root, received.root, proof):
        return f"the tree of size {received.size} does not extend the one of size {last_size}"
    return None


def raise_alarm(
    conn: sqlite3.Connection,
    me: NodeContext,
    peer: str,
    where: int,
    problem: str,
    evidence: bytes,
    now_s: int,
) -> None:
    """A partner showed two histories: keep its signed evidence, write a signed note in our log,
    suspend the partnership. `where` is the checkpoint size or the channel's sequence number."""
    audit_tables.insert_their_alarm(conn, peer, where, problem, evidence, now_s)
    log.append_note(
        conn, me.identity, Note(NoteEvent.PARTNER_INCONSISTENT, peer, now_s, text=problem)
    )
    partner = peering_tables.require_peer(conn, peer)
    if partner.status != PeerStatus.SUSPENDED:
        status = peering_core.next_status(partner.status, PeerStatus.SUSPENDED)
        peering_tables.update_peer(conn, partner.node_id, now_s, status=status)
    logger.error("partner %s showed two histories (%s); partnership suspended", peer, problem)


def _result(size: int, decision: str, cosignature: bytes, message: str) -> bytes:
    return CheckpointResult(size, decision, cosignature, message).encode()


def apply_checkpoint_result(
    conn: sqlite3.Connection,
    me: NodeContext,
    peer: str,
    sent: CheckpointMessage,
    result: CheckpointResult,
    now_s: int,
) -> None:
    """The partner's answer to our checkpoint: keep its countersignature, or record its alarm."""
    ours = checkpoint.decode(sent.checkpoint, sent.signature)
    if result.size != ours.size:
        raise MalformedEnvelope("The answer is about another checkpoint.")
    if result.decision == INCONSISTENT:
        alarms.record_reported(conn, peer, ours.size, result.message, ours.body, now_s)
        return
    if result.decision != COSIGNED:
        raise MalformedEnvelope("Unknown checkpoint decision.")
    if not checkpoint.is_cosigned_by(ours, _newest_key(conn, peer), result.cosignature):
        raise MalformedEnvelope("The countersignature does not verify.")
    audit_tables.insert_cosignature(conn, ours.size, peer, result.cosignature, now_s)


def _newest_key(conn: sqlite3.Connection, peer: str) -> VerifyKey:
    newest = peering_tables.newest_peer_key(conn, peer)
    return VerifyKey(newest) if newest is not None else first_key(peer).key
