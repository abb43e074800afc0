"""Benchmark: durable redemptions/s through a real node's admin API, beside bare aiohttp in the same run.

Starts `kippu serve` on a temporary home, issues vouchers, and in rounds fetches one-time QR payloads
(untimed; each works once and for 30-60 s) then redeems ¥1 with each, N clients at once (timed).
Every redemption is answered only after the group commit holding it returned, with WAL and
`PRAGMA synchronous = FULL`, so each 201 counted here is on disk. The same client code then replays
the same request bodies against bench/bare_server.py, the HTTP limit on this machine. Afterwards the
ledger must check out and the vouchers' balances must have dropped by exactly the ¥1 redemptions.
Prints the figures, then last one JSON line per figure (see DESIGN.md "Quality bars").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from loadgen import (
    NOT_SENT,
    Phase,
    Request,
    child_pid,
    drive,
    new_session,
    parse_round_args,
    stop,
    wait_for_port,
)

from node.admin_client import AdminClient
from node.app import prepare_database
from node.config import ListenAddress, load_config
from node.demo import free_port, running_node
from node.errors import KippuError
from node.home import NodeHome, init_home, new_admin_token

BENCH = "redeem_local"
GOAL_RATIO = 0.25
GOAL_P99_MS = 50.0
REQUEST_TIMEOUT_S = 30.0
MAX_FAILURES_SHOWN = 10
BARE_SERVER = Path(__file__).with_name("bare_server.py")


def parse_args() -> argparse.Namespace:
    return parse_round_args(
        __doc__.splitlines()[0],
        requests=20_000,
        seconds=90.0,
        round_size=4_000,
        vouchers=200,
        what="redemptions",
    )


def make_home(root: Path, max_voucher_yen: int, name: str = "Bench 居酒屋") -> NodeHome:
    """A fresh node home on a free port, its per-voucher limit raised to fit the bench's vouchers."""
    home = NodeHome(root)
    init_home(home, name, ListenAddress("127.0.0.1", free_port()))
    default = "max_voucher_yen = 1000000\n"
    text = home.config_path.read_text(encoding="utf-8")
    home.config_path.write_text(
        text.replace(default, f"max_voucher_yen = {max(max_voucher_yen, 1)}\n"), encoding="utf-8"
    )
    if load_config(home.config_path).ledger.max_voucher_yen < max_voucher_yen:
        raise SystemExit(f"could not set ledger.max_voucher_yen in {home.config_path}")
    prepare_database(home.database_path)
    return home


def issue_vouchers(api: AdminClient, count: int, face_yen: int) -> tuple[str, list[str]]:
    store = api.post("stores", {"name": "ベンチ店 Bench"})
    vouchers = [
        api.post("vouchers", {"amount": face_yen, "store_id": store["store_id"]})["voucher_id"]
        for _ in range(count)
    ]
    return str(store["store_id"]), vouchers


async def redeem_rounds(
    api: AdminClient, store_id: str, vouchers: list[str], args: argparse.Namespace
) -> tuple[Phase, list[bytes]]:
    """Fetch payloads (untimed) and redeem them (timed), round by round; return the bodies sent."""
    phase = Phase("kippu node, POST /api/v1/redemptions", child_pid(" serve "))
    headers = {"Authorization": f"Bearer {api.token}", "Content-Type": "application/json"}
    base = f"{api.base_url}/api/v1"
    sent: list[bytes] = []
    receipts: set[str] = set()
    deadline = time.monotonic() + args.seconds
    async with new_session(args.clients, headers, REQUEST_TIMEOUT_S) as session:
        while len(sent) < args.requests and time.monotonic() < deadline:
            count = min(args.round, args.requests - len(sent))
            fetch: list[Request] = [
                ("GET", f"{base}/vouchers/{vouchers[(len(sent) + k) % len(vouchers)]}/code", None)
                for k in range(count)
            ]
            codes, _ = await drive(session, fetch, args.clients, deadline)
            bodies = []
            for status, raw in codes:
                if status != 200:
                    phase.failures.append(f"code fetch: HTTP {status}: {raw[:300]!r}")
                    continue
                payload = json.loads(raw)["payload"]
                body = {"payload": payload, "amount": 1, "store_id": store_id}
                bodies.append(json.dumps(body).encode())
            if not bodies:
                break  # every fetch failed: reported, nothing to redeem
            redeem: list[Request] = [("POST", f"{base}/redemptions", b) for b in bodies]
            replies = await phase.timed(session, redeem, args.clients, deadline)
            for body, (status, raw) in zip(bodies, replies, strict=True):
                if status == 201:
                    phase.ok += 1
                    receipts.add(json.loads(raw)["receipt_no"])
                else:
                    phase.failures.append(f"redemption: HTTP {status}: {raw[:300]!r}")
                if (status, raw) != NOT_SENT:
                    sent.append(body)
    if len(receipts) != phase.ok:
        phase.failures.append(
            f"{phase.ok} redemptions but {len(receipts)} distinct receipt numbers"
        )
    return phase, sent


