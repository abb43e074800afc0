"""Benchmark: a first-come rush (先着) at 256 clients while stores redeem, beside bare aiohttp.

Starts `kippu serve` on a temporary home with many residents written beforehand (untimed, through
the node's own writer and ledger operations). Then, each phase for --seconds:

  below demand  a first-come campaign whose stock is far below the asks: 256 clients ask for a
                grant (POST /api/v1/campaigns/{id}/grants, a new resident each time; on 202 they
                poll the ticket after retry_after_ms). Counted: grant decisions/s (granted, sold
                out and queued answers together) and durable grants/s until the stock was gone.
  above demand  the same against a stock larger than the asks: every answer is a durable grant.

Before them, the store counters alone for as long (quiet): their latency on this machine with
no rush, to read the rush's p99 against.

During each phase a separate pool of store counters redeems ¥1 at a steady rate (POST
/api/v1/redemptions, codes fetched untimed before the phase), and its p99 is the store's latency
under the rush; around each phase the node's own histograms (GET /metrics: its redemption
handler's time, its writer's batches) are read, to tell where the counter waited. The clients
are in bench/rush_clients.py. Before and after the node's phases, the same 256 clients send small POSTs to
bench/bare_server.py for as long: the HTTP limit on this machine in this run (the ratios use
the mean of the two, since a shared machine's load moves). Afterwards every campaign must
show exactly as many grants as 201s answered (no oversell) and the ledger must check out.
Prints the figures, then one JSON line per figure (see DESIGN.md "Quality bars").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from loadgen import Phase, Request, child_pid, cpu_seconds, new_session, stop, wait_for_port
from redeem_local import BARE_SERVER, issue_vouchers, make_home
from rush_clients import (
    REQUEST_TIMEOUT_S,
    Counter,
    Rush,
    ask,
    bucket_p99,
    counter_process,
    fetch_codes,
    node_buckets,
)

from node.admin_client import AdminClient
from node.clock import SystemRandomness, new_id
from node.demo import free_port, running_node
from node.home import NodeHome
from node.ledger import operations
from node.metrics import LATENCY_BUCKETS_S
from node.migrations import MIGRATIONS
from node.writer import GroupCommitWriter

BENCH = "rush"
GOAL_DECISIONS = 0.5
GOAL_GRANTS = 0.25
GOAL_P99_MS = 50.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=256, help="residents asking at once")
    parser.add_argument("--seconds", type=float, default=12.0, help="per phase (12)")
    parser.add_argument("--people", type=int, default=60_000, help="residents written first")
    parser.add_argument("--stock", type=int, default=2_000, help="the below-demand stock")
    parser.add_argument("--counters", type=int, default=8, help="store counters redeeming")
    parser.add_argument("--redeem-rate", type=float, default=200.0, help="redemptions/s in all")
    parser.add_argument(
        "--no-relay",
        dest="relay",
        action="store_false",
        help="residents ask the node itself, not its rush relay ([campaigns.rush] relay_listen)",
    )
    args = parser.parse_args()
    if not (1 <= args.clients <= 1024 and args.people >= args.clients and args.seconds > 0):
        parser.error("need 1-1024 clients, at least as many people, and some seconds")
    return args


async def write_residents(home: NodeHome, count: int) -> list[str]:
    """Residents registered through the ledger's own operation, thousands to a commit."""
    writer = GroupCommitWriter(home.database_path, MIGRATIONS, max_batch=2_000)
    await writer.start()
    rng, now = SystemRandomness(), datetime.now(UTC)
    try:
        ids = [new_id(rng, "cu") for _ in range(count)]
        pending = [
            writer.enqueue(operations.add_customer(cid, f"住民 {n}", None, now))
            for n, cid in enumerate(ids)
        ]
        return [await f for f in pending]
    finally:
        await writer.stop()


