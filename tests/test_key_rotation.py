"""Key rotation: partners switch on a notice signed by the old key; old signatures still verify."""

from __future__ import annotations

import sqlite3
from typing import Any

from click.testing import CliRunner
from nacl.signing import SigningKey, VerifyKey

from cli import main
from node.home import NodeHome
from node.identity import Identity, load_identity, write_key_file
from node.peering.envelope import open_envelope
from node.peering.keys import KeyEntry, first_key, verify_with
from node.peering.model import Channel
from node.peering.rotation import finish_interrupted_rotation, next_key_path
from tests.conftest import NodeFactory, NodeHandle, RunningNode, ok
from tests.test_peering_refusals import Sender, post


def rows(node: RunningNode, sql: str, *args: object) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{node.home.database_path}?mode=ro", uri=True)
    try:
        return list(conn.execute(sql, args))
    finally:
        conn.close()


async def partners(nodes: NodeFactory) -> tuple[RunningNode, RunningNode]:
    a, b = await nodes.start("A"), await nodes.start("B")
    invite = await ok(a, "POST", "peers/invite")
    assert (await ok(b, "POST", "peers/join", {"invite": invite["invite"]}))["status"] == "active"
    return a, b


async def test_partners_follow_a_rotation_and_old_messages_still_verify(
    nodes: NodeFactory,
) -> None:
    a, b = await partners(nodes)
    old_identity = load_identity(a.home.key_path)
    await b.stop()
    await ok(a, "POST", f"peers/{b.node_id}/ping")  # queued, signed with the old key
    nodes.clock.advance(seconds=5)
    rotated = await ok(a, "POST", "key/rotate")
    assert rotated["node_id"] == a.node_id and rotated["fingerprint"] == a.fingerprint
    assert rotated["key_fingerprint"] != a.fingerprint and rotated["key_position"] == 1
    new_identity = load_identity(a.home.key_path)
    assert new_identity.node_id == a.node_id
    assert bytes(new_identity.verify_key) != bytes(old_identity.verify_key)
    nodes.clock.advance(seconds=5)
    await ok(a, "POST", f"peers/{b.node_id}/ping")  # queued, signed with the new key

    await b.restart()
    await ok(a, "POST", "peers/sync")
    assert [r[0] for r in rows(b, "SELECT msg_type FROM inbox ORDER BY received_at, seq")] == [
        "ping",
        "key_rotation",
        "ping",
    ]
    [(position, key, notice)] = rows(b, "SELECT position, public_key, notice FROM peer_keys")
    assert (position, bytes(key)) == (1, bytes(new_identity.verify_key))
    open_envelope(bytes(notice)).verify(old_identity.verify_key)  # the notice: old key signed it

    # Every stored message, old or new, verifies with A's key history.
    history = (first_key(a.node_id), KeyEntry(1, VerifyKey(bytes(key)), 0))
    for (raw,) in rows(b, "SELECT envelope FROM inbox WHERE peer = ?", a.node_id):
        verify_with(open_envelope(bytes(raw)), history)


async def test_a_retired_key_cannot_sign_new_messages(nodes: NodeFactory) -> None:
    a, b = await partners(nodes)
    old_identity = load_identity(a.home.key_path)
    await ok(a, "POST", "key/rotate")
    await ok(a, "POST", "peers/sync")
    nodes.clock.advance(seconds=10)
    last_seq, last_hash = rows(a, "SELECT last_seq, last_hash FROM channels_out")[0]
    forger = Sender(
        old_identity, Channel(last_seq, bytes(last_hash)), int(nodes.clock.now().timestamp())
    )
    status, reply = await post(b, forger.ping(b.node_id))
    assert (status, reply["code"]) == (401, "peer.bad_signature")
    # Backdating does not help: the key's era ends at the notice's place in the channel.
    forger.now_s -= 3600
    status, reply = await post(b, forger.ping(b.node_id))
    assert (status, reply["code"]) == (401, "peer.bad_signature")