async def bare_rounds(port: int, bodies: list[bytes], pid: int, args: argparse.Namespace) -> Phase:
    """The same client, concurrency, headers, bodies and round sizes against bare aiohttp."""
    phase = Phase("bare aiohttp, POST with a small JSON reply", pid)
    token = new_admin_token()  # a stand-in of the same length; the bare server does not check it
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    url = f"http://127.0.0.1:{port}/api/v1/redemptions"
    requests: list[Request] = [("POST", url, b) for b in bodies]
    deadline = time.monotonic() + args.seconds
    async with new_session(args.clients, headers, REQUEST_TIMEOUT_S) as session:
        await drive(session, requests[: args.clients * 8], args.clients, deadline)  # connect
        for start in range(0, len(requests), args.round):
            for status, raw in await phase.timed(
                session, requests[start : start + args.round], args.clients, deadline
            ):
                if status == 201:
                    phase.ok += 1
                else:
                    phase.failures.append(f"bare: HTTP {status}: {raw[:300]!r}")
    return phase


def measure_bare(bodies: list[bytes], args: argparse.Namespace) -> Phase:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(BARE_SERVER), "--port", str(port)],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(process, port)
        return asyncio.run(bare_rounds(port, bodies, process.pid, args))
    finally:
        stop(process)


def ledger_problems(before: dict[str, Any], after: dict[str, Any], redeemed: int) -> list[str]:
    problems = []
    if after.get("ok") is not True:
        problems.append(f"GET /api/v1/ledger/check is not ok after the run: {after}")
    dropped = before["voucher_balances"] - after["voucher_balances"]
    if dropped != redeemed:
        problems.append(
            f"balances dropped by ¥{dropped:,}, but {redeemed:,} ¥1 redemptions got 201"
        )
    return problems


def report(node: Phase, bare: Phase, problems: list[str], args: argparse.Namespace) -> None:
    ratio = node.per_s / bare.per_s if bare.per_s else 0.0
    p50, p99 = node.percentile_ms(0.50), node.percentile_ms(0.99)
    print(
        f"{BENCH}: {args.clients} concurrent clients, {len(node.latencies_s):,} redemptions of ¥1"
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
    verdict = "ledger check ok, balances dropped by exactly the redemptions"
    total = failures.total()
    print(f"  correctness: {total} problem(s)" if total else f"  correctness: {verdict}")
    for line, times in failures.most_common(MAX_FAILURES_SHOWN):
        print(f"    {times} x {line}")
    if len(failures) > MAX_FAILURES_SHOWN:
        print(f"    ... and {len(failures) - MAX_FAILURES_SHOWN} other kinds")
    figure = {
        "bench": BENCH,
        "metric": "redemptions_per_s",
        "value": round(node.per_s),
        "limit_metric": "bare_aiohttp_req_per_s",
        "limit": round(bare.per_s),
        "ratio": round(ratio, 2),
        "p50_ms": None if math.isnan(p50) else round(p50, 2),
        "p99_ms": None if math.isnan(p99) else round(p99, 2),
    }
    print(json.dumps(figure), flush=True)


def after_run(api: AdminClient, before: dict[str, Any], redeemed: int) -> list[str]:
    try:
        return ledger_problems(before, api.get("ledger/check"), redeemed)
    except KippuError as exc:
        return [f"GET /api/v1/ledger/check failed after the run: {exc}"]


def show_log_tail(log_path: Path, lines: int = 20) -> None:
    """The node's last log lines, on stderr, to explain failures (the home is deleted after)."""
    sys.stdout.flush()
    text = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    print(f"last {lines} lines of the node's log:", *text[-lines:], sep="\n  ", file=sys.stderr)


def main() -> int:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="kippu-bench-") as tmp:
        home = make_home(Path(tmp) / "node", args.voucher_yen)
        log_path = Path(tmp) / "node.log"
        with running_node(home, log_path) as api:
            store_id, vouchers = issue_vouchers(api, args.vouchers, args.voucher_yen)
            before = api.get("ledger/check")
            node, bodies = asyncio.run(redeem_rounds(api, store_id, vouchers, args))
            problems = after_run(api, before, node.ok)
        if node.failures or problems:
            show_log_tail(log_path)
        bare = measure_bare(bodies, args)
    report(node, bare, problems, args)
    return 1 if node.failures or bare.failures or problems else 0


if __name__ == "__main__":
    sys.exit(main())
