"""Rotating this node's key: new key on disk, notices to partners signed by the old key, switch.

Order, so that a crash at any point leaves a consistent node:
1. write the new key to `node.key.next` (0600);
2. one transaction: record the key in `own_keys` and queue a `key_rotation` notice, signed with
   the old key, to every partner;
3. replace `node.key` with `node.key.next` and sign with the new key from then on.
At start, and only under the serving lock (a running node may be between steps 1 and 2: a second
`kippu serve` is refused first), a leftover `node.key.next` is kept if step 2 committed and
deleted only if the database positively shows it did not; when the database cannot say
(unreadable, corrupt, no `own_keys`), partners may already know the new key, so the node keeps it
and refuses to start.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from nacl.signing import SigningKey

from node.errors import RotationUnresolved
from node.identity import Identity, load_identity, write_key_file
from node.peering import tables
from node.peering.context import NodeContext
from node.peering.messages import KeyRotationMessage
from node.peering.notes import Note, NoteEvent
from node.peering.outbound import enqueue, record_note


def next_key_path(key_path: Path) -> Path:
    return key_path.with_name(key_path.name + ".next")


def record_rotation(
    me: NodeContext, new: Identity, now_s: int, new_msg_id: Callable[[], str]
) -> Callable[[sqlite3.Connection], int]:
    """Writer unit: the new key's position, and a notice to each partner, signed by the key
    being retired (`me.identity`)."""
    old = me.identity

    def work(conn: sqlite3.Connection) -> int:
        position = tables.last_own_key_position(conn) + 1
        tables.insert_own_key(conn, position, bytes(new.verify_key), now_s)
        note = Note(NoteEvent.KEY_ROTATED, old.node_id, now_s, position, bytes(new.verify_key))
        record_note(conn, me.hooks, old, note)
        for peer_id in tables.current_peer_ids(conn):
            notice = KeyRotationMessage(position=position, new_key=bytes(new.verify_key))
            enqueue(conn, me, peer_id, notice, now_s, new_msg_id())
        return position

    return work


def prepare_new_key(key_path: Path, old: Identity) -> Identity:
    """Step 1: a fresh key for the same node id, written beside the current one."""
    new = Identity(SigningKey.generate(), old.node_id)
    staged = next_key_path(key_path)
    with contextlib.suppress(FileNotFoundError):
        staged.unlink()
    write_key_file(staged, new)
    return new


def switch_to_new_key(key_path: Path) -> None:
    """Step 3: the new key becomes the node's key (atomic rename)."""
    os.replace(next_key_path(key_path), key_path)


def finish_interrupted_rotation(key_path: Path, database_path: Path) -> None:
    """At start: keep a staged key whose rotation committed, drop one whose rotation positively
    did not; refuse to start (RotationUnresolved) when the database cannot tell."""
    staged = next_key_path(key_path)
    if not staged.exists():
        return
    public = bytes(load_identity(staged).verify_key)
    try:
        committed = _rotation_committed(database_path, public)
    except sqlite3.Error as exc:
        raise RotationUnresolved(
            f"A key rotation was interrupted, and the database cannot tell whether partners were"
            f" told of the new key ({exc}). The staged key {staged.name} was kept; repair or"
            f" restore {database_path.name} (docs/operations.md), then start again."
        ) from exc
    if committed:
        switch_to_new_key(key_path)
    else:
        staged.unlink()


def rotated_public_keys(conn: sqlite3.Connection) -> list[bytes]:
    """Our keys after the first (whose public half is the node id), in rotation order."""
    return tables.own_public_keys(conn)


def _rotation_committed(database_path: Path, public_key: bytes) -> bool:
    """Whether `own_keys` holds the key; raises sqlite3.Error when the database cannot say."""
    if not database_path.exists():
        raise sqlite3.OperationalError("the database file is missing")
    conn = sqlite3.connect(f"file:{database_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return tables.has_own_key(conn, public_key)
    finally:
        conn.close()
