"""Starting the settlement log on a node that already exchanged messages before it had one."""

from __future__ import annotations

import sqlite3

from node.errors import KippuError
from node.peering.envelope import open_envelope
from node.settlement.audit import log
from node.settlement.audit.schema import create_audit_tables
from node.settlement.messages import KNOWN_MESSAGES

# Sort rank within one second: a message before its reply, ours before theirs.
_SENT, _RECEIVED, _ANSWERED = 0, 1, 2


def create_and_backfill(conn: sqlite3.Connection) -> None:
    """Migration: the audit tables, then every stored envelope in the order it was stored.

    Before this migration the order between channels was not recorded, so it is rebuilt from
    the stored times (to the second), each channel in sequence order, each reply after the
    message it answers. From here on, entries are appended in the transaction that stores them.
    """
    create_audit_tables(conn)
    rows: list[tuple[int, int, str, int, bytes, str]] = []
    for peer, seq, msg_id, envelope, created in conn.execute(
        "SELECT peer, seq, msg_id, envelope, created_at FROM outbox"
    ):
        rows.append((created, _SENT, peer, seq, bytes(envelope), _topic(bytes(envelope), msg_id)))
    for peer, seq, msg_id, envelope, reply, received in conn.execute(
        "SELECT peer, seq, msg_id, envelope, reply, received_at FROM inbox"
    ):
        rows.append(
            (received, _RECEIVED, peer, 2 * seq, bytes(envelope), _topic(bytes(envelope), msg_id))
        )
        rows.append((received, _RECEIVED, peer, 2 * seq + 1, bytes(reply), msg_id))
    for peer, seq, msg_id, reply, delivered in conn.execute(
        "SELECT d.peer, d.seq, o.msg_id, d.reply, d.delivered_at FROM deliveries d"
        " JOIN outbox o ON o.peer = d.peer AND o.seq = d.seq WHERE d.reply IS NOT NULL"
    ):
        rows.append((delivered, _ANSWERED, peer, seq, bytes(reply), msg_id))
    for at, _rank, _peer, _seq, envelope, topic in sorted(rows, key=lambda r: r[:4]):
        log.append(conn, envelope, topic, at)


def _topic(envelope: bytes, msg_id: str) -> str:
    try:
        opened = open_envelope(envelope)
        kind = KNOWN_MESSAGES.get(opened.msg_type)
        if kind is None:
            return msg_id
        return log.topic_of(msg_id, kind.decode(opened.body)[1])
    except KippuError:
        return msg_id
