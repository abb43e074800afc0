"""SQL for partners, invites, channels, inbox and outbox; runs inside the writer's transaction."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from typing import Any

from node.errors import PeerNotFound
from node.ledger.rows import from_epoch
from node.peering.model import Channel, Peer, PeerStatus

PEER_COLUMNS = (
    "node_id, name, url, status, they_registered, max_receivable_yen, created_at, updated_at"
)


def peer_from_row(row: sqlite3.Row) -> Peer:
    return Peer(
        node_id=row["node_id"],
        name=row["name"],
        url=row["url"],
        status=PeerStatus(row["status"]),
        they_registered=bool(row["they_registered"]),
        max_receivable_yen=row["max_receivable_yen"],
        created_at=from_epoch(row["created_at"]),
        updated_at=from_epoch(row["updated_at"]),
    )


@contextlib.contextmanager
def savepoint(conn: sqlite3.Connection, name: str) -> Iterator[None]:
    """A nested transaction: rolled back alone when the block raises (then re-raised)."""
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        # SQLite rolls the whole transaction back on some errors (SQLITE_FULL, SQLITE_IOERR):
        # the savepoint is gone with it, and the block's own error is the one to raise.
        if conn.in_transaction:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
        raise
    conn.execute(f"RELEASE {name}")


def load_peer(conn: sqlite3.Connection, node_id: str) -> Peer | None:
    row = conn.execute(
        f"SELECT {PEER_COLUMNS} FROM peers WHERE node_id = ?",  # noqa: S608
        (node_id,),
    ).fetchone()
    return None if row is None else peer_from_row(row)


def require_peer(conn: sqlite3.Connection, node_id: str) -> Peer:
    peer = load_peer(conn, node_id)
    if peer is None:
        raise PeerNotFound()
    return peer


def insert_peer(
    conn: sqlite3.Connection,
    node_id: str,
    name: str,
    url: str,
    max_receivable_yen: int | None,
    now_s: int,
) -> None:
    conn.execute(
        "INSERT INTO peers (node_id, name, url, status, they_registered, max_receivable_yen,"
        " created_at, updated_at) VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)",
        (node_id, name, url, max_receivable_yen, now_s, now_s),
    )


def update_peer(conn: sqlite3.Connection, node_id: str, now_s: int, **values: Any) -> None:
    """Update the named columns (status, they_registered, name, url, max_receivable_yen)."""
    allowed = {"status", "they_registered", "name", "url", "max_receivable_yen"}
    if not values or set(values) - allowed:
        raise ValueError(f"cannot update {sorted(set(values) - allowed)}")
    columns = ", ".join(f"{name} = ?" for name in values)
    conn.execute(
        f"UPDATE peers SET {columns}, updated_at = ? WHERE node_id = ?",  # noqa: S608
        (*(str(v) if isinstance(v, PeerStatus) else v for v in values.values()), now_s, node_id),
    )


def load_channel(conn: sqlite3.Connection, table: str, peer: str) -> Channel:
    if table not in ("channels_in", "channels_out"):
        raise ValueError(table)
    row = conn.execute(
        f"SELECT last_seq, last_hash FROM {table} WHERE peer = ?",  # noqa: S608
        (peer,),
    ).fetchone()
    return Channel() if row is None else Channel(int(row["last_seq"]), bytes(row["last_hash"]))


def save_channel(conn: sqlite3.Connection, table: str, peer: str, channel: Channel) -> None:
    if table not in ("channels_in", "channels_out"):
        raise ValueError(table)
    conn.execute(
        f"INSERT INTO {table} (peer, last_seq, last_hash) VALUES (?, ?, ?)"  # noqa: S608
        " ON CONFLICT (peer) DO UPDATE SET last_seq = excluded.last_seq,"
        " last_hash = excluded.last_hash",
        (peer, channel.last_seq, channel.last_hash),
    )


def newest_peer_key(conn: sqlite3.Connection, peer: str) -> bytes | None:
    """The partner's newest rotated key (None: it still signs with its first, its node id)."""
    row = conn.execute(
        "SELECT public_key FROM peer_keys WHERE peer = ? ORDER BY position DESC LIMIT 1", (peer,)
    ).fetchone()
    return None if row is None else bytes(row["public_key"])


