"""The rush bench's clients (bench/rush.py): residents asking for a grant and polling their ticket,
and the stores' counters redeeming at a steady rate in a process of their own."""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

import aiohttp

REQUEST_TIMEOUT_S = 30.0


@dataclass
class Rush:
    """What one phase's grant clients were answered."""

    name: str
    granted: int = 0
    sold_out: int = 0
    queued: int = 0
    failures: list[str] = field(default_factory=list)
    started_at: float = 0.0  # time.perf_counter() when the phase began
    elapsed_s: float = 0.0
    granting_s: float = 0.0  # from the start to the last grant answered
    server_cpu_s: float = 0.0
    relay_cpu_s: float = 0.0
    latencies_s: list[float] = field(default_factory=list)
    # The node's own histograms over the phase (GET /metrics before and after): how long its
    # redemption handler took, and its writer's batches, against the counters' latency.
    node_side: dict[str, str] = field(default_factory=dict)

    @property
    def decisions(self) -> int:
        return self.granted + self.sold_out + self.queued

    def per_s(self, count: int, seconds: float) -> float:
        return count / seconds if seconds else 0.0


@dataclass
class Counter:
    """The stores' redemptions during a phase."""

    latencies_s: list[float] = field(default_factory=list)
    ok: int = 0
    failures: list[str] = field(default_factory=list)

    def p99_ms(self) -> float:
        if not self.latencies_s:
            return math.nan
        ordered = sorted(self.latencies_s)
        return 1000 * ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


async def ask(
    session: aiohttp.ClientSession, base: str, campaign_id: str, customer_id: str, rush: Rush
) -> None:
    """One resident: ask, and poll the ticket while the answer is 202."""
    url = f"{base}/campaigns/{campaign_id}/grants"
    method, target, body = "POST", url, json.dumps({"customer_id": customer_id}).encode()
    while True:
        started = time.perf_counter()
        try:
            async with session.request(method, target, data=body) as response:
                status, raw = response.status, await response.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            rush.failures.append(f"grant: {exc!r}")
            return
        rush.latencies_s.append(time.perf_counter() - started)
        if status in (200, 201):
            rush.granted += 1
            rush.granting_s = time.perf_counter() - rush.started_at
            return
        if status == 409 and b"campaign.sold_out" in raw:
            rush.sold_out += 1
            return
        if status != 202:
            rush.failures.append(f"grant: HTTP {status}: {raw[:200]!r}")
            return
        rush.queued += 1
        ticket = json.loads(raw)
        await asyncio.sleep(ticket["retry_after_ms"] / 1000)
        method, target, body = "GET", f"{url}/tickets/{ticket['ticket']}", None


async def redeem_steadily(
    base: str, token: str, bodies: list[bytes], rate: float, counters: int, seconds: float
) -> Counter:
    """`counters` counters redeeming at `rate` per second in all, for `seconds`."""
    counter, pending = Counter(), iter(bodies)
    deadline = time.perf_counter() + seconds
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)

    async def one_counter(http: aiohttp.ClientSession) -> None:
        interval, next_at = counters / rate, time.perf_counter()
        for body in pending:
            if time.perf_counter() > deadline:
                return
            started = time.perf_counter()
            try:
                async with http.post(f"{base}/redemptions", data=body) as response:
                    status, raw = response.status, await response.read()
            except (aiohttp.ClientError, TimeoutError) as exc:
                status, raw = -1, repr(exc).encode()
            counter.latencies_s.append(time.perf_counter() - started)
            if status == 201:
                counter.ok += 1
            else:
                counter.failures.append(f"redemption: HTTP {status}: {raw[:200]!r}")
            next_at += interval
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))

    connector = aiohttp.TCPConnector(limit=counters)
    async with aiohttp.ClientSession(connector=connector, headers=headers, timeout=timeout) as http:
        await asyncio.gather(*(one_counter(http) for _ in range(counters)))
    return counter


def counter_process(
    out: Connection, base: str, token: str, bodies: list[bytes], args: argparse.Namespace
) -> None:
    """The stores' counters, in a process of their own: their latency is the server's, not
    that of a client loop busy with 256 residents."""
    out.send("ready")
    counter = asyncio.run(
        redeem_steadily(base, token, bodies, args.redeem_rate, args.counters, args.seconds)
    )
    out.send((counter.latencies_s, counter.ok, counter.failures))  # plain values: any module
    out.close()


async def fetch_codes(
    session: aiohttp.ClientSession, base: str, store_id: str, vouchers: list[str], count: int
) -> list[bytes]:
    async def one(k: int) -> bytes:
        async with session.get(f"{base}/vouchers/{vouchers[k % len(vouchers)]}/code") as r:
            payload = (await r.json())["payload"]
        return json.dumps({"payload": payload, "amount": 1, "store_id": store_id}).encode()

    out: list[bytes] = []
    for start in range(0, count, 256):
        out += await asyncio.gather(*(one(k) for k in range(start, min(count, start + 256))))
    return out


# The node's histograms read around a phase: (name, label selector) -> what they measure.
NODE_HISTOGRAMS = {
    ("kippu_redemption_seconds", 'channel="api",'): "redemption handler",
    ("kippu_writer_commit_seconds", ""): "writer batch",
}


async def node_buckets(session: aiohttp.ClientSession, base_url: str) -> dict[str, list[int]]:
    """Each histogram's cumulative bucket counts, in the order of its `le` bounds."""
    async with session.get(f"{base_url}/metrics") as response:
        text = await response.text()
    found: dict[str, list[int]] = {}
    for (name, labels), what in NODE_HISTOGRAMS.items():
        prefix = f"{name}_bucket{{{labels}le="
        found[what] = [
            int(float(line.rsplit(" ", 1)[1]))
            for line in text.splitlines()
            if line.startswith(prefix)
        ]
    return found


def bucket_p99(before: list[int], after: list[int], bounds: tuple[float, ...]) -> str:
    """The histogram's p99 over the phase as "<= X ms" (its bucket), and how many it counted."""
    before = before or [0] * len(after)  # no sample yet before the phase: no lines either
    counts = [a - b for a, b in zip(after, before, strict=True)]
    total = counts[-1] if counts else 0
    if not total:
        return "none"
    for bound, cumulative in zip((*bounds, math.inf), counts, strict=False):
        if cumulative >= 0.99 * total:
            return f"p99 <= {bound * 1000:g} ms of {total:,}"
    return f"p99 > {bounds[-1] * 1000:g} ms of {total:,}"
