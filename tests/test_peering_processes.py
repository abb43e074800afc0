"""Two `kippu serve` processes: partners in one command each; kill -9 mid-delivery loses nothing."""

from __future__ import annotations

import contextlib
import json
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli import main
from node.config import ListenAddress, render_config
from node.demo import free_port
from node.errors import NodeUnavailable
from node.home import NodeHome
from tests.conftest import TEST_REGISTRATION, make_home
from tests.test_crash import serving

PINGS = 150


def _home(root: Path, name: str) -> NodeHome:
    home = make_home(root / name, name)
    home.config_path.write_text(
        render_config(
            name, ListenAddress("127.0.0.1", free_port()), registration_number=TEST_REGISTRATION
        ),
        encoding="utf-8",
    )
    return home


def kippu(home: NodeHome, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        main, [*args, "--home", str(home.root), "--json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    value: dict[str, Any] = json.loads(result.stdout)
    return value


def inbox_pings(home: NodeHome) -> list[tuple[int, str]]:
    conn = sqlite3.connect(f"file:{home.database_path}?mode=ro", uri=True)
    try:
        return list(
            conn.execute("SELECT seq, msg_id FROM inbox WHERE msg_type = 'ping' ORDER BY seq")
        )
    finally:
        conn.close()


def test_partners_in_one_command_each(tmp_path: Path) -> None:
    izakaya, hotel = _home(tmp_path, "Izakaya"), _home(tmp_path, "Hotel")
    with serving(izakaya), serving(hotel):
        invite = kippu(izakaya, "peer", "invite", "--valid-hours", "1")["invite"]
        joined = kippu(hotel, "peer", "join", invite)
        assert joined["status"] == "active"
        izakaya_status = kippu(izakaya, "status")
        assert joined["fingerprint"] == izakaya_status["fingerprint"]
        [seen] = kippu(izakaya, "peer", "list")["peers"]
        assert seen["status"] == "active"
        assert seen["fingerprint"] == kippu(hotel, "status")["fingerprint"]


def test_kill_9_of_the_sender_mid_delivery_loses_and_doubles_nothing(tmp_path: Path) -> None:
    sender, receiver = _home(tmp_path, "Sender"), _home(tmp_path, "Receiver")
    with serving(sender) as (sender_process, api):
        with serving(receiver):
            invite = kippu(sender, "peer", "invite")["invite"]
            assert kippu(receiver, "peer", "join", invite)["status"] == "active"
            receiver_id = kippu(receiver, "status")["node_id"]
        # The receiver is down: every ping stays queued in the sender's outbox.
        for _ in range(PINGS):
            api.post(f"peers/{receiver_id}/ping")
        assert kippu(sender, "peer", "list")["peers"][0]["queued_messages"] == PINGS
        with serving(receiver):
            stop = _kill_when(sender_process, receiver, at_least=20)
            with contextlib.suppress(NodeUnavailable):  # the sender dies while answering
                api.post("peers/sync")
            stop.join(timeout=30)
            assert sender_process.wait(timeout=15) == -signal.SIGKILL
            delivered_before_kill = len(inbox_pings(receiver))
            assert 20 <= delivered_before_kill < PINGS, "the kill must land mid-delivery"
            with serving(sender) as (_, restarted):
                restarted.post("peers/sync")
                _wait_for(lambda: len(inbox_pings(receiver)) == PINGS)
                assert kippu(sender, "peer", "list")["peers"][0]["queued_messages"] == 0
    pings = inbox_pings(receiver)
    assert [seq for seq, _ in pings] == list(range(1, PINGS + 1))  # each once, in order
    assert len({msg_id for _, msg_id in pings}) == PINGS


def _kill_when(
    process: subprocess.Popen[bytes], receiver: NodeHome, at_least: int
) -> threading.Thread:
    def watch() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            if len(inbox_pings(receiver)) >= at_least:
                process.send_signal(signal.SIGKILL)
                return
            time.sleep(0.005)

    thread = threading.Thread(target=watch)
    thread.start()
    return thread


def _wait_for(condition: Any, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out")
        time.sleep(0.05)
