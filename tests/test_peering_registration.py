"""Two and three real nodes on 127.0.0.1 become partners: invite/join, manual add, import, suspend."""

from __future__ import annotations

import sqlite3
from typing import Any

from tests.conftest import FakeClock, NodeFactory, RunningNode, ok


async def peers_of(node: RunningNode) -> dict[str, dict[str, Any]]:
    answer = await ok(node, "GET", "peers")
    return {p["node_id"]: p for p in answer["peers"]}  # type: ignore[union-attr]


async def test_invite_and_join_make_both_sides_active(nodes: NodeFactory) -> None:
    izakaya, trattoria = await nodes.start("Izakaya"), await nodes.start("Trattoria")
    invite = await ok(izakaya, "POST", "peers/invite", {"valid_hours": 2})
    joined = await ok(trattoria, "POST", "peers/join", {"invite": invite["invite"]})
    assert joined["status"] == "active"
    assert joined["name"] == "Izakaya"
    assert joined["fingerprint"] == izakaya.fingerprint

    seen_by_izakaya = (await peers_of(izakaya))[trattoria.node_id]
    assert seen_by_izakaya["status"] == "active"
    assert seen_by_izakaya["fingerprint"] == trattoria.fingerprint
    assert seen_by_izakaya["name"] == "Trattoria"

    pinged = await ok(trattoria, "POST", f"peers/{izakaya.node_id}/ping")
    assert pinged["queued_messages"] == 0 and pinged["last_error"] is None

    status, reused = await trattoria.call("POST", "peers/join", {"invite": invite["invite"]})
    assert status == 409 and reused["error"]["code"] == "peer.exists"  # type: ignore[index]
    third = await nodes.start("Hotel")
    status, refused = await third.call("POST", "peers/join", {"invite": invite["invite"]})
    assert status == 409, refused
    assert refused["error"]["code"] == "peer.join_refused"  # type: ignore[index]
    assert refused["error"]["partner_code"] == "peer.invite_used"  # type: ignore[index]
    assert await peers_of(third) == {}


async def test_an_expired_invite_is_refused(nodes: NodeFactory) -> None:
    inviter_clock = FakeClock()
    izakaya = await nodes.start("Izakaya", clock=inviter_clock)
    trattoria = await nodes.start("Trattoria")
    invite = await ok(izakaya, "POST", "peers/invite", {"valid_hours": 1})
    inviter_clock.advance(hours=2)  # the joiner's clock is behind: the inviter still says no
    status, refused = await trattoria.call("POST", "peers/join", {"invite": invite["invite"]})
    assert status == 409 and refused["error"]["partner_code"] == "peer.invite_expired"  # type: ignore[index]
    assert trattoria.node_id not in await peers_of(izakaya)
    assert await peers_of(trattoria) == {}  # nothing registered, nothing queued

    nodes.clock.advance(hours=2)  # and once the joiner sees it expired, it does not even try
    status, answer = await trattoria.call("POST", "peers/join", {"invite": invite["invite"]})
    assert status == 403 and answer["error"]["code"] == "peer.invite_expired"  # type: ignore[index]
    status, answer = await trattoria.call("POST", "peers/join", {"invite": "kippu-invite1:AAAA"})
    assert status == 403 and answer["error"]["code"] == "peer.invite_invalid"  # type: ignore[index]


async def test_manual_add_is_pending_until_both_sides_register(nodes: NodeFactory) -> None:
    a, b = await nodes.start("A"), await nodes.start("B")
    added = await ok(a, "POST", "peers", {"node_id": b.node_id, "url": b.base_url, "name": "B"})
    assert added["status"] == "pending"
    assert added["last_error"].startswith("peer.unknown_sender")  # B does not know A yet
    assert added["queued_messages"] == 1

    status, refused = await a.call("POST", f"peers/{b.node_id}/ping")
    assert status == 403 and refused["error"]["code"] == "peer.pending"  # nothing but register

    back = await ok(b, "POST", "peers", {"node_id": a.node_id, "url": a.base_url})
    assert back["status"] == "active"  # A knew B already, so A's reply confirms both ways
    assert back["name"] == "A"
    nodes.clock.advance(hours=1)  # A's own register is retried after its backoff
    await ok(a, "POST", "peers/sync")
    seen = (await peers_of(a))[b.node_id]
    assert seen["status"] == "active" and seen["queued_messages"] == 0


async def test_import_uses_the_peers_toml_shape(nodes: NodeFactory) -> None:
    a, b, c = await nodes.start("A"), await nodes.start("B"), await nodes.start("C")
    listing = [
        {"node_id": b.node_id, "url": b.base_url, "name": "B", "max_receivable": 50_000},
        {"node_id": c.node_id, "url": c.base_url, "name": "C"},
    ]
    imported = await ok(a, "POST", "peers/import", {"peers": listing})
    assert [r["result"] for r in imported["imported"]] == ["added", "added"]
    again = await ok(a, "POST", "peers/import", {"peers": listing})
    assert [r["result"] for r in again["imported"]] == ["already registered"] * 2
    assert (await peers_of(a))[b.node_id]["max_receivable"] == 50_000


