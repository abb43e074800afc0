"""`kippu audit ...` against real nodes: export, status, prove, and the offline verifier's exit codes."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

from click.testing import CliRunner, Result
from nacl.signing import VerifyKey

from cli import main
from node import merkle
from node.home import write_admin_token
from node.identity import decode_node_id
from node.settlement.audit import checkpoint
from tests.conftest import NodeFactory, RunningNode
from tests.settlement_helpers import redeem, store_of, two_partners, voucher_of


async def kippu(*args: str) -> Result:
    """The CLI in a thread: it calls the admin API of nodes served by this test's event loop."""
    return await asyncio.to_thread(CliRunner().invoke, main, list(args), catch_exceptions=False)


async def at(node: RunningNode, *args: str) -> Result:
    write_admin_token(node.home, node.token)  # `kippu serve` writes it; these nodes run in-process
    return await kippu(*args, "--home", str(node.home.root))


async def exported(
    nodes: NodeFactory, tmp_path: Path
) -> tuple[RunningNode, RunningNode, str, list[Path]]:
    a, b = await two_partners(nodes)
    store = await store_of(b, "B1")
    status, claim = await redeem(b, a, await voucher_of(a, 4000), 1500, store)
    assert status == 201, claim
    paths = []
    for node, name in ((a, "a.bundle"), (b, "b.bundle")):
        result = await at(node, "audit", "export", "--out", str(tmp_path / name), "--json")
        assert result.exit_code == 0, result.output
        answer = json.loads(result.output)
        assert answer["bytes"] == (tmp_path / name).stat().st_size > 0
        paths.append(tmp_path / name)
    return a, b, claim["claim_id"], paths


async def test_export_and_verify_two_partners_in_one_command(
    nodes: NodeFactory, tmp_path: Path
) -> None:
    a, b, _, paths = await exported(nodes, tmp_path)
    trust = ["--trust", f"Izakaya A={a.node_id}", "--trust", f"Trattoria B={b.node_id.lower()}"]
    result = await kippu("audit", "verify", *map(str, paths), *trust, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["ok"] is True and report["problems"] == [] and report["warnings"] == []
    assert report["balances"][b.node_id][a.node_id]["receivable"] == 1500
    assert report["balances"][a.node_id][b.node_id]["payable"] == 1500
    [pair] = report["pairs"]
    assert pair["claims_matched"] == 1 and all(pair["cosigned"].values())

    text = await kippu("audit", "verify", *map(str, paths))
    assert text.exit_code == 0 and "OK: nothing wrong found" in text.output
    assert (
        "not pinned" in text.output
    )  # without --trust the auditor is told to compare fingerprints


async def test_verify_exits_1_on_tampering_and_a_wrong_key(
    nodes: NodeFactory, tmp_path: Path
) -> None:
    _, b, _, paths = await exported(nodes, tmp_path)
    raw = bytearray(paths[1].read_bytes())
    raw[-40] ^= 0x01  # inside the last entry's envelope
    paths[1].write_bytes(bytes(raw))
    result = await kippu("audit", "verify", *map(str, paths), "--json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["ok"] is False and any(p["bundle"] == b.node_id for p in report["problems"])

    impostor = await kippu(
        "audit", "verify", str(paths[0]), "--trust", f"Izakaya A={b.node_id}", "--json"
    )
    assert impostor.exit_code == 1
    assert "not the one trusted" in json.loads(impostor.output)["problems"][0]["reason"]

    garbage = tmp_path / "garbage.bundle"
    garbage.write_bytes(b"\x93not a bundle")
    unreadable = await kippu("audit", "verify", str(garbage), "--json")
    assert unreadable.exit_code == 1
    assert "not a kippu-audit/1 bundle" in unreadable.output.lower()


async def test_verify_usage_errors_exit_2(tmp_path: Path) -> None:
    bundle = tmp_path / "x.bundle"
    bundle.write_bytes(b"")
    assert (await kippu("audit", "verify", str(bundle), "--trust", "no-equals-sign")).exit_code == 2
    assert (
        await kippu("audit", "verify", str(bundle), "--trust", "A=not-a-node-id")
    ).exit_code == 2
    assert (await kippu("audit", "verify", str(tmp_path / "missing.bundle"))).exit_code == 2


async def test_status_and_an_inclusion_proof_a_partner_can_check(
    nodes: NodeFactory, tmp_path: Path
) -> None:
    a, b, claim_id, _ = await exported(nodes, tmp_path)
    status = json.loads((await at(b, "audit", "status", "--json")).output)
    latest = status["latest_checkpoint"]
    assert [c["cosigner"] for c in latest["cosignatures"]] == [a.node_id]

    result = await at(b, "audit", "prove", claim_id, "--json")
    assert result.exit_code == 0, result.output
    proof = json.loads(result.output)
    cp = checkpoint.decode(
        base64.b64decode(proof["checkpoint"]["body"]),
        bytes.fromhex(proof["checkpoint"]["signature"]),
    )
    assert checkpoint.is_signed_by(cp, VerifyKey(decode_node_id(b.node_id)))
    kinds = [e["type"] for e in proof["entries"]]
    assert kinds == ["claim", "reply"]  # B's claim and A's signed decision
    for entry in proof["entries"]:
        envelope = base64.b64decode(entry["envelope"])
        path = [bytes.fromhex(h) for h in entry["proof"]]
        assert merkle.verify_inclusion(
            merkle.leaf_hash(envelope), entry["index"], cp.size, path, cp.root
        )
        assert not merkle.verify_inclusion(
            merkle.leaf_hash(envelope + b"x"), entry["index"], cp.size, path, cp.root
        )

    missing = await at(b, "audit", "prove", "cl_nosuchclaim", "--json")
    assert missing.exit_code == 1
    assert (
        json.loads(missing.stderr if hasattr(missing, "stderr") else missing.output)["error"][
            "code"
        ]
        == "audit.not_in_log"
    )


async def test_a_partner_proves_its_log_holds_our_claim(nodes: NodeFactory, tmp_path: Path) -> None:
    a, b, claim_id, _ = await exported(nodes, tmp_path)  # each countersigned the other's checkpoint
    result = await at(b, "audit", "ask", a.node_id, claim_id, "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["all_same_as_ours"] is True
    assert [e["type"] for e in answer["entries"]] == [
        "claim",
        "reply",
    ]  # at A: our claim, its decision

    unknown = await at(b, "audit", "ask", a.node_id, "cl_nosuchclaim", "--json")
    assert unknown.exit_code == 1 and "audit.not_in_log" in unknown.stderr
    stranger = await at(b, "audit", "ask", b.node_id, claim_id, "--json")
    assert stranger.exit_code == 1 and "not an active partner" in stranger.stderr