async def run_phase(
    api: AdminClient,
    name: str,
    campaign_id: str,
    people: list[str],
    store_id: str,
    vouchers: list[str],
    args: argparse.Namespace,
    relay: Relay,
) -> tuple[Rush, Counter]:
    headers = {"Authorization": f"Bearer {api.token}", "Content-Type": "application/json"}
    base = f"{api.base_url}/api/v1"
    asking_base = base if relay.url is None else f"{relay.url}/api/v1"
    rush = Rush(name)
    limit = aiohttp.TCPConnector(limit=args.clients + args.counters + 8)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(connector=limit, headers=headers, timeout=timeout) as http:
        codes = await fetch_codes(
            http, base, store_id, vouchers, int(args.redeem_rate * args.seconds * 1.5) + 64
        )
        queue = iter(people)
        receiving, sending = multiprocessing.Pipe(duplex=False)
        counters = multiprocessing.get_context("spawn").Process(
            target=counter_process, args=(sending, base, str(api.token), codes, args)
        )
        counters.start()
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, receiving.recv)  # "ready": the rush starts with them
        pids = [child_pid(" serve "), relay.pid]
        cpu_before = [cpu_seconds(pid) for pid in pids]
        buckets_before = await node_buckets(http, api.base_url)
        rush.started_at = started = time.perf_counter()
        deadline = started + args.seconds

        async def client() -> None:
            for person in queue:
                if time.perf_counter() > deadline:
                    return
                await ask(http, asking_base, campaign_id, person, rush)

        await asyncio.gather(*(client() for _ in range(args.clients)))
        rush.elapsed_s = time.perf_counter() - started
        rush.server_cpu_s = cpu_seconds(pids[0]) - cpu_before[0]
        rush.relay_cpu_s = cpu_seconds(pids[1]) - cpu_before[1]
        counter = Counter(*await loop.run_in_executor(None, receiving.recv))
        counters.join()
        buckets_after = await node_buckets(http, api.base_url)  # the counters' last included
        rush.node_side = {
            what: bucket_p99(buckets_before[what], buckets_after[what], LATENCY_BUCKETS_S)
            for what in buckets_before
        }
    return rush, counter


@dataclass(frozen=True)
class Relay:
    """Where the residents ask (None: the node itself), and the relay's process."""

    url: str | None
    pid: int | None


def relay_pid(home: Path) -> int | None:
    """The rush relay's pid (a child of `kippu serve`, not of this process), if /proc tells."""
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            seen = cmdline.read_bytes()
            if b"node.relay" in seen and os.fsencode(home) in seen:
                return int(cmdline.parent.name)
        except (OSError, ValueError):
            continue
    return None


def create_campaign(api: AdminClient, name: str, stock: int) -> str:
    now = datetime.now(UTC)
    made = api.post(
        "campaigns",
        {
            "kind": "first-come",
            "name": name,
            "face_yen": 1000,
            "stock": stock,
            "starts_at": (now - timedelta(hours=1)).isoformat(),
            "ends_at": (now + timedelta(days=30)).isoformat(),
        },
    )
    return str(made["campaign_id"])


def oversell_problems(api: AdminClient, campaign_id: str, stock: int, rush: Rush) -> list[str]:
    shown = api.get(f"campaigns/{campaign_id}")
    problems = []
    if shown["granted_sets"] > stock:
        problems.append(f"{rush.name}: OVERSOLD: {shown['granted_sets']} of {stock}")
    if shown["granted_sets"] != rush.granted:
        problems.append(f"{rush.name}: {shown['granted_sets']} grants but {rush.granted} 201s")
    if shown["reconciled"] is not True:
        problems.append(f"{rush.name}: the campaign's status does not reconcile: {shown}")
    return problems


async def bare_requests(port: int, pid: int, args: argparse.Namespace) -> Phase:
    """The same clients sending grant-shaped POSTs to bare aiohttp for as long as a phase."""
    phase = Phase("bare aiohttp, POST with a small JSON reply", pid)
    headers = {"Authorization": "Bearer " + "x" * 43, "Content-Type": "application/json"}
    url = f"http://127.0.0.1:{port}/api/v1/campaigns/cp_bench/grants"
    body = json.dumps({"customer_id": "cu_" + "x" * 13}).encode()
    requests: list[Request] = [("POST", url, body)] * 2_000_000
    async with new_session(args.clients, headers, REQUEST_TIMEOUT_S) as session:
        await phase.timed(session, requests[: args.clients * 8], args.clients, math.inf)
        phase.latencies_s.clear()
        phase.elapsed_s = phase.client_cpu_s = phase.server_cpu_s = 0.0
        replies = await phase.timed(
            session, requests, args.clients, time.monotonic() + args.seconds
        )
    phase.ok = sum(1 for status, _ in replies if status == 201)
    return phase


def measure_bare(args: argparse.Namespace) -> Phase:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(BARE_SERVER), "--port", str(port)], stdout=subprocess.DEVNULL
    )
    try:
        wait_for_port(process, port)
        return asyncio.run(bare_requests(port, process.pid, args))
    finally:
        stop(process)


