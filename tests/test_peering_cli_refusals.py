"""`kippu peer ...` against real nodes on 127.0.0.1: a refused join exits 1 with the partner's
reason and leaves nothing; an unreachable inviter leaves the join queued and says so; a parked
registration is listed, dropped, and the channel moves on; a removed partner cannot be suspended.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from click.testing import CliRunner, Result

from cli import main
from node.config import ListenAddress, render_config
from node.demo import free_port
from node.home import NodeHome
from node.server import load_node, start
from node.verifier.auditor import verify_bundles
from tests.conftest import TEST_REGISTRATION, FakeClock, SeededRandomness, make_home


class ServedNode:
    """A node in its own thread and event loop on a fixed port, so it can stop and start again
    with the URL its invitations carry (what an operator's `kippu serve` restart looks like)."""

    def __init__(self, root: Path, name: str, clock: FakeClock, seed: int) -> None:
        self.home = make_home(root / name, name)
        self.port, self.clock, self.seed = free_port(), clock, seed
        self.home.config_path.write_text(
            render_config(
                name, ListenAddress("127.0.0.1", self.port), registration_number=TEST_REGISTRATION
            ),
            encoding="utf-8",
        )
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    def start(self) -> None:
        self.seed += 1  # a restarted node must not draw the ids it drew before
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        node = load_node(self.home, self.clock, SeededRandomness(self.seed))
        running = asyncio.run_coroutine_threadsafe(start(node, "127.0.0.1", self.port), self._loop)
        self._runner = running.result(timeout=30)[0]
        self.home.token_path.write_text(node.admin_token + "\n", encoding="ascii")
        self.home.token_path.chmod(0o600)

    def stop(self) -> None:
        if self._loop is None or self._thread is None or self._runner is None:
            return
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop.close()
        self._loop = self._thread = self._runner = None


@pytest.fixture
def served(tmp_path: Path) -> Iterator[dict[str, ServedNode]]:
    clock = FakeClock()
    nodes = {
        name: ServedNode(tmp_path, name, clock, seed)
        for seed, name in enumerate(("Izakaya", "Trattoria", "Hotel"))
    }
    for node in nodes.values():
        node.start()
    try:
        yield nodes
    finally:
        for node in nodes.values():
            node.stop()


def kippu(node: ServedNode, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--home", str(node.home.root)])


def kippu_json(node: ServedNode, *args: str) -> dict[str, Any]:
    result = kippu(node, *args, "--json")
    assert result.exit_code == 0, result.output + result.stderr
    value: dict[str, Any] = json.loads(result.stdout)
    return value


def rows(home: NodeHome, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{home.database_path}?mode=ro", uri=True)
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


def node_id(node: ServedNode) -> str:
    return str(kippu_json(node, "status")["node_id"])


def test_a_join_with_a_used_invitation_exits_1_and_leaves_nothing(
    served: dict[str, ServedNode],
) -> None:
    izakaya, trattoria, hotel = served["Izakaya"], served["Trattoria"], served["Hotel"]
    invite = kippu_json(izakaya, "peer", "invite")["invite"]
    assert kippu_json(hotel, "peer", "join", invite)["status"] == "active"
    log_before = rows(trattoria.home, "SELECT count(*) FROM audit_log")

    refused = kippu(trattoria, "peer", "join", invite)
    assert refused.exit_code == 1, refused.output
    assert "peer.invite_used" in refused.stderr  # the partner's stable code
    assert "The invitation was already used" in refused.stderr  # and its message
    assert refused.stdout == ""
    as_json = kippu(trattoria, "peer", "join", invite, "--json")
    assert as_json.exit_code == 1
    error = json.loads(as_json.stderr)["error"]
    assert (error["code"], error["partner_code"]) == ("peer.join_refused", "peer.invite_used")

    assert kippu_json(trattoria, "peer", "list")["peers"] == []
    assert rows(trattoria.home, "SELECT count(*) FROM peers") == [(0,)]
    assert rows(trattoria.home, "SELECT count(*) FROM outbox") == [(0,)]
    assert rows(trattoria.home, "SELECT count(*) FROM deliveries") == [(0,)]
    assert rows(trattoria.home, "SELECT count(*) FROM channels_out") == [(0,)]
    assert rows(trattoria.home, "SELECT count(*) FROM audit_log") == log_before
    assert [p["node_id"] for p in kippu_json(izakaya, "peer", "list")["peers"]] == [node_id(hotel)]


def test_an_unreachable_inviter_queues_the_join_and_a_parked_one_can_be_dropped(
    served: dict[str, ServedNode], tmp_path: Path
) -> None:
    izakaya, trattoria, hotel = served["Izakaya"], served["Trattoria"], served["Hotel"]
    inviter = node_id(izakaya)
    invite = kippu_json(izakaya, "peer", "invite")["invite"]
    izakaya.stop()
    queued = kippu(trattoria, "peer", "join", invite)
    assert queued.exit_code == 0, queued.output  # the inviter may simply be down: retried
    assert "delivery: queued" in queued.stdout
    assert "could not be reached" in queued.stdout
    izakaya.start()
    assert kippu_json(hotel, "peer", "join", invite)["status"] == "active"  # Hotel was first

    kippu_json(trattoria, "peer", "sync")
    listed = kippu(trattoria, "peer", "list")
    assert listed.exit_code == 0
    assert "parked" in listed.stdout and "peer.invite_used" in listed.stdout
    [seen] = kippu_json(trattoria, "peer", "list")["peers"]
    [parked] = seen["parked"]
    assert (parked["seq"], parked["msg_type"], parked["code"]) == (1, "join", "peer.invite_used")
    kippu_json(trattoria, "peer", "sync")  # parked: not sent again
    assert rows(trattoria.home, "SELECT attempts FROM deliveries") == [(parked["attempts"],)]

    fresh = kippu_json(izakaya, "peer", "invite")["invite"]
    blocked = kippu(trattoria, "peer", "join", fresh)
    assert blocked.exit_code == 1 and "peer.channel_parked" in blocked.stderr

    dropped = kippu(trattoria, "peer", "drop", inviter, "1")
    assert dropped.exit_code == 0, dropped.output + dropped.stderr
    assert "status: removed" in dropped.stdout
    assert kippu_json(trattoria, "peer", "list")["peers"] == []  # gone
    assert kippu(trattoria, "peer", "drop", inviter, "1").exit_code == 1  # nothing parked now

    joined = kippu_json(trattoria, "peer", "join", fresh)  # the channel moves on
    assert (joined["status"], joined["delivery"]) == ("active", "delivered")
    trattoria_id = node_id(trattoria)
    at_inviter = rows(izakaya.home, "SELECT peer, seq, msg_type FROM inbox")
    assert (trattoria_id, 1, "join") in at_inviter

    bundles = [tmp_path / "trattoria.bundle", tmp_path / "izakaya.bundle"]
    kippu_json(trattoria, "audit", "export", "--out", str(bundles[0]))
    kippu_json(izakaya, "audit", "export", "--out", str(bundles[1]))
    report = verify_bundles(bundles, {})  # each log, and the pair: the withdrawal is explained
    assert report.ok, report.problems


def test_a_removed_partner_cannot_be_suspended_from_the_cli(
    served: dict[str, ServedNode],
) -> None:
    izakaya, trattoria = served["Izakaya"], served["Trattoria"]
    invite = kippu_json(izakaya, "peer", "invite")["invite"]
    kippu_json(trattoria, "peer", "join", invite)
    partner_id = node_id(trattoria)
    kippu_json(izakaya, "peer", "remove", partner_id)
    for action in ("suspend", "resume"):
        refused = kippu(izakaya, "peer", action, partner_id)
        assert refused.exit_code == 1, refused.output
        assert "[peer.removed]" in refused.stderr
