"""The settlement log end to end: real nodes, exported bundles, the offline verifier."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import msgpack
from nacl.signing import SigningKey

from node.identity import encode_node_id
from tests.audit_helpers import export_bundle, settle_a_month, verify
from tests.conftest import NodeFactory, ok
from tests.settlement_helpers import (
    deliver,
    propose,
    quiesce,
    read,
    redeem,
    restart,
    store_of,
    two_partners,
    voucher_of,
)

COSIGN = b"kippu/cosign/v1\x00"  # docs/audit.md section 4, spelled out rather than imported


async def test_three_companies_bundles_verify_and_agree(nodes: NodeFactory, tmp_path: Path) -> None:
    a, b, c = await settle_a_month(nodes)
    paths = [await export_bundle(n, tmp_path / f"{n.port}.bundle") for n in (a, b, c)]
    trust = {"Izakaya A": a.node_id, "Trattoria B": b.node_id, "Hotel C": c.node_id}
    report = verify(paths, trust)
    assert report.ok, report.to_json()["problems"]
    assert not report.warnings
    assert len(report.pairs) == 2  # A-B and B-C; A and C are not partners
    for pair in report.pairs:
        assert pair.balances_agree and not pair.problems
    by_origin = {r.origin: r for r in report.bundles}
    for node, peer in ((a, b), (b, a), (b, c), (c, b)):
        shown = (await ok(node, "GET", "settlement/balances"))["balances"]
        [row] = [r for r in shown if r["peer"] == peer.node_id]
        recomputed = by_origin[node.node_id].balances[peer.node_id]
        assert (recomputed.receivable, recomputed.payable) == (row["receivable"], row["payable"])


async def test_key_rotations_on_both_sides_still_verify(nodes: NodeFactory, tmp_path: Path) -> None:
    """Entries before a rotation verify with the old key, after it with the new one, on both the
    rotating node's own entries (its signed note) and its partner's view (the rotation notice)."""
    a, b = await two_partners(nodes)
    store = await store_of(b, "B1")
    for amount in (100, 200):
        assert (await redeem(b, a, await voucher_of(a, 1000), amount, store))[0] == 201
    await ok(a, "POST", "key/rotate")
    await deliver(nodes.clock, a)
    assert (await redeem(b, a, await voucher_of(a, 1000), 300, store))[0] == 201
    await ok(b, "POST", "key/rotate")
    await deliver(nodes.clock, b)
    assert (await redeem(b, a, await voucher_of(a, 1000), 400, store))[0] == 201
    status, proposed = await propose(b, a)
    assert (status, proposed["status"]) == (201, "agreed"), proposed
    await quiesce([a, b], "after the rotations")
    paths = [await export_bundle(n, tmp_path / f"{n.port}.bundle") for n in (a, b)]
    report = verify(paths, {"A": a.node_id, "B": b.node_id})
    assert report.ok, report.to_json()["problems"]
    [pair] = report.pairs
    assert pair.claims_matched == 4 and pair.balances_agree


async def test_the_migration_logs_what_a_node_stored_before_it_had_a_log(
    nodes: NodeFactory, tmp_path: Path
) -> None:
    """A node upgraded from before the log: its stored messages and replies become the first
    entries, each channel in order, and the bundle it exports verifies."""
    a, b = await two_partners(nodes)
    store = await store_of(b, "B1")
    for amount in (100, 200, 300):
        assert (await redeem(b, a, await voucher_of(a, 1000), amount, store))[0] == 201
    before = read(b, "SELECT envelope FROM audit_log ORDER BY position")
    await b.stop()
    conn = sqlite3.connect(b.home.database_path)
    with conn:  # back to the schema of a node that never had the log
        for table in ("audit_alarms", "audit_witnessed", "audit_shared", "audit_cosignatures"):
            conn.execute(f"DROP TABLE {table}")
        conn.execute("DROP TABLE audit_checkpoints")
        conn.execute("DROP TABLE audit_log")
        conn.execute("DELETE FROM schema_migrations WHERE name = '0005_audit_log'")
    conn.close()
    await restart(b)
    after = read(b, "SELECT envelope FROM audit_log ORDER BY position")
    assert sorted(after) == sorted(before) and len(after) == len(before) > 0
    paths = [await export_bundle(n, tmp_path / f"{n.port}.bundle") for n in (a, b)]
    report = verify(paths, {"A": a.node_id, "B": b.node_id})
    assert report.ok, report.to_json()["problems"]
    assert report.pairs[0].claims_matched == 3


def _with_cosignature(data: bytes, cosigner: str, sign: Callable[[bytes], bytes]) -> bytes:
    """The bundle with one more countersignature on its latest checkpoint, read and written with
    msgpack directly (not with the code under test)."""
    unpacker = msgpack.Unpacker(raw=False, strict_map_key=True)
    unpacker.feed(data)
    header = next(unpacker)
    records = [next(unpacker) for _ in range(header["checkpoints"])]
    rest = data[unpacker.tell() :]
    latest = records[-1]
    latest["cosignatures"] = sorted([*latest["cosignatures"], [cosigner, sign(latest["body"])]])
    parts = [msgpack.packb(header, use_bin_type=True)]
    parts += [msgpack.packb(r, use_bin_type=True) for r in records]
    return b"".join(parts) + rest


async def test_a_countersignature_by_a_node_absent_from_the_log_verifies_with_its_node_id(
    nodes: NodeFactory, tmp_path: Path
) -> None:
    """docs/audit.md section 5: a cosigner that never appears in the log has only its node id's
    key, and a good countersignature with it verifies (a witness that is not a partner)."""
    a, b = await two_partners(nodes)
    assert (await redeem(b, a, await voucher_of(a, 1000), 100, await store_of(b, "B1")))[0] == 201
    await quiesce([a, b], "after the claim")
    data = (await export_bundle(a, tmp_path / "a.bundle")).read_bytes()
    witness = SigningKey(hashlib.sha256(b"kippu test witness").digest())
    witness_id = encode_node_id(bytes(witness.verify_key))
    assert witness_id.encode() not in data  # it never appears in A's log
    good = tmp_path / "good.bundle"
    good.write_bytes(
        _with_cosignature(data, witness_id, lambda body: witness.sign(COSIGN + body).signature)
    )
    report = verify([good])
    assert report.ok, report.to_json()["problems"]
    assert report.bundles[0].latest is not None
    assert witness_id in report.bundles[0].latest["cosigned_by"]
    bad = tmp_path / "bad.bundle"
    bad.write_bytes(
        _with_cosignature(data, witness_id, lambda body: witness.sign(b"other" + body).signature)
    )
    [problem] = verify([bad]).problems
    assert problem.reason == f"the countersignature of {witness_id[:8]} does not verify"
