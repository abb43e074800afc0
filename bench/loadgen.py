"""The load generator shared by benchmarks: N concurrent aiohttp clients, latencies, CPU per side.

The same `drive` runs against a real node and against bare aiohttp, so the two figures differ only
in what the server does. CPU time is read from /proc (Linux) to tell which side was saturated.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

Request = tuple[str, str, bytes | None]  # method, URL, JSON body
Reply = tuple[int, bytes]  # HTTP status (-1: no answer), body or error text
NOT_SENT: Reply = (-1, b"not sent: the time limit was reached")
# Optional per-request work done inside the timed span, on the client: turn a body into what is
# sent (e.g. sign it), and check a reply (e.g. verify its signature; a bad one becomes status -2).
Encode = Callable[[bytes | None], bytes | None]
Decode = Callable[[Reply], Reply]
START_TIMEOUT_S = 20.0


async def drive(
    session: aiohttp.ClientSession,
    requests: Sequence[Request],
    clients: int,
    deadline: float = math.inf,
    encode: Encode | None = None,
    decode: Decode | None = None,
) -> tuple[list[Reply], list[float]]:
    """Send every request with `clients` in flight at once; return replies and latencies (s).

    No request is started after `deadline` (time.monotonic()); those are answered "not sent".
    `encode` and `decode`, if given, run on the client for each request and count in its latency.
    """
    replies: list[Reply] = [NOT_SENT] * len(requests)
    latencies: list[float] = []  # of the requests sent
    pending = iter(range(len(requests)))  # shared: each client takes the next index

    async def client() -> None:
        for i in pending:
            if time.monotonic() > deadline:
                return
            method, url, body = requests[i]
            started = time.perf_counter()
            try:
                data = body if encode is None else encode(body)
                async with session.request(method, url, data=data) as response:
                    reply = (response.status, await response.read())
                replies[i] = reply if decode is None else decode(reply)
            except (aiohttp.ClientError, TimeoutError) as exc:
                replies[i] = (-1, repr(exc).encode())
            latencies.append(time.perf_counter() - started)

    async with asyncio.TaskGroup() as group:
        for _ in range(min(clients, len(requests))):
            group.create_task(client())
    return replies, latencies


def new_session(clients: int, headers: dict[str, str], timeout_s: float) -> aiohttp.ClientSession:
    """One keep-alive connection per client, so both servers see the same connection pattern."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=clients),
        headers=headers,
        timeout=aiohttp.ClientTimeout(total=timeout_s),
    )


@dataclass
class Phase:
    """What the timed requests of one server measured, summed over rounds."""

    name: str
    server_pid: int | None
    peer_pid: int | None = None  # a second server process the requests go through, if any
    peer_label: str = "peer"
    latencies_s: list[float] = field(default_factory=list)
    elapsed_s: float = 0.0
    client_cpu_s: float = 0.0
    server_cpu_s: float = 0.0
    peer_cpu_s: float = 0.0
    ok: int = 0
    failures: list[str] = field(default_factory=list)

    async def timed(
        self,
        session: aiohttp.ClientSession,
        requests: Sequence[Request],
        clients: int,
        deadline: float,
        encode: Encode | None = None,
        decode: Decode | None = None,
    ) -> list[Reply]:
        """Drive one round, adding its wall time, latencies and every side's CPU time."""
        client_cpu, server_cpu = time.process_time(), cpu_seconds(self.server_pid)
        peer_cpu = cpu_seconds(self.peer_pid)
        started = time.perf_counter()
        replies, latencies = await drive(session, requests, clients, deadline, encode, decode)
        self.elapsed_s += time.perf_counter() - started
        self.client_cpu_s += time.process_time() - client_cpu
        self.server_cpu_s += cpu_seconds(self.server_pid) - server_cpu
        self.peer_cpu_s += cpu_seconds(self.peer_pid) - peer_cpu
        self.latencies_s.extend(latencies)
        return replies

    @property
    def per_s(self) -> float:
        return self.ok / self.elapsed_s if self.elapsed_s else 0.0

    def percentile_ms(self, fraction: float) -> float:
        """Nearest-rank percentile of all timed requests, in milliseconds."""
        if not self.latencies_s:
            return math.nan
        ordered = sorted(self.latencies_s)
        return 1000 * ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]

    def summary(self) -> str:
        n, wall = len(self.latencies_s), self.elapsed_s or math.nan
        peer = f", {self.peer_label} {self.peer_cpu_s / wall:.0%}" if self.peer_pid else ""
        return (
            f"{self.name}: {self.per_s:,.0f}/s over {n:,} requests in {self.elapsed_s:.2f} s, "
            f"p50 {self.percentile_ms(0.50):.1f} ms, p99 {self.percentile_ms(0.99):.1f} ms, "
            f"max {self.percentile_ms(1.0):.1f} ms; CPU: client {self.client_cpu_s / wall:.0%}, "
            f"server {self.server_cpu_s / wall:.0%}{peer} of one core; "
            f"failures {len(self.failures)}"
        )


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU time of a process (all its threads); 0 where /proc is not available."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child_pid(marker: str) -> int | None:
    """The pid of this process's child whose command line contains `marker`, if /proc tells."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ")
        except (OSError, IndexError, ValueError):
            continue
        if ppid == os.getpid() and marker.encode() in cmdline:
            return int(stat.parent.name)
    return None


def wait_for_port(process: subprocess.Popen[bytes], port: int) -> None:
    """Return once something accepts connections on 127.0.0.1:port; fail if the process exits."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listened on port {port} within {START_TIMEOUT_S:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def parse_round_args(
    description: str, *, requests: int, seconds: float, round_size: int, vouchers: int, what: str
) -> argparse.Namespace:
    """The options every round-based benchmark takes, with its own defaults, checked."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--clients", type=int, default=64, help="concurrent clients (64)")
    parser.add_argument("--requests", type=int, default=requests, help=f"{what} ({requests})")
    parser.add_argument(
        "--seconds", type=float, default=seconds, help=f"stop after ({seconds:g} s of rounds)"
    )
    parser.add_argument(
        "--round", type=int, default=round_size, help=f"payloads per round ({round_size})"
    )
    parser.add_argument("--vouchers", type=int, default=vouchers, help=f"vouchers ({vouchers})")
    parser.add_argument(
        "--voucher-yen", type=int, default=1_000_000, help="face value (¥1,000,000)"
    )
    args = parser.parse_args()
    if not (1 <= args.clients <= 1024 and 1 <= args.vouchers <= 10_000 and args.requests >= 1):
        parser.error("need 1-1024 clients, 1-10000 vouchers and at least one request")
    if not 1 <= args.round <= 10_000:
        parser.error("--round must be 1-10000 (a payload must be used within 30 s)")
    if args.requests > args.vouchers * args.voucher_yen:
        parser.error(f"the vouchers cannot hold that many ¥1 {what}")
    return args