async def test_replies_from_a_rotated_partner_are_trusted(nodes: NodeFactory) -> None:
    a, b = await partners(nodes)
    await ok(b, "POST", "key/rotate")
    await ok(b, "POST", "peers/sync")
    pinged = await ok(a, "POST", f"peers/{b.node_id}/ping")
    assert pinged["queued_messages"] == 0 and pinged["last_error"] is None
    status, answer = await b.call("GET", "status")
    assert status == 200
    assert answer["node_id"] == b.node_id and answer["key_fingerprint"] != b.fingerprint


async def test_an_interrupted_rotation_is_finished_or_undone(nodes: NodeFactory) -> None:
    a = await nodes.start("A")
    await a.stop()
    key_path, db_path = a.home.key_path, a.home.database_path
    staged = Identity(SigningKey(b"\x09" * 32), a.node_id)
    write_key_file(next_key_path(key_path), staged)
    finish_interrupted_rotation(key_path, db_path)  # never committed: dropped
    assert not next_key_path(key_path).exists()
    assert load_identity(key_path).first_key_id is None

    write_key_file(next_key_path(key_path), staged)
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO own_keys VALUES (1, ?, 0)", (bytes(staged.verify_key),))
    conn.commit()
    conn.close()
    finish_interrupted_rotation(key_path, db_path)  # committed: kept
    assert bytes(load_identity(key_path).verify_key) == bytes(staged.verify_key)
    assert load_identity(key_path).node_id == a.node_id


def test_a_staged_key_is_kept_when_the_database_cannot_say(home: NodeHome) -> None:
    """A rotation interrupted after step 2 may already be announced to partners. When the
    database cannot be read (corrupt, or no `own_keys` to ask), recovery must not guess: the
    staged key stays on disk and `kippu serve` refuses to start, saying why."""
    key_path, db_path = home.key_path, home.database_path
    staged = Identity(SigningKey(b"\x0a" * 32), load_identity(key_path).node_id)
    write_key_file(next_key_path(key_path), staged)
    original = db_path.read_bytes()
    db_path.write_bytes(b"this is not a database" + bytes(4096))
    for name in ("-wal", "-shm"):
        db_path.with_name(db_path.name + name).unlink(missing_ok=True)
    result = CliRunner().invoke(main, ["serve", "--home", str(home.root), "--no-discovery"])
    assert result.exit_code == 1, result.output
    assert "[node.rotation_unresolved]" in result.stderr
    assert "node.key.next" in result.stderr
    assert next_key_path(key_path).exists()  # partners may know this key: it is never lost
    assert load_identity(key_path).first_key_id is None  # and not switched to either

    db_path.write_bytes(original)  # the database back: now it can say, and the node decides
    finish_interrupted_rotation(key_path, db_path)
    assert not next_key_path(key_path).exists()


def test_a_second_serve_leaves_a_running_nodes_staged_key_alone(node: NodeHandle) -> None:
    """While a node rotates its key, node.key.next exists before the rotation commits. A second
    `kippu serve` started on the same home by mistake is refused by the serving lock before it
    looks at the staged key: "recovering" it would delete the key the first node is about to
    announce to its partners."""
    key_path = node.home.key_path
    current = key_path.read_bytes()
    staged = Identity(SigningKey(b"\x0b" * 32), load_identity(key_path).node_id)
    write_key_file(next_key_path(key_path), staged)  # step 1 done, step 2 not yet committed
    staged_bytes = next_key_path(key_path).read_bytes()
    result = CliRunner().invoke(main, ["serve", "--home", str(node.home.root), "--no-discovery"])
    assert result.exit_code == 1, result.output
    assert "[storage.node_running]" in result.stderr
    assert next_key_path(key_path).read_bytes() == staged_bytes
    assert key_path.read_bytes() == current
    assert node.client.get("status")["node_id"] == staged.node_id  # the first node serves on
