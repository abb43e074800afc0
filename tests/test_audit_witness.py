"""Partners as witnesses of each other's settlement log, on real nodes.

(a) A node whose log changes behind its checkpoints (an old entry rewritten on disk, or the database
put back from an old backup) is caught by its partner at its next checkpoint: the partner records
the evidence, writes a signed note in its own log, suspends the partnership and tells the node.
(b) Checkpoint messages that are wrong in themselves, signed with the partner's real key and sent in
channel order, are refused with a clear reason and change nothing on the receiving node.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from dataclasses import asdict
from pathlib import Path
from typing import Any

import msgpack
from nacl.signing import SigningKey

from node.identity import Identity, encode_node_id, load_identity
from node.peering.envelope import open_envelope, pack, seal, strict_unpack
from node.peering.messages import MESSAGE_LIFETIME_S, Header, Reply
from node.settlement.audit import checkpoint
from tests.audit_helpers import export_bundle, verify
from tests.conftest import NodeFactory, RunningNode, ok
from tests.settlement_helpers import (
    post_peer,
    quiesce,
    read,
    redeem,
    restart,
    store_of,
    two_partners,
    voucher_of,
)

# -- helpers ------------------------------------------------------------------------------------


async def claims(
    at: RunningNode, issuer: RunningNode, store: str, *amounts: int, decided: bool = True
) -> None:
    """`at` takes the issuer's vouchers in its store: one claim to the issuer per amount, each
    decided at once (201), or, with `decided=False`, possibly still waiting for the issuer (202)."""
    for amount in amounts:
        status, answer = await redeem(at, issuer, await voucher_of(issuer, 5000), amount, store)
        assert status in ((201,) if decided else (201, 202)), answer


async def checkpoint_now(node: RunningNode) -> dict[str, Any]:
    return await ok(node, "POST", "audit/checkpoint", {})


async def audit_status(node: RunningNode) -> dict[str, Any]:
    return await ok(node, "GET", "audit/checkpoint")


def cosigners(status: dict[str, Any]) -> list[str]:
    return [c["cosigner"] for c in status["latest_checkpoint"]["cosignatures"]]


async def peer_status(node: RunningNode, peer: RunningNode) -> str:
    [row] = [p for p in (await ok(node, "GET", "peers"))["peers"] if p["node_id"] == peer.node_id]
    return str(row["status"])


def alarms(status: dict[str, Any]) -> list[tuple[str, str]]:
    return [(alarm["whose_log"], alarm["peer"]) for alarm in status["alarms"]]


def bundle_entries(path: Path) -> list[dict[str, Any]]:
    """The entries of a bundle as envelope maps (read here with msgpack, not with bundle.py)."""
    unpacker = msgpack.Unpacker(raw=False)
    unpacker.feed(path.read_bytes())
    header = next(unpacker)
    for _ in range(header["checkpoints"]):
        next(unpacker)
    return [msgpack.unpackb(envelope, raw=False) for _, envelope in unpacker]


def notes_about(path: Path, author: str, subject: str) -> list[dict[str, Any]]:
    return [
        body
        for entry in bundle_entries(path)
        if entry["from"] == author and entry["type"] == "log_note"
        for body in [msgpack.unpackb(entry["body"], raw=False)]
        if body["subject"] == subject
    ]


def rewrite_an_accepted_claim(node: RunningNode) -> int:
    """What an attacker with the node's disk (and so its key file) can do to a stopped node: make
    the node's signed answer to a partner's claim say it rejected the claim, and store it in the
    log in place of the real one, triggers dropped. Returns the entry's position."""
    identity = load_identity(node.home.key_path)
    conn = sqlite3.connect(node.home.database_path)
    try:
        rows = conn.execute("SELECT position, envelope FROM audit_log ORDER BY position").fetchall()
        position, forged = next(
            (int(pos), f)
            for pos, raw in rows
            if (f := _rejecting(identity, bytes(raw))) is not None
        )
        with conn:
            conn.execute("DROP TRIGGER audit_log_no_update")
            conn.execute(
                "UPDATE audit_log SET envelope = ?, leaf = ? WHERE position = ?",
                (forged, hashlib.sha256(b"\x00" + forged).digest(), position),
            )
    finally:
        conn.close()
    return position


def _rejecting(identity: Identity, raw: bytes) -> bytes | None:
    envelope = open_envelope(raw)
    if (envelope.sender, envelope.msg_type) != (identity.node_id, "reply"):
        return None
    reply = strict_unpack(envelope.body)
    if not reply["result"]:
        return None
    result = strict_unpack(reply["result"])
    if result.get("decision") != "accepted":
        return None
    result.update(decision="rejected", code="voucher.code_invalid", message="Code invalid.")
    body = pack({**reply, "result": pack(result)})
    assert Reply.decode(body).result  # still a well-formed reply, signed with the node's key
    return seal(identity.signing_key, identity.node_id, "reply", body)