def find_inbox(conn: sqlite3.Connection, peer: str, msg_id: str) -> tuple[bytes, bytes] | None:
    row = conn.execute(
        "SELECT envelope, reply FROM inbox WHERE peer = ? AND msg_id = ?", (peer, msg_id)
    ).fetchone()
    return None if row is None else (bytes(row["envelope"]), bytes(row["reply"]))


def insert_inbox(
    conn: sqlite3.Connection,
    peer: str,
    msg_id: str,
    seq: int,
    msg_type: str,
    envelope: bytes,
    reply: bytes,
    now_s: int,
) -> None:
    conn.execute(
        "INSERT INTO inbox (peer, msg_id, seq, msg_type, envelope, reply, received_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (peer, msg_id, seq, msg_type, envelope, reply, now_s),
    )


def insert_outbox(
    conn: sqlite3.Connection,
    peer: str,
    seq: int,
    msg_id: str,
    msg_type: str,
    envelope: bytes,
    now_s: int,
) -> None:
    conn.execute(
        "INSERT INTO outbox (peer, seq, msg_id, msg_type, envelope, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (peer, seq, msg_id, msg_type, envelope, now_s),
    )
    conn.execute(
        "INSERT INTO deliveries (peer, seq, next_attempt_at) VALUES (?, ?, ?)", (peer, seq, now_s)
    )


def mark_delivered(conn: sqlite3.Connection, peer: str, seq: int, reply: bytes, now_s: int) -> bool:
    """Record the partner's answer; True only for the first answer this message ever got (a
    message sent again after the partner lost it keeps its first answer, the one in our log)."""
    row = conn.execute(
        "SELECT delivered_at, reply FROM deliveries WHERE peer = ? AND seq = ?", (peer, seq)
    ).fetchone()
    if row is None or row["delivered_at"] is not None:
        return False
    conn.execute(
        "UPDATE deliveries SET delivered_at = ?, reply = coalesce(reply, ?), last_error = NULL,"
        " attempts = attempts + 1 WHERE peer = ? AND seq = ?",
        (now_s, reply, peer, seq),
    )
    return row["reply"] is None


def mark_failed(conn: sqlite3.Connection, peer: str, seq: int, error: str, retry_at: int) -> int:
    """Record a failed attempt; return how many attempts have now failed."""
    row = conn.execute(
        "UPDATE deliveries SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?"
        " WHERE peer = ? AND seq = ? AND delivered_at IS NULL RETURNING attempts",
        (error[:500], retry_at, peer, seq),
    ).fetchone()
    return 0 if row is None else int(row["attempts"])


def rewind_deliveries(conn: sqlite3.Connection, peer: str, from_seq: int, now_s: int) -> int:
    """The partner lost messages from `from_seq` on: deliver them again, in order (their first
    answers stay: they are signed, and in our log)."""
    return conn.execute(
        "UPDATE deliveries SET delivered_at = NULL, next_attempt_at = ?"
        " WHERE peer = ? AND seq >= ?",
        (now_s, peer, from_seq),
    ).rowcount


def insert_invite(
    conn: sqlite3.Connection, invite_id: str, secret_hash: bytes, now_s: int, expires_s: int
) -> None:
    conn.execute(
        "INSERT INTO invites (invite_id, secret_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
        (invite_id, secret_hash, now_s, expires_s),
    )


def load_invite(conn: sqlite3.Connection, invite_id: str) -> tuple[bytes, int, bool] | None:
    row = conn.execute(
        "SELECT secret_hash, expires_at, used_at IS NOT NULL AS is_used FROM invites"
        " WHERE invite_id = ?",
        (invite_id,),
    ).fetchone()
    return (
        None
        if row is None
        else (bytes(row["secret_hash"]), int(row["expires_at"]), bool(row["is_used"]))
    )


def mark_invite_used(conn: sqlite3.Connection, invite_id: str, by: str, now_s: int) -> None:
    conn.execute(
        "UPDATE invites SET used_at = ?, used_by = ? WHERE invite_id = ? AND used_at IS NULL",
        (now_s, by, invite_id),
    )


