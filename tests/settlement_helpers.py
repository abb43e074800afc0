"""Helpers for settlement tests: partnered nodes, stores, vouchers and fresh QR payloads."""

from __future__ import annotations

import itertools
import sqlite3
from typing import Any

from node.peering.envelope import open_envelope
from node.peering.keys import first_key
from node.peering.messages import Reply
from node.peering.outbox import PEER_PATH
from node.peering.transport import CONTENT_TYPE
from node.server import load_node, start
from tests.conftest import FakeClock, NodeFactory, RunningNode, SeededRandomness, ok


async def partner(a: RunningNode, b: RunningNode, **limit: int) -> None:
    """Make a and b active partners (b joins a's invitation)."""
    invite = await ok(a, "POST", "peers/invite", {"valid_hours": 2})
    joined = await ok(b, "POST", "peers/join", {"invite": invite["invite"]})
    assert joined["status"] == "active", joined


async def store_of(node: RunningNode, name: str) -> str:
    """A new store; its store list is delivered to the partners before this returns, so tests that
    count a channel's messages never race the background sharing (node/peering/sharer.py)."""
    store_id = str((await ok(node, "POST", "stores", {"name": name}))["store_id"])
    await ok(node, "POST", "peers/sync")
    return store_id


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


# -- added for the settlement flow, fault and bad-input tests ------------------------------------


def read(node: RunningNode, sql: str, *args: object) -> list[tuple[Any, ...]]:
    """Rows from the node's database, opened read-only beside the running node."""
    conn = sqlite3.connect(f"file:{node.home.database_path}?mode=ro", uri=True)
    try:
        return list(conn.execute(sql, args))
    finally:
        conn.close()


async def ledger_ok(*nodes: RunningNode) -> None:
    """Every node's own books balance (GET /api/v1/ledger/check)."""
    for node in nodes:
        check = await ok(node, "GET", "ledger/check")
        assert check["ok"] is True, check


async def pair_agrees(a: RunningNode, b: RunningNode) -> None:
    """What each side says the other owes it is what the other says it owes (both directions)."""
    at_a, at_b = await balance_with(a, b), await balance_with(b, a)
    assert at_b["receivable"] == at_a["payable"], (at_a, at_b)
    assert at_a["receivable"] == at_b["payable"], (at_a, at_b)
    assert at_a["net"] == -at_b["net"], (at_a, at_b)


async def books_agree(*nodes: RunningNode) -> None:
    """The end-of-test check: every ledger balances, every partnered pair agrees, nothing leaks."""
    await ledger_ok(*nodes)
    total = 0
    for node in nodes:
        for entry in (await ok(node, "GET", "settlement/balances"))["balances"]:
            total += entry["net"]
    assert total == 0
    for i, first in enumerate(nodes):
        for second in nodes[i + 1 :]:
            if await is_partner(first, second):
                await pair_agrees(first, second)


async def is_partner(a: RunningNode, b: RunningNode) -> bool:
    answer = await ok(a, "GET", "settlement/balances")
    return any(entry["peer"] == b.node_id for entry in answer["balances"])


async def voucher_balance(node: RunningNode, voucher_id: str) -> int:
    return int((await ok(node, "GET", f"vouchers/{voucher_id}"))["balance"])


async def claim_at(node: RunningNode, claim_id: str) -> dict[str, Any]:
    return await ok(node, "GET", f"settlement/claims/{claim_id}")


async def statement_at(node: RunningNode, statement_id: str) -> dict[str, Any]:
    return await ok(node, "GET", f"settlement/statements/{statement_id}")


async def propose(node: RunningNode, peer: RunningNode, **body: Any) -> tuple[int, dict[str, Any]]:
    """Propose a statement a second later: its cut-off is the last whole second before now."""
    node.clock.advance(seconds=1)
    return await node.call("POST", "settlement/statements", {"peer": peer.node_id, **body})


async def deliver(clock: FakeClock, *senders: RunningNode, seconds: float = 3600) -> None:
    """Move past any retry backoff and make each sender push its whole outbox now."""
    clock.advance(seconds=seconds)
    for sender in senders:
        await ok(sender, "POST", "peers/sync")


def journal_size(node: RunningNode) -> int:
    return int(read(node, "SELECT count(*) FROM journal")[0][0])


def outbox(node: RunningNode, peer: RunningNode, msg_type: str) -> list[tuple[int, str, bytes]]:
    """(seq, msg_id, envelope) of every message of one type the node queued for `peer`."""
    rows = read(
        node,
        "SELECT seq, msg_id, envelope FROM outbox WHERE peer = ? AND msg_type = ? ORDER BY seq",
        peer.node_id,
        msg_type,
    )
    return [(int(seq), str(msg_id), bytes(raw)) for seq, msg_id, raw in rows]


async def post_peer(node: RunningNode, raw: bytes) -> tuple[int, Reply]:
    """POST raw envelope bytes to the node's peer endpoint; its answer, signature checked."""
    async with node.session.post(
        node.base_url + PEER_PATH, data=raw, headers={"Content-Type": CONTENT_TYPE}
    ) as response:
        body = await response.read()
    envelope = open_envelope(body)
    assert (envelope.sender, envelope.msg_type) == (node.node_id, "reply")
    envelope.verify(first_key(node.node_id).key)
    return response.status, Reply.decode(envelope.body)


_restarts = itertools.count(1)


async def restart(node: RunningNode) -> None:
    """RunningNode.restart with fresh randomness. conftest's restart seeds the new process with
    the port again, so the restarted node draws the very ids it drew before (a new message's id
    then collides with one already in its outbox: a 500 the real node, with real randomness,
    would never give)."""
    await node.stop()
    loaded = load_node(node.home, node.clock, SeededRandomness(node.port * 1000 + next(_restarts)))
    node.runner, _ = await start(loaded, "127.0.0.1", node.port)
    node.token = loaded.admin_token


async def quiesce(
    nodes: list[RunningNode],
    context: str = "",
    *,
    down: RunningNode | None = None,
    rounds: int = 12,
) -> None:
    """Make every running node deliver its outbox now (sync ignores backoff) until nothing is
    queued anywhere, except what waits for the stopped node `down`."""
    running = [node for node in nodes if node is not down]
    for _ in range(rounds):
        for node in running:
            await ok(node, "POST", "peers/sync")
        queued = {}
        for node in running:
            for peer in (await ok(node, "GET", "peers"))["peers"]:
                if peer["queued_messages"] and (down is None or peer["node_id"] != down.node_id):
                    queued[(node.node_id[:8], peer["node_id"][:8])] = peer["last_error"]
        if not queued:
            return
    raise AssertionError(f"{context}: still queued after {rounds} syncs: {queued}")