def database_files(node: RunningNode) -> list[Path]:
    base = node.home.database_path
    return [Path(f"{base}{suffix}") for suffix in ("", "-wal", "-shm")]


def back_up(node: RunningNode, to: Path) -> None:
    """Copy a stopped node's database (and its WAL, if any), as a nightly backup would."""
    to.mkdir()
    for path in database_files(node):
        if path.exists():
            shutil.copy2(path, to / path.name)


def put_back(node: RunningNode, backup: Path) -> None:
    for path in database_files(node):
        path.unlink(missing_ok=True)
        if (backup / path.name).exists():
            shutil.copy2(backup / path.name, path)


async def assert_caught(a: RunningNode, b: RunningNode, tmp_path: Path, witnessed: int) -> None:
    """B caught A: alarm and evidence, A suspended, A told; B's own log is sound and says so."""
    at_b = await audit_status(b)
    assert alarms(at_b) == [("theirs", a.node_id)], at_b["alarms"]
    assert at_b["alarms"][0]["reason"]
    assert [(w["peer"], w["size"]) for w in at_b["witnessed"]] == [(a.node_id, witnessed)]
    assert await peer_status(b, a) == "suspended"
    at_a = await audit_status(a)
    assert ("ours", b.node_id) in alarms(at_a), at_a["alarms"]
    assert b.node_id not in cosigners(at_a)
    path = await export_bundle(b, tmp_path / "b.bundle")
    report = verify([path])
    assert report.ok, report.to_json()["problems"]
    [note] = notes_about(path, b.node_id, a.node_id)
    assert note["event"] == "partner_inconsistent" and note["text"] == at_b["alarms"][0]["reason"]


# -- (a) a log that changed behind its checkpoints ----------------------------------------------


async def test_a_rewritten_old_entry_is_caught_at_the_next_checkpoint(
    nodes: NodeFactory, tmp_path: Path
) -> None:
    a, b = await two_partners(nodes)
    store = await store_of(b, "B1")
    await claims(b, a, store, 1200, 800, 500)
    first = await checkpoint_now(a)
    assert cosigners(first) == [b.node_id]
    assert not (await audit_status(b))["alarms"]
    size = first["latest_checkpoint"]["size"]

    await a.stop()
    rewritten = rewrite_an_accepted_claim(a)
    assert rewritten < size
    await restart(a)
    await claims(b, a, store, 300)
    second = await checkpoint_now(a)

    assert second["created_new"] and second["latest_checkpoint"]["size"] > size
    await assert_caught(a, b, tmp_path, witnessed=size)
    # The auditor sees it in A's own bundle as well: the entries no longer hash to the root A
    # signed (and B countersigned) before the rewrite.
    report = verify([await export_bundle(a, tmp_path / "a.bundle")])
    assert any(p.checkpoint == 0 for p in report.problems), report.to_json()["problems"]


async def test_a_database_put_back_from_an_old_backup_is_caught(
    nodes: NodeFactory, tmp_path: Path
) -> None:
    """A forked history: A's database restored to a copy taken after its first checkpoint, after
    B countersigned a second one; A then takes different claims and signs its log again."""
    a, b = await two_partners(nodes)
    store_b, store_a = await store_of(b, "B1"), await store_of(a, "A1")
    await claims(b, a, store_b, 1200, 800)
    assert cosigners(await checkpoint_now(a)) == [b.node_id]
    await a.stop()
    back_up(a, tmp_path / "backup")
    await restart(a)
    await claims(b, a, store_b, 500, 300)
    second = await checkpoint_now(a)
    assert cosigners(second) == [b.node_id]
    witnessed = second["latest_checkpoint"]["size"]

    await a.stop()
    put_back(a, tmp_path / "backup")
    await restart(a)
    # What A now does differently: it takes B's vouchers. B may refuse them as replays of the
    # channel it already saw (A's channel to B went back too), so they may stay pending.
    await claims(a, b, store_a, 700, 100, decided=False)
    await checkpoint_now(a)

    await assert_caught(a, b, tmp_path, witnessed=witnessed)


# -- (b) checkpoint messages that are wrong in themselves ---------------------------------------


