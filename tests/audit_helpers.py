"""Helpers for audit tests: a settlement scenario between real nodes, and their exported bundles."""

from __future__ import annotations

import asyncio
from pathlib import Path

from node.verifier.auditor import verify_bundles
from node.verifier.report import Report
from tests.conftest import NodeFactory, RunningNode, ok
from tests.settlement_helpers import (
    deliver,
    partner,
    propose,
    quiesce,
    redeem,
    store_of,
    voucher_of,
)


async def export_bundle(node: RunningNode, out: Path) -> Path:
    """What `kippu audit export` does: a checkpoint (countersigned when partners answer), then
    the bundle, streamed from the admin API."""
    await ok(node, "POST", "audit/checkpoint")
    async with node.session.get(
        node.base_url + "/api/v1/audit/export", headers={"Authorization": f"Bearer {node.token}"}
    ) as response:
        assert response.status == 200, await response.text()
        data = await response.read()
    await asyncio.to_thread(out.write_bytes, data)
    return out


async def settle_a_month(nodes: NodeFactory) -> tuple[RunningNode, RunningNode, RunningNode]:
    """Three companies, A-B and B-C partners: claims both ways, a void, a rejected claim, a
    statement paid and confirmed, a second statement left open, checkpoints countersigned."""
    a = await nodes.start("Izakaya A")
    b = await nodes.start("Trattoria B")
    c = await nodes.start("Hotel C")
    await partner(a, b)
    await partner(b, c)
    store_a, store_b, store_c = [await store_of(n, s) for n, s in ((a, "A1"), (b, "B1"), (c, "C1"))]
    claims = []
    for issuer, at, store, amount in (
        (a, b, store_b, 1200),
        (a, b, store_b, 800),
        (b, a, store_a, 500),
        (b, c, store_c, 2000),
        (c, b, store_b, 300),
    ):
        voucher = await voucher_of(issuer, 5000)
        status, answer = await redeem(at, issuer, voucher, amount, store)
        assert status == 201, answer
        claims.append(answer["claim_id"])
    await ok(b, "POST", f"redemptions/{claims[1]}/void", {})
    status, rejected = await redeem(b, a, await voucher_of(a, 100), 500, store_b)
    assert status == 409, rejected
    status, proposed = await propose(b, a)
    assert status == 201 and proposed["status"] == "agreed", proposed
    sid = proposed["statement_id"]
    payer = a if proposed["payer"] == a.node_id else b
    payee = b if payer is a else a
    await ok(payer, "POST", f"settlement/statements/{sid}/pay", {"reference": "BANK-1"})
    await ok(payee, "POST", f"settlement/statements/{sid}/confirm", {})
    voucher = await voucher_of(a, 3000)
    status, answer = await redeem(b, a, voucher, 700, store_b)
    assert status == 201, answer
    status, second = await propose(c, b)
    assert status == 201, second
    await deliver(nodes.clock, a, b, c)
    await quiesce([a, b, c], "after the month")
    return a, b, c


def verify(paths: list[Path], trust: dict[str, str] | None = None) -> Report:
    return verify_bundles(paths, trust or {})
