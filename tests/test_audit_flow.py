"""The settlement log end to end: real nodes, exported bundles, the offline verifier."""

from __future__ import annotations

from pathlib import Path

from tests.audit_helpers import export_bundle, settle_a_month, verify
from tests.conftest import NodeFactory, ok


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
