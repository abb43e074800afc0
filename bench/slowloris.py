"""Real requests while a slowloris holds thousands of idle connections, beside bare aiohttp.

One run:

1. Starts a real node (`python -m cli serve`) whose descriptor limit is lowered to 1,024 (the usual
   default outside the service unit, the limit that ~1,050 idle connections used to exhaust).
2. Quiet: 64 clients send `GET /api/v1/status` (admin token) over keep-alive connections (timed).
3. Flood: an attacker holds `--idle` connections (2,000) from 16 other loopback addresses, each
   sending half a request line; whenever the node closes one, it reconnects after `--reconnect`
   seconds. Once every slot has connected, the same requests are timed again.
4. Bare aiohttp (bench/bare_server.py, no flood) answers the same GETs: the HTTP limit.
5. Prints the figures, then one JSON line per figure (quiet, under flood).

Every timed request must be answered 200; the run exits 1 otherwise, with the failures grouped.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from loadgen import Phase, Request, child_pid, drive, new_session, stop, wait_for_port

from node.admin_client import AdminClient
from node.app import prepare_database
from node.config import ListenAddress
from node.demo import free_port, running_node
from node.home import NodeHome, init_home, new_admin_token

BENCH = "slowloris"
BARE_SERVER = Path(__file__).with_name("bare_server.py")
DESCRIPTOR_LIMIT = 1024
ATTACKERS = [f"127.0.0.{n}" for n in range(2, 18)]
HALF_A_REQUEST_LINE = b"GET /api/v1/status HT"
REQUEST_TIMEOUT_S = 30.0
CONNECT_WAIT_S = 60.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=64, help="concurrent real clients (64)")
    parser.add_argument("--requests", type=int, default=20_000, help="timed requests (20,000)")
    parser.add_argument("--idle", type=int, default=2_000, help="idle connections held (2,000)")
    parser.add_argument(
        "--reconnect", type=float, default=1.0, help="attacker's pause before reconnecting (1 s)"
    )
    args = parser.parse_args()
    if not (1 <= args.clients <= 1024 and args.requests >= 1 and 1 <= args.idle <= 16_000):
        parser.error("need 1-1024 clients, at least one request and 1-16000 idle connections")
    return args


class Slowloris:
    """Holds `slots` half-sent connections, reconnecting each one the node closes."""

    def __init__(self, port: int, slots: int, reconnect_s: float) -> None:
        self.port, self.slots, self.reconnect_s = port, slots, reconnect_s
        self.connected: set[int] = set()
        self.closed_by_node = 0
        self.refused = 0
        self.all_connected = asyncio.Event()

    async def hold(self, slot: int) -> None:
        source = ATTACKERS[slot % len(ATTACKERS)]
        while True:
            try:
                reader, writer = await asyncio.open_connection(
                    "127.0.0.1", self.port, local_addr=(source, 0)
                )
            except OSError:
                self.refused += 1
                await asyncio.sleep(self.reconnect_s)
                continue
            self.connected.add(slot)
            if len(self.connected) == self.slots:
                self.all_connected.set()
            try:
                writer.write(HALF_A_REQUEST_LINE)
                await reader.read()  # returns when the node closes it
                self.closed_by_node += 1
            except OSError:
                self.closed_by_node += 1
            finally:
                writer.close()
            await asyncio.sleep(self.reconnect_s)


async def timed_gets(
    phase: Phase, url: str, headers: dict[str, str], args: argparse.Namespace
) -> None:
    requests: list[Request] = [("GET", url, None)] * args.requests
    async with new_session(args.clients, headers, REQUEST_TIMEOUT_S) as session:
        await drive(session, requests[: args.clients * 4], args.clients)  # connect, warm up
        for status, raw in await phase.timed(session, requests, args.clients, math.inf):
            if status == 200 or (status == 201 and "bare" in phase.name):
                phase.ok += 1
            else:
                phase.failures.append(f"{phase.name}: HTTP {status}: {raw[:200]!r}")


async def measure_node(api: AdminClient, args: argparse.Namespace) -> tuple[Phase, Phase, str]:
    headers = {"Authorization": f"Bearer {api.token}"}
    url = f"{api.base_url}/api/v1/status"
    pid = child_pid(" serve ")
    quiet = Phase("kippu node, GET /api/v1/status, quiet", pid)
    await timed_gets(quiet, url, headers, args)
    attack = Slowloris(int(api.base_url.rsplit(":", 1)[1]), args.idle, args.reconnect)
    flood = Phase(f"kippu node, same GETs, {args.idle:,} idle connections held", pid)
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(attack.hold(slot)) for slot in range(args.idle)]
        try:
            # A node that stopped accepting never lets every slot connect: measure it anyway.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(attack.all_connected.wait(), CONNECT_WAIT_S)
            await timed_gets(flood, url, headers, args)
        finally:
            for task in tasks:
                task.cancel()
    note = (
        f"attacker: {len(attack.connected):,} of {args.idle:,} slots connected,"
        f" {attack.closed_by_node:,} connections closed by the node, {attack.refused:,} refused"
    )
    return quiet, flood, note


def measure_bare(args: argparse.Namespace) -> Phase:
    port = free_port()
    process = subprocess.Popen([sys.executable, str(BARE_SERVER), "--port", str(port)])
    try:
        wait_for_port(process, port)
        phase = Phase("bare aiohttp, GET with a small JSON reply", process.pid)
        headers = {"Authorization": f"Bearer {new_admin_token()}"}
        asyncio.run(timed_gets(phase, f"http://127.0.0.1:{port}/api/v1/status", headers, args))
        return phase
    finally:
        stop(process)


def figure(metric: str, phase: Phase, bare: Phase, args: argparse.Namespace) -> dict[str, object]:
    ratio = phase.per_s / bare.per_s if bare.per_s else 0.0
    return {
        "bench": BENCH,
        "metric": metric,
        "value": round(phase.per_s),
        "limit_metric": "bare_aiohttp_req_per_s",
        "limit": round(bare.per_s),
        "ratio": round(ratio, 2),
        "failures": len(phase.failures),
        "p50_ms": round(phase.percentile_ms(0.50), 2),
        "p99_ms": round(phase.percentile_ms(0.99), 2),
        "idle_connections": args.idle if "flood" in metric else 0,
        "descriptor_limit": DESCRIPTOR_LIMIT,
    }


def main() -> int:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="kippu-bench-") as tmp:
        home = NodeHome(Path(tmp) / "node")
        init_home(home, "Bench Slowloris", ListenAddress("127.0.0.1", free_port()))
        prepare_database(home.database_path)
        log_path = Path(tmp) / "node.log"
        with running_node(home, log_path, descriptor_limit=DESCRIPTOR_LIMIT) as api:
            quiet, flood, note = asyncio.run(measure_node(api, args))
        log_bytes = log_path.stat().st_size
    bare = measure_bare(args)
    print(
        f"{BENCH}: {args.clients} clients, {args.requests:,} GETs per phase, node descriptor limit"
        f" {DESCRIPTOR_LIMIT} ({os.cpu_count()} cores, Python {platform.python_version()})"
    )
    for phase in (quiet, flood, bare):
        print(f"  {phase.summary()}")
    print(f"  {note}; node log {log_bytes:,} bytes")
    failures = Counter(quiet.failures + flood.failures + bare.failures)
    for line, times in failures.most_common(10):
        print(f"    {times} x {line}")
    for metric, phase in (("requests_per_s_quiet", quiet), ("requests_per_s_under_flood", flood)):
        print(json.dumps(figure(metric, phase, bare, args)), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