class Crafter:
    """Signs checkpoint messages as A's node would: its key file, the next seq and hash of its
    channel to B. Refused messages do not advance the channel, so each uses the same seq."""

    def __init__(self, sender: RunningNode, to: RunningNode) -> None:
        self.identity = load_identity(sender.home.key_path)
        self.sender, self.to = sender, to
        [(seq, prev)] = read(
            sender, "SELECT last_seq, last_hash FROM channels_out WHERE peer = ?", to.node_id
        )
        self.seq, self.prev = int(seq), bytes(prev)
        self.count = 0

    def latest(self) -> checkpoint.Checkpoint:
        [(body, signature)] = read(
            self.sender, "SELECT body, signature FROM audit_checkpoints ORDER BY size DESC LIMIT 1"
        )
        return checkpoint.decode(bytes(body), bytes(signature))

    def message(self, fields: dict[str, Any]) -> bytes:
        self.count += 1
        now_s = int(self.to.clock.now().timestamp())
        header = Header(
            msg_id=f"ck_crafted_{self.count}",
            sender=self.identity.node_id,
            recipient=self.to.node_id,
            seq=self.seq + 1,
            prev=self.prev,
            created=now_s,
            expires=now_s + MESSAGE_LIFETIME_S,
        )
        # packed by hand, not with encode_message, so that fields of the wrong shape can be sent
        body = pack({**asdict(header), **fields})
        return seal(self.identity.signing_key, self.identity.node_id, "checkpoint", body)


def witness_state(node: RunningNode) -> list[Any]:
    """Everything a refused checkpoint message must leave as it was on the receiving node."""
    tables = (
        "audit_log",
        "audit_checkpoints",
        "audit_cosignatures",
        "audit_shared",
        "audit_witnessed",
        "audit_alarms",
        "channels_in",
        "inbox",
    )
    state = [read(node, f"SELECT * FROM {table} ORDER BY 1, 2") for table in tables]  # noqa: S608
    return [*state, read(node, "SELECT node_id, status FROM peers ORDER BY 1")]


def _bad_checkpoints(crafter: Crafter, old_size: int) -> dict[str, tuple[dict[str, Any], str]]:
    """name -> (the message's fields, what the refusal must say)."""
    real = crafter.latest()
    key, me = crafter.identity.signing_key, crafter.identity.node_id
    other_key = SigningKey(hashlib.sha256(b"kippu test: not A's key").digest())
    stranger = encode_node_id(bytes(other_key.verify_key))

    def fields(made: checkpoint.Checkpoint, proof: bytes = b"") -> dict[str, Any]:
        return {
            "checkpoint": made.body,
            "signature": made.signature,
            "old_size": old_size,
            "proof": proof,
        }

    def signed(signer: SigningKey, origin: str) -> checkpoint.Checkpoint:
        return checkpoint.sign(signer, origin, real.size, real.root, real.created)

    as_cosignature = checkpoint.cosign(key, real)
    return {
        "an origin that is the receiver": (
            fields(signed(key, crafter.to.node_id)),
            "another origin",
        ),
        "an origin that is a stranger": (fields(signed(key, stranger)), "another origin"),
        "a body signed by another key": (
            fields(signed(other_key, me)),
            "not signed with the sender's key",
        ),
        "the sender's countersignature in place of its signature": (
            {**fields(real), "signature": as_cosignature},
            "not signed with the sender's key",
        ),
        "a signature of 63 bytes": (
            {**fields(real), "signature": real.signature[:63]},
            "`signature` must be 64 bytes",
        ),
        "a checkpoint body that is not a map": (
            {**fields(real), "checkpoint": msgpack.packb([1, 2])},
            "Expected a map",
        ),
        "a proof of 33 bytes": (fields(real, b"\x01" * 33), "32-byte hashes"),
        "a proof of 31 bytes": (fields(real, b"\x01" * 31), "32-byte hashes"),
        "a proof of 65 hashes": (fields(real, b"\x01" * 32 * 65), "32-byte hashes"),
    }


async def test_bad_checkpoint_messages_are_refused_and_change_nothing(nodes: NodeFactory) -> None:
    a, b = await two_partners(nodes)
    await claims(b, a, await store_of(b, "B1"), 1200, 800)
    assert cosigners(await checkpoint_now(a)) == [b.node_id]  # B now has a view of A's log
    await quiesce([a, b], "after the first checkpoint")
    crafter = Crafter(a, b)
    [seen] = (await audit_status(b))["witnessed"]
    cases = _bad_checkpoints(crafter, old_size=seen["size"])
    before = witness_state(b)

    for name, (fields, says) in cases.items():
        status, reply = await post_peer(b, crafter.message(fields))
        assert (status, reply.ok, reply.code) == (400, False, "peer.malformed"), (name, reply)
        assert says in reply.message, (name, reply.message)
        assert witness_state(b) == before, name

    assert await peer_status(b, a) == "active"
    # the channel is not stuck and nothing was held against A: its next checkpoint is countersigned
    await claims(b, a, await store_of(b, "B2"), 300)
    after = await checkpoint_now(a)
    assert cosigners(after) == [b.node_id]
    assert not (await audit_status(b))["alarms"] and not after["alarms"]
