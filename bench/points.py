"""Benchmark: durable points earns and uses/s through the POS API (integration key), beside bare aiohttp.

Starts `kippu serve` on a temporary home, makes members (each given a large opening balance by an
adjustment, so no use runs short), a store and a POS key of scope write. Then, in rounds: fetch
one fresh card code per use with the admin token (untimed: a code is the member's wallet's, once,
for 30-60 s), and send half earns (`POST /api/v1/points/earn`, member number, ¥1,000: 10 points)
and half uses (`POST /api/v1/points/use`, the card code, 1 point), interleaved, each with its own
transaction id, from N clients at once with the POS key (timed). Each 201 comes after the group
commit that holds its entry (WAL, synchronous=FULL). The same client code then replays the same
bodies against bench/bare_server.py. Afterwards the members' balances must have moved by exactly
the earns and uses answered 201, and the points journal must sum to zero.
Prints the figures, then last one JSON line (see DESIGN.md "Quality bars").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from loadgen import NOT_SENT, Phase, Request, child_pid, drive, new_session
from redeem_local import make_home, measure_bare, show_log_tail

from node.admin_client import AdminClient
from node.demo import running_node
from node.errors import KippuError
from node.points import tables

BENCH = "points"
GOAL_RATIO = 0.25
GOAL_P99_MS = 50.0
REQUEST_TIMEOUT_S = 30.0
MAX_FAILURES_SHOWN = 10
OPENING_POINTS = 1_000_000
PURCHASE_YEN = 1_000
EARNED_EACH = 10  # the built-in program: 1 point per ¥100, floor
USED_EACH = 1


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=64, help="concurrent clients (64)")
    parser.add_argument("--requests", type=int, default=20_000, help="earns and uses (20000)")
    parser.add_argument("--seconds", type=float, default=90.0, help="stop after (90 s of rounds)")
    parser.add_argument("--round", type=int, default=4_000, help="requests per round (4000)")
    parser.add_argument("--members", type=int, default=200, help="members (200)")
    args = parser.parse_args()
    if not (1 <= args.clients <= 1024 and 1 <= args.members <= 10_000 and args.requests >= 2):
        parser.error("need 1-1024 clients, 1-10000 members and at least two requests")
    if not 2 <= args.round <= 10_000:
        parser.error("--round must be 2-10000 (a card code must be used within 30 s)")
    return args


@dataclass(frozen=True)
class Setup:
    store_id: str
    pos_key: str
    members: list[tuple[str, str]]  # (customer id, member number)


def set_up(api: AdminClient, count: int) -> Setup:
    store = api.post("stores", {"name": "ベンチ店 Bench"})["store_id"]
    key = api.post("apikeys", {"name": "bench POS", "scope": "write"})["key"]
    members = []
    for i in range(count):
        customer = api.post("customers", {"name": f"会員 {i}"})["customer_id"]
        member_no = api.post(f"customers/{customer}/member")["member_no"]
        api.post(f"members/{member_no}/adjust", {"points": OPENING_POINTS, "reason": "bench"})
        members.append((str(customer), str(member_no)))
    return Setup(str(store), str(key), members)


@dataclass
class Tally:
    earned: Counter[str]  # member number -> earns answered 201
    used: Counter[str]  # member number -> uses answered 201


async def fetch_codes(
    api: AdminClient, members: list[tuple[str, str]], clients: int, deadline: float
) -> tuple[list[tuple[str, str]], list[str]]:
    """(member number, fresh card payload) for each member given, and the failures."""
    headers = {"Authorization": f"Bearer {api.token}"}
    base = f"{api.base_url}/api/v1"
    fetch: list[Request] = [
        ("GET", f"{base}/customers/{customer}/member/card", None) for customer, _ in members
    ]
    async with new_session(clients, headers, REQUEST_TIMEOUT_S) as session:
        replies, _ = await drive(session, fetch, clients, deadline)
    codes, failures = [], []
    for (_, member_no), (status, raw) in zip(members, replies, strict=True):
        if status == 200:
            codes.append((member_no, json.loads(raw)["payload"]))
        else:
            failures.append(f"card code: HTTP {status}: {raw[:300]!r}")
    return codes, failures


def round_bodies(
    setup: Setup, codes: list[tuple[str, str]], start: int
) -> list[tuple[str, str, bytes]]:
    """(kind, member number, body) of one round: an earn, then a use, and so on."""
    bodies = []
    for k, (member_no, payload) in enumerate(codes):
        n = start + 2 * k
        earner = setup.members[n % len(setup.members)][1]
        earn = {
            "member": earner,
            "purchase_yen": PURCHASE_YEN,
            "txn": f"bench-{n}",
            "store_id": setup.store_id,
        }
        use = {"member": payload, "points": USED_EACH, "txn": f"bench-{n + 1}"}
        bodies.append(("earn", earner, json.dumps(earn).encode()))
        bodies.append(("use", member_no, json.dumps(use).encode()))
    return bodies


async def pos_rounds(
    api: AdminClient, setup: Setup, args: argparse.Namespace
) -> tuple[Phase, Tally, list[bytes]]:
    """Fetch card codes (untimed) and send earns and uses with the POS key (timed), by round."""
    phase = Phase("kippu node, POST /api/v1/points/earn and /use (POS key)", child_pid(" serve "))
    headers = {"Authorization": f"Bearer {setup.pos_key}", "Content-Type": "application/json"}
    base = f"{api.base_url}/api/v1/points"
    tally = Tally(Counter(), Counter())
    sent: list[bytes] = []
    deadline = time.monotonic() + args.seconds
    async with new_session(args.clients, headers, REQUEST_TIMEOUT_S) as session:
        while len(sent) < args.requests and time.monotonic() < deadline:
            pairs = min(args.round, args.requests - len(sent)) // 2 or 1
            users = [setup.members[(len(sent) // 2 + k) % len(setup.members)] for k in range(pairs)]
            codes, failures = await fetch_codes(api, users, args.clients, deadline)
            phase.failures += failures
            if not codes:
                break
            bodies = round_bodies(setup, codes, len(sent))
            requests: list[Request] = [("POST", f"{base}/{kind}", b) for kind, _, b in bodies]
            replies = await phase.timed(session, requests, args.clients, deadline)
            for (kind, member_no, body), (status, raw) in zip(bodies, replies, strict=True):
                if status == 201:
                    phase.ok += 1
                    (tally.earned if kind == "earn" else tally.used)[member_no] += 1
                else:
                    phase.failures.append(f"{kind}: HTTP {status}: {raw[:300]!r}")
                if (status, raw) != NOT_SENT:
                    sent.append(body)
    return phase, tally, sent


def balance_problems(api: AdminClient, setup: Setup, tally: Tally) -> list[str]:
    problems = []
    for _, member_no in setup.members:
        expected = (
            OPENING_POINTS
            + EARNED_EACH * tally.earned[member_no]
            - USED_EACH * tally.used[member_no]
        )
        found = api.get(f"members/{member_no}/points")["balance"]
        if found != expected:
            problems.append(f"member {member_no}: balance {found}, expected {expected}")
    return problems


def books_problems(database: Path) -> list[str]:
    """The points journal, read from the file after the node stopped: every entry balanced."""
    conn = sqlite3.connect(database)
    conn.row_factory = sqlite3.Row
    try:
        total = sum(tables.account_sums(conn).values())
    finally:
        conn.close()
    return [] if total == 0 else [f"the points journal sums to {total}, not 0"]


def report(node: Phase, bare: Phase, problems: list[str], args: argparse.Namespace) -> None:
    ratio = node.per_s / bare.per_s if bare.per_s else 0.0
    p50, p99 = node.percentile_ms(0.50), node.percentile_ms(0.99)
    print(
        f"{BENCH}: {args.clients} concurrent clients, {len(node.latencies_s):,} earns and uses"
        f" ({os.cpu_count()} cores, Python {platform.python_version()})"
    )
    print(f"  {node.summary()}")
    print(f"  {bare.summary()}")
    print(f"  ratio {ratio:.2f} of bare aiohttp (goal >= {GOAL_RATIO}): ", end="")
    print("met" if ratio >= GOAL_RATIO else "NOT met")
    print(f"  p99 {p99:.1f} ms (goal < {GOAL_P99_MS:.0f} ms): ", end="")
    print("met" if p99 < GOAL_P99_MS else "NOT met")
    print("  durable: each 201 came after its group commit returned (WAL, synchronous=FULL)")
    failures = Counter(node.failures + bare.failures + problems)
    verdict = "balances moved by exactly the earns and uses, the points journal sums to 0"
    total = failures.total()
    print(f"  correctness: {total} problem(s)" if total else f"  correctness: {verdict}")
    for line, times in failures.most_common(MAX_FAILURES_SHOWN):
        print(f"    {times} x {line}")
    figure = {
        "bench": BENCH,
        "metric": "earn_use_per_s",
        "value": round(node.per_s),
        "limit_metric": "bare_aiohttp_req_per_s",
        "limit": round(bare.per_s),
        "ratio": round(ratio, 2),
        "p50_ms": None if math.isnan(p50) else round(p50, 2),
        "p99_ms": None if math.isnan(p99) else round(p99, 2),
    }
    print(json.dumps(figure), flush=True)


def main() -> int:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="kippu-bench-") as tmp:
        home = make_home(Path(tmp) / "node", 1_000_000)
        log_path = Path(tmp) / "node.log"
        with running_node(home, log_path) as api:
            setup = set_up(api, args.members)
            node, tally, bodies = asyncio.run(pos_rounds(api, setup, args))
            try:
                problems = balance_problems(api, setup, tally)
            except KippuError as exc:
                problems = [f"reading the balances failed after the run: {exc}"]
        problems += books_problems(home.database_path)
        if node.failures or problems:
            show_log_tail(log_path)
        bare = measure_bare(bodies, args)
    report(node, bare, problems, args)
    return 1 if node.failures or bare.failures or problems else 0


if __name__ == "__main__":
    sys.exit(main())