def partners_without_list(conn: sqlite3.Connection, digest: bytes, empty_hash: bytes) -> list[str]:
    """Active partners whose last store list from us is not the one hashed `digest` (a partner
    that never got one holds the empty list)."""
    rows = conn.execute(
        "SELECT p.node_id FROM peers p LEFT JOIN store_lists_sent s ON s.peer = p.node_id"
        " WHERE p.status = 'active' AND coalesce(s.list_hash, ?) != ? ORDER BY p.node_id",
        (empty_hash, digest),
    ).fetchall()
    return [str(row["node_id"]) for row in rows]


def record_list_sent(conn: sqlite3.Connection, peer: str, digest: bytes, now_s: int) -> None:
    conn.execute(
        "INSERT INTO store_lists_sent (peer, list_hash, sent_at) VALUES (?, ?, ?)"
        " ON CONFLICT (peer) DO UPDATE SET list_hash = excluded.list_hash,"
        " sent_at = excluded.sent_at",
        (peer, digest, now_s),
    )


def replace_partner_stores(
    conn: sqlite3.Connection, peer: str, stores: list[tuple[str, str]], now_s: int
) -> None:
    """The partner's whole current store list, (store id, name) each, replaces what we held."""
    conn.execute("DELETE FROM partner_stores WHERE peer = ?", (peer,))
    conn.executemany(
        "INSERT INTO partner_stores (peer, store_id, name, received_at) VALUES (?, ?, ?, ?)",
        [(peer, store_id, name, now_s) for store_id, name in stores],
    )


def last_own_key_position(conn: sqlite3.Connection) -> int:
    """Our newest rotated key's position (0: we sign with our first key)."""
    row = conn.execute("SELECT coalesce(max(position), 0) AS position FROM own_keys").fetchone()
    return int(row["position"])


def insert_own_key(conn: sqlite3.Connection, position: int, public_key: bytes, now_s: int) -> None:
    conn.execute(
        "INSERT INTO own_keys (position, public_key, activated_at) VALUES (?, ?, ?)",
        (position, public_key, now_s),
    )


def own_public_keys(conn: sqlite3.Connection) -> list[bytes]:
    """Our keys after the first, in rotation order."""
    rows = conn.execute("SELECT public_key FROM own_keys ORDER BY position").fetchall()
    return [bytes(row["public_key"]) for row in rows]


def has_own_key(conn: sqlite3.Connection, public_key: bytes) -> bool:
    row = conn.execute("SELECT 1 FROM own_keys WHERE public_key = ?", (public_key,)).fetchone()
    return row is not None


def current_peer_ids(conn: sqlite3.Connection) -> list[str]:
    """Every partner not removed."""
    rows = conn.execute("SELECT node_id FROM peers WHERE status != 'removed'").fetchall()
    return [str(row["node_id"]) for row in rows]


def last_peer_key_position(conn: sqlite3.Connection, peer: str) -> int:
    """The partner's newest rotated key's position (0: it signs with its first key)."""
    row = conn.execute(
        "SELECT coalesce(max(position), 0) AS position FROM peer_keys WHERE peer = ?", (peer,)
    ).fetchone()
    return int(row["position"])


def insert_peer_key(
    conn: sqlite3.Connection,
    peer: str,
    position: int,
    public_key: bytes,
    activated_at: int,
    since_seq: int,
    notice: bytes,
) -> None:
    conn.execute(
        "INSERT INTO peer_keys (peer, position, public_key, activated_at, since_seq, notice)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (peer, position, public_key, activated_at, since_seq, notice),
    )


def inbox_envelope_at(conn: sqlite3.Connection, peer: str, seq: int) -> bytes | None:
    """The signed envelope the partner sent as message `seq` of its channel, if we hold it."""
    row = conn.execute(
        "SELECT envelope FROM inbox WHERE peer = ? AND seq = ?", (peer, seq)
    ).fetchone()
    return None if row is None else bytes(row["envelope"])


def delivery_attempts(conn: sqlite3.Connection, peer: str, seq: int) -> int:
    row = conn.execute(
        "SELECT attempts FROM deliveries WHERE peer = ? AND seq = ?", (peer, seq)
    ).fetchone()
    return 0 if row is None else int(row["attempts"])
