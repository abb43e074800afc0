"""Helpers for settlement tests: partnered nodes, stores, vouchers and fresh QR payloads."""

from __future__ import annotations

from typing import Any

from tests.conftest import NodeFactory, RunningNode, ok


async def partner(a: RunningNode, b: RunningNode, **limit: int) -> None:
    """Make a and b active partners (b joins a's invitation)."""
    invite = await ok(a, "POST", "peers/invite", {"valid_hours": 2})
    joined = await ok(b, "POST", "peers/join", {"invite": invite["invite"]})
    assert joined["status"] == "active", joined


async def store_of(node: RunningNode, name: str) -> str:
    return str((await ok(node, "POST", "stores", {"name": name}))["store_id"])


async def voucher_of(node: RunningNode, amount: int) -> str:
    return str((await ok(node, "POST", "vouchers", {"amount": amount}))["voucher_id"])


async def payload(issuer: RunningNode, voucher_id: str) -> str:
    return str((await ok(issuer, "GET", f"vouchers/{voucher_id}/code"))["payload"])


async def redeem(
    at: RunningNode, issuer: RunningNode, voucher_id: str, amount: int, store_id: str
) -> tuple[int, dict[str, Any]]:
    body = {"payload": await payload(issuer, voucher_id), "amount": amount, "store_id": store_id}
    return await at.call("POST", "redemptions", body)


async def balance_with(node: RunningNode, peer: RunningNode) -> dict[str, Any]:
    answer = await ok(node, "GET", "settlement/balances")
    for entry in answer["balances"]:
        if entry["peer"] == peer.node_id:
            return dict(entry)
    raise AssertionError(f"no balance with {peer.node_id}")


async def two_partners(nodes: NodeFactory) -> tuple[RunningNode, RunningNode]:
    a, b = await nodes.start("Izakaya A"), await nodes.start("Trattoria B")
    await partner(a, b)
    return a, b