async def test_overlapping_alliances(nodes: NodeFactory) -> None:
    a, b, c = await nodes.start("A"), await nodes.start("B"), await nodes.start("C")
    for left, right in ((a, b), (b, c)):
        invite = await ok(left, "POST", "peers/invite")
        assert (await ok(right, "POST", "peers/join", {"invite": invite["invite"]}))["status"] == (
            "active"
        )
    assert set(await peers_of(a)) == {b.node_id}
    assert set(await peers_of(b)) == {a.node_id, c.node_id}
    assert set(await peers_of(c)) == {b.node_id}
    status, answer = await a.call("POST", f"peers/{c.node_id}/ping")
    assert status == 404 and answer["error"]["code"] == "peer.not_found"  # type: ignore[index]


async def test_suspend_resume_remove(nodes: NodeFactory) -> None:
    a, b = await nodes.start("A"), await nodes.start("B")
    invite = await ok(a, "POST", "peers/invite")
    await ok(b, "POST", "peers/join", {"invite": invite["invite"]})

    suspended = await ok(a, "POST", f"peers/{b.node_id}/suspend")
    assert suspended["status"] == "suspended"
    pinged = await ok(b, "POST", f"peers/{a.node_id}/ping")  # A refuses B while suspended
    assert pinged["last_error"].startswith("peer.suspended") and pinged["queued_messages"] == 1

    resumed = await ok(a, "POST", f"peers/{b.node_id}/resume")
    assert resumed["status"] == "active"
    nodes.clock.advance(hours=1)
    await ok(b, "POST", "peers/sync")
    assert (await peers_of(b))[a.node_id]["queued_messages"] == 0  # the queued ping got through

    await ok(a, "POST", f"peers/{b.node_id}/remove")
    assert b.node_id not in await peers_of(a)
    pinged = await ok(b, "POST", f"peers/{a.node_id}/ping")
    assert pinged["last_error"].startswith("peer.unknown_sender")


async def test_a_partner_offline_for_a_day_loses_nothing(nodes: NodeFactory) -> None:
    a, b = await nodes.start("A"), await nodes.start("B")
    invite = await ok(a, "POST", "peers/invite")
    await ok(b, "POST", "peers/join", {"invite": invite["invite"]})
    await a.stop()
    for _ in range(3):
        queued = await ok(b, "POST", f"peers/{a.node_id}/ping")
    assert queued["queued_messages"] == 3
    nodes.clock.advance(days=1)
    await a.restart()
    await ok(b, "POST", "peers/sync")
    assert (await peers_of(b))[a.node_id]["queued_messages"] == 0
    assert inbox_types(a) == ["join", "ping", "ping", "ping"]  # each exactly once, in order


def inbox_types(node: RunningNode) -> list[str]:
    conn = sqlite3.connect(f"file:{node.home.database_path}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT msg_type FROM inbox ORDER BY seq")]
    finally:
        conn.close()


async def test_an_import_with_one_bad_entry_changes_nothing(nodes: NodeFactory) -> None:
    a, b = await nodes.start("A"), await nodes.start("B")
    listing = [
        {"node_id": b.node_id, "url": b.base_url},
        {"node_id": "NOT-A-KEY", "url": b.base_url},
    ]
    status, answer = await a.call("POST", "peers/import", {"peers": listing})
    assert status == 400 and answer["error"]["field"] == "node_id"  # type: ignore[index]
    assert await peers_of(a) == {}


async def test_a_removed_partner_cannot_be_suspended_or_resumed(nodes: NodeFactory) -> None:
    """Suspending a removed partner was a 500, resuming it a silent 200: both are refused with
    one stable code and change nothing (its row, and the settlement log, stay as they were)."""
    a, b = await nodes.start("A"), await nodes.start("B")
    invite = await ok(a, "POST", "peers/invite")
    await ok(b, "POST", "peers/join", {"invite": invite["invite"]})
    await ok(a, "POST", f"peers/{b.node_id}/remove")
    log_size = (await ok(a, "GET", "audit/checkpoint"))["log_size"]
    for action in ("suspend", "resume"):
        status, answer = await a.call("POST", f"peers/{b.node_id}/{action}")
        assert status == 409, answer
        assert answer["error"]["code"] == "peer.removed", answer  # type: ignore[index]
    row = read_peer(a, b.node_id)
    assert row == ("removed", 1)
    assert (await ok(a, "GET", "audit/checkpoint"))["log_size"] == log_size
    again = await ok(a, "POST", f"peers/{b.node_id}/remove")  # removing twice stays a no-op
    assert again["status"] == "removed"


def read_peer(node: RunningNode, node_id: str) -> tuple[str, int]:
    conn = sqlite3.connect(f"file:{node.home.database_path}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT status, they_registered FROM peers WHERE node_id = ?", (node_id,)
        ).fetchone()
    finally:
        conn.close()
    return str(row[0]), int(row[1])
