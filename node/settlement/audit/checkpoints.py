"""Making, storing and sharing our checkpoints (writer side), and reading them back."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from node import merkle
from node.peering.context import NodeContext
from node.peering.outbound import enqueue
from node.settlement.audit import checkpoint, log
from node.settlement.audit import tables as audit_tables
from node.settlement.audit.checkpoint import Checkpoint
from node.settlement.messages import CheckpointMessage


def latest(conn: sqlite3.Connection) -> Checkpoint | None:
    stored = audit_tables.latest_checkpoint(conn)
    return None if stored is None else checkpoint.decode(*stored)


@dataclass(frozen=True)
class Made:
    checkpoint: Checkpoint
    is_new: bool
    messages: tuple[tuple[str, str], ...]
    """(partner, msg_id) of each message that carries a new checkpoint to a partner."""


def make_checkpoint(conn: sqlite3.Connection, me: NodeContext, now_s: int) -> Made:
    """Sign the log as it stands and send the checkpoint to every active partner, each with a
    consistency proof from the last checkpoint we sent it. Called in the writer transaction of
    the event that warrants it (a statement agreed) or on demand; a log that has not grown
    since the last checkpoint gets no new one."""
    size = log.size(conn)
    previous = latest(conn)
    if previous is not None and previous.size == size:
        return Made(previous, False, ())
    leaves = log.leaves(conn, size)
    made = checkpoint.sign(
        me.identity.signing_key, me.identity.node_id, size, merkle.root_hash(leaves), now_s
    )
    audit_tables.insert_checkpoint(conn, made, now_s)
    messages: list[tuple[str, str]] = []
    for partner in audit_tables.shared_with_active_partners(conn):
        peer, shared = partner.peer, partner.size
        proof = merkle.consistency_proof(leaves, int(shared)) if shared else []
        message = CheckpointMessage(
            checkpoint=made.body,
            signature=made.signature,
            old_size=int(shared),
            proof=b"".join(proof),
        )
        msg_id = _message_id(made, peer)
        enqueue(conn, me, peer, message, now_s, msg_id)
        messages.append((peer, msg_id))
        audit_tables.record_shared(conn, peer, made.size)
    return Made(made, True, tuple(messages))


def _message_id(made: Checkpoint, peer: str) -> str:
    """Derived, not drawn: the writer units that make checkpoints (a partner's statement handled
    in our writer) need no randomness; the verifier derives the same (rules.py)."""
    return checkpoint.message_id(made, peer)
