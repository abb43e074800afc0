"""Making, storing and sharing our checkpoints (writer side), and reading them back."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from node.identity import Identity
from node.peering.outbound import enqueue
from node.settlement.audit import checkpoint, log, merkle
from node.settlement.audit.checkpoint import Checkpoint
from node.settlement.audit.rules import checkpoint_message_id
from node.settlement.messages import CheckpointMessage


def latest(conn: sqlite3.Connection) -> Checkpoint | None:
    row = conn.execute(
        "SELECT body, signature FROM audit_checkpoints ORDER BY size DESC LIMIT 1"
    ).fetchone()
    return None if row is None else checkpoint.decode(bytes(row[0]), bytes(row[1]))


@dataclass(frozen=True)
class Made:
    checkpoint: Checkpoint
    is_new: bool
    messages: tuple[tuple[str, str], ...]
    """(partner, msg_id) of each message that carries a new checkpoint to a partner."""


def make_checkpoint(conn: sqlite3.Connection, identity: Identity, now_s: int) -> Made:
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
        identity.signing_key, identity.node_id, size, merkle.root_hash(leaves), now_s
    )
    conn.execute(
        "INSERT INTO audit_checkpoints (size, root, created_at, body, signature)"
        " VALUES (?, ?, ?, ?, ?)",
        (made.size, made.root, now_s, made.body, made.signature),
    )
    partners = conn.execute(
        "SELECT p.node_id, coalesce(s.size, 0) FROM peers p"
        " LEFT JOIN audit_shared s ON s.peer = p.node_id WHERE p.status = 'active'"
        " ORDER BY p.node_id"
    ).fetchall()
    messages: list[tuple[str, str]] = []
    for peer, shared in partners:
        proof = merkle.consistency_proof(leaves, int(shared)) if shared else []
        message = CheckpointMessage(
            checkpoint=made.body,
            signature=made.signature,
            old_size=int(shared),
            proof=b"".join(proof),
        )
        msg_id = _message_id(made, peer)
        enqueue(conn, identity, peer, message, now_s, msg_id)
        messages.append((peer, msg_id))
        conn.execute(
            "INSERT INTO audit_shared (peer, size) VALUES (?, ?)"
            " ON CONFLICT (peer) DO UPDATE SET size = excluded.size",
            (peer, made.size),
        )
    return Made(made, True, tuple(messages))


def _message_id(made: Checkpoint, peer: str) -> str:
    """Derived, not drawn: the writer units that make checkpoints (a partner's statement handled
    in our writer) need no randomness; the verifier derives the same (rules.py)."""
    return checkpoint_message_id(made, peer)
