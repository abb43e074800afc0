"""`kippu serve` with [campaigns.rush] relay_listen: the relay starts with the node and takes
grants on its own port, is started again if it dies, and stops with the node; a relay that
cannot listen stops `kippu serve` with config.invalid."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from node.config import ListenAddress, render_config
from node.demo import free_port, running_node, wait_until_ready
from node.home import NodeHome, read_admin_token
from tests.conftest import make_home


def relay_home(root: Path, relay_port: int) -> NodeHome:
    home = make_home(root, "Relay City")
    text = render_config("Relay City", ListenAddress("127.0.0.1", free_port()))
    text = text.replace('relay_listen = ""', f'relay_listen = "127.0.0.1:{relay_port}"')
    home.config_path.write_text(text, encoding="utf-8")
    return home


def relay_pids(home: NodeHome) -> list[int]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            seen = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"node.relay" in seen and os.fsencode(home.root) in seen:
            found.append(int(cmdline.parent.name))
    return found


def ask(port: int, token: str, campaign_id: str, customer_id: str) -> tuple[int, Any]:
    async def post() -> tuple[int, Any]:
        url = f"http://127.0.0.1:{port}/api/v1/campaigns/{campaign_id}/grants"
        headers = {"Authorization": f"Bearer {token}"}
        async with (
            aiohttp.ClientSession() as http,
            http.post(url, json={"customer_id": customer_id}, headers=headers) as r,
        ):
            return r.status, await r.json()

    return asyncio.run(post())


def until(check: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except aiohttp.ClientConnectionError:  # the relay is not listening yet
            pass
        time.sleep(0.1)
    raise AssertionError("not in time")


def test_the_relay_serves_with_the_node_and_is_started_again(tmp_path: Path) -> None:
    relay_port = free_port()
    home = relay_home(tmp_path / "node", relay_port)
    now = datetime.now(UTC)
    with running_node(home, home.root / "node.log") as api:
        campaign = api.post(
            "campaigns",
            {
                "kind": "first-come",
                "name": "先着クーポン",
                "face_yen": 1000,
                "stock": 10,
                "starts_at": (now - timedelta(hours=1)).isoformat(),
                "ends_at": (now + timedelta(days=1)).isoformat(),
            },
        )["campaign_id"]
        people = [api.post("customers", {"name": f"住民{i}"})["customer_id"] for i in range(2)]
        token = read_admin_token(home)
        status, made = ask(relay_port, token, campaign, people[0])
        assert status == 201 and made["customer_id"] == people[0]
        (first,) = relay_pids(home)
        os.kill(first, signal.SIGKILL)  # the relay dies: the node starts it again
        until(lambda: relay_pids(home) not in ([], [first]))
        until(lambda: ask(relay_port, token, campaign, people[1])[0] == 201)
        assert api.get(f"campaigns/{campaign}")["granted_sets"] == 2
    until(lambda: relay_pids(home) == [])  # stopped with the node
    assert not (home.root / "relay.sock").exists()


def test_a_relay_that_cannot_listen_stops_serve(tmp_path: Path) -> None:
    taken = socket.create_server(("127.0.0.1", 0))
    try:
        home = relay_home(tmp_path / "node", taken.getsockname()[1])
        served = subprocess.run(
            [sys.executable, "-m", "cli", "serve", "--home", str(home.root)],
            capture_output=True,
            timeout=60,
            check=False,
        )
    finally:
        taken.close()
    output = (served.stdout + served.stderr).decode()
    assert served.returncode != 0
    assert "config.invalid" in output and "campaigns.rush.relay_listen" in output
    assert relay_pids(home) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM])
def test_the_relay_alone_stops_on_a_signal(tmp_path: Path, signum: int) -> None:
    relay_port = free_port()
    home = relay_home(tmp_path / "node", relay_port)
    with subprocess.Popen(
        [sys.executable, "-m", "node.relay", "--home", str(home.root)],
        stdout=subprocess.PIPE,
    ) as relay:
        try:
            assert relay.stdout is not None
            assert relay.stdout.readline().decode().startswith("listening on 127.0.0.1:")
            status, answer = ask(relay_port, "t", "cp_x", "cu_y")  # no node: it says so
            assert status == 503 and answer["error"]["code"] == "node.unavailable"
            relay.send_signal(signum)
            assert relay.wait(timeout=15) == 0
        finally:
            if relay.poll() is None:
                relay.kill()
                relay.wait()


def test_a_node_killed_outright_takes_its_relay_with_it(tmp_path: Path) -> None:
    """SIGKILL leaves the node no word to say: the relay sees its standard input end, stops,
    and frees its port for the next `kippu serve`."""
    home = relay_home(tmp_path / "node", free_port())
    log = (home.root / "node.log").open("ab")
    try:
        serve = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve", "--home", str(home.root)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until_ready(home, serve)
        assert len(relay_pids(home)) == 1
        serve.kill()
        serve.wait()
        until(lambda: relay_pids(home) == [])
        with running_node(home, home.root / "node.log") as api:  # the port is free again
            assert api.get("status")["node_id"]
            assert len(relay_pids(home)) == 1
    finally:
        log.close()


def test_the_relay_refuses_to_watch_a_stdin_that_is_no_pipe(tmp_path: Path) -> None:
    home = relay_home(tmp_path / "node", free_port())
    ran = subprocess.run(
        [sys.executable, "-m", "node.relay", "--home", str(home.root), "--until-stdin-closes"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert ran.returncode == 2
    assert b"config.invalid" in ran.stderr and b"needs standard input to be a pipe" in ran.stderr