def show_phase(rush: Rush, counter: Counter, bare_per_s: float) -> dict[str, float]:
    decisions = rush.per_s(rush.decisions, rush.elapsed_s)
    grants = rush.per_s(rush.granted, rush.granting_s)
    p99 = counter.p99_ms()
    print(
        f"  {rush.name}: {rush.decisions:,} answers in {rush.elapsed_s:.1f} s"
        f" ({rush.granted:,} granted, {rush.sold_out:,} sold out, {rush.queued:,} queued),"
        f" CPU of one core: node {rush.server_cpu_s / rush.elapsed_s:.0%},"
        f" relay {rush.relay_cpu_s / rush.elapsed_s:.0%}"
    )
    print(
        f"    decisions {decisions:,.0f}/s = {decisions / bare_per_s:.2f} of bare"
        f" (goal >= {GOAL_DECISIONS}); durable grants {grants:,.0f}/s"
        f" (over {rush.granting_s:.1f} s) = {grants / bare_per_s:.2f} of bare"
        f" (goal >= {GOAL_GRANTS})"
    )
    print(
        f"    store redemptions meanwhile: {counter.ok:,} ok, p99 {p99:.1f} ms"
        f" (goal < {GOAL_P99_MS:.0f} ms), failures {len(counter.failures)}"
    )
    print("    the node's own: " + "; ".join(f"{k} {v}" for k, v in rush.node_side.items()))
    return {"decisions_per_s": decisions, "grants_per_s": grants, "redeem_p99_ms": p99}


def main() -> int:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="kippu-bench-") as tmp:
        home = make_home(Path(tmp) / "node", 1_000_000)
        text = home.config_path.read_text(encoding="utf-8")
        per_address = "max_connections_per_address = 128"
        text = text.replace(per_address, "max_connections_per_address = 4096")
        relay_port = free_port()
        if args.relay:
            text = text.replace('relay_listen = ""', f'relay_listen = "127.0.0.1:{relay_port}"')
        home.config_path.write_text(text, encoding="utf-8")
        people = asyncio.run(write_residents(home, args.people))
        bare_before = measure_bare(args)  # and again after: the machine's load moves
        log_path = Path(tmp) / "node.log"
        results, problems = [], []
        with running_node(home, log_path) as api:
            relay_url = f"http://127.0.0.1:{relay_port}" if args.relay else None
            relay = Relay(relay_url, relay_pid(home.root))
            store_id, vouchers = issue_vouchers(api, 64, 1_000_000)
            below = create_campaign(api, "先着 below demand", args.stock)
            above = create_campaign(api, "先着 above demand", args.people)
            half = len(people) // 2
            quiet_side, quiet = asyncio.run(
                run_phase(api, "quiet", below, [], store_id, vouchers, args, relay)
            )
            problems += quiet.failures[:5]
            for name, cid, stock, asking in (
                ("below demand", below, args.stock, people[:half]),
                ("above demand", above, args.people, people[half:]),
            ):
                rush, counter = asyncio.run(
                    run_phase(api, name, cid, asking, store_id, vouchers, args, relay)
                )
                problems += oversell_problems(api, cid, stock, rush)
                problems += rush.failures[:5] + counter.failures[:5]
                results.append((rush, counter))
            check = api.get("ledger/check")
            if check.get("ok") is not True:
                problems.append(f"ledger check failed: {check}")
        bare_after = measure_bare(args)
    bare_per_s = (bare_before.per_s + bare_after.per_s) / 2
    print(
        f"{BENCH}: {args.clients} clients asking"
        f" {'the rush relay' if args.relay else 'the node itself'}, {args.counters} store counters at"
        f" {args.redeem_rate:.0f} redemptions/s ({os.cpu_count()} cores,"
        f" Python {platform.python_version()})"
    )
    print(f"  before: {bare_before.summary()}")
    print(f"  after:  {bare_after.summary()}")
    print(f"  bare aiohttp, the mean of the two: {bare_per_s:,.0f}/s (the ratios below)")
    print(
        f"  store redemptions with no rush (the machine's own latency): {quiet.ok:,} ok,"
        f" p99 {quiet.p99_ms():.1f} ms; the node's own: "
        + "; ".join(f"{k} {v}" for k, v in quiet_side.node_side.items())
    )
    for rush, counter in results:
        figures = show_phase(rush, counter, bare_per_s)
        print(
            json.dumps(
                {
                    "bench": BENCH,
                    "phase": rush.name,
                    "bare_per_s": round(bare_per_s),
                    **{k: round(v, 1) for k, v in figures.items()},
                }
            )
        )
    print(f"  oversell and ledger: {'; '.join(problems) if problems else 'none, ledger ok'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
