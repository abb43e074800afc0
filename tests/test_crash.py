"""kill -9 in the middle of a burst of redemptions loses no acknowledged yen and invents none."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest

from node.admin_client import AdminClient
from node.config import ListenAddress, render_config
from node.demo import free_port, running_node, wait_until_ready
from node.home import NodeHome
from tests.conftest import make_home

VOUCHERS = 20
CODES_PER_VOUCHER = 15  # 300 one-yen redemptions in the burst
FACE_YEN = 1_000


@pytest.fixture
def crash_home(tmp_path: Path) -> NodeHome:
    home = make_home(tmp_path / "node", "Crash Izakaya")
    listen = ListenAddress("127.0.0.1", free_port())
    home.config_path.write_text(render_config("Crash Izakaya", listen), encoding="utf-8")
    return home


@contextmanager
def serving(home: NodeHome) -> Iterator[tuple[subprocess.Popen[bytes], AdminClient]]:
    """`kippu serve` as a child process; the test may SIGKILL it, and it is reaped either way."""
    with (home.root / "node.log").open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve", "--home", str(home.root)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process, wait_until_ready(home, process)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=15)


@dataclass
class Burst:
    attempted: Counter[str] = field(default_factory=Counter)  # voucher id -> requests started
    acked: dict[str, str] = field(default_factory=dict)  # redemption id -> voucher id (201)
    failed: int = 0  # connection reset or refused: the answer never came


async def fire(
    api: AdminClient,
    store_id: str,
    codes: list[tuple[str, str]],
    process: subprocess.Popen[bytes],
    kill_after: int,
) -> Burst:
    """Send every code at once for 1 yen; SIGKILL the node once `kill_after` were acknowledged."""
    burst = Burst()
    headers = {"Authorization": f"Bearer {api.token}"}
    connector = aiohttp.TCPConnector(limit=64)
    timeout = aiohttp.ClientTimeout(total=30)

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def redeem(voucher_id: str, payload: str) -> None:
            body = {"payload": payload, "amount": 1, "store_id": store_id}
            burst.attempted[voucher_id] += 1
            try:
                async with session.post(
                    f"{api.base_url}/api/v1/redemptions", json=body, headers=headers
                ) as response:
                    status, answer = response.status, await response.json()
            except (aiohttp.ClientError, ValueError):
                burst.failed += 1
                return
            assert status == 201, answer  # every code is fresh and every voucher has plenty left
            assert answer["voucher_id"] == voucher_id
            burst.acked[answer["redemption_id"]] = voucher_id
            if len(burst.acked) >= kill_after and process.poll() is None:
                process.send_signal(signal.SIGKILL)

        await asyncio.gather(*(redeem(v, p) for v, p in codes))
    return burst


def prepare(api: AdminClient) -> tuple[str, list[str], list[tuple[str, str]]]:
    store_id = api.post("stores", {"name": "新宿店"})["store_id"]
    vouchers = [api.post("vouchers", {"amount": FACE_YEN})["voucher_id"] for _ in range(VOUCHERS)]
    codes = [
        (v, api.get(f"vouchers/{v}/code")["payload"])
        for _ in range(CODES_PER_VOUCHER)
        for v in vouchers
    ]
    return store_id, vouchers, codes


@pytest.mark.parametrize("kill_after", [1, 60, 200])
def test_kill_9_mid_burst_loses_and_invents_nothing(crash_home: NodeHome, kill_after: int) -> None:
    with serving(crash_home) as (process, api):
        store_id, vouchers, codes = prepare(api)
        burst = asyncio.run(fire(api, store_id, codes, process, kill_after))
        process.wait(timeout=15)
    assert process.returncode == -signal.SIGKILL, "the node must have died by our SIGKILL"
    assert kill_after <= len(burst.acked) < len(codes), "the kill must land mid-burst"
    assert burst.failed > 0
    assert sum(burst.attempted.values()) == len(codes)

    with running_node(crash_home, crash_home.root / "node.log") as api:
        present = check_books(api, vouchers, burst)
        # The node goes on where it stopped: receipt numbers are never reused.
        payload = api.get(f"vouchers/{vouchers[0]}/code")["payload"]
        after = api.post("redemptions", {"payload": payload, "amount": 1, "store_id": store_id})
        assert after["receipt_no"] not in {r["receipt_no"] for r in present}

    conn = sqlite3.connect(f"file:{crash_home.database_path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        stored = conn.execute("SELECT count(*) FROM redemptions").fetchone()[0]
        assert stored == len(present) + 1
    finally:
        conn.close()


def check_books(api: AdminClient, vouchers: list[str], burst: Burst) -> list[dict[str, object]]:
    """Every acknowledged redemption survived; nothing beyond what was sent exists."""
    for redemption_id, voucher_id in burst.acked.items():
        found = api.get(f"redemptions/{redemption_id}")
        assert (found["voucher_id"], found["amount"], found["voided"]) == (voucher_id, 1, False)

    present = api.get("redemptions")["redemptions"]
    assert len({r["redemption_id"] for r in present}) == len(present)
    assert len({r["receipt_no"] for r in present}) == len(present)
    assert {r["amount"] for r in present} <= {1}
    per_voucher = Counter(r["voucher_id"] for r in present)
    assert set(per_voucher) <= set(vouchers)
    acked_per_voucher = Counter(burst.acked.values())
    for voucher_id in vouchers:
        assert acked_per_voucher[voucher_id] <= per_voucher[voucher_id]
        assert per_voucher[voucher_id] <= burst.attempted[voucher_id]
        voucher = api.get(f"vouchers/{voucher_id}")
        assert voucher["balance"] == FACE_YEN - per_voucher[voucher_id]
        assert len(voucher["history"]) == 1 + per_voucher[voucher_id]

    check = api.get("ledger/check")
    assert check["ok"] is True
    assert check["entries"] == len(vouchers) + len(present)
    assert check["voucher_liability"] == FACE_YEN * len(vouchers) - len(present)
    return present
