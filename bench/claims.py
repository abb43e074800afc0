"""Benchmark: cross-company claims/s between two real nodes, beside signed bare aiohttp in the same run.

Starts two `kippu serve` processes on 127.0.0.1, A (the issuer) and B (the redeemer), and makes
them partners through their admin APIs (A invites, B joins). A issues vouchers; B adds a store. In
rounds, it fetches one-time QR payloads from A (untimed; each works once and for 30-60 s) and
redeems ¥1 with each at B through B's admin API, N clients at once (timed). B answers 201
"accepted" only once A's signed decision is back: A decided and booked the claim in one COMMIT
before it signed its reply, and B booked its receivable in another COMMIT before it answered (WAL
and `PRAGMA synchronous = FULL` on both), so each claim counted here is on disk on both sides. A
202 "pending" or any other answer is a failure. The same client code then sends the same bodies to
bench/bare_signed_server.py, each signed by the client with Ed25519, verified by the server, whose
signed reply the client verifies: the limit on this machine. Afterwards B's receivable from A,
A's payable to B and the drop of A's voucher balances must all equal the accepted ¥1 claims, and
both ledgers must check out. Prints the figures, then last one JSON line per figure (see DESIGN.md
"Quality bars").
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
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loadgen import (
    NOT_SENT,
    Decode,
    Encode,
    Phase,
    Reply,
    Request,
    child_pid,
    drive,
    new_session,
    parse_round_args,
    stop,
    wait_for_port,
)
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey
from redeem_local import issue_vouchers, make_home

from node.admin_client import AdminClient
from node.demo import free_port, running_node
from node.errors import KippuError
from node.home import new_admin_token

BENCH = "claims"
GOAL_RATIO = 0.50
REQUEST_TIMEOUT_S = 30.0
SETTLE_S = 30.0  # how long to wait for claims still in flight after the run (there should be none)
MAX_FAILURES_SHOWN = 10
BARE_MIN_REQUESTS = 20_000
BARE_SIGNED_SERVER = Path(__file__).with_name("bare_signed_server.py")


def parse_args() -> argparse.Namespace:
    return parse_round_args(
        __doc__.splitlines()[0],
        requests=6_000,
        seconds=40.0,
        round_size=1_000,
        vouchers=100,
        what="claims",
    )


@dataclass(frozen=True)
class Node:
    label: str
    api: AdminClient
    node_id: str
    pid: int | None
    log_path: Path


def start_node(stack: ExitStack, tmp: Path, label: str, name: str, yen: int) -> Node:
    home = make_home(tmp / label, yen, name)
    log_path = tmp / f"{label}.log"
    api = stack.enter_context(running_node(home, log_path))
    node_id = str(api.get("status")["node_id"])
    return Node(label, api, node_id, child_pid(f" {home.root} "), log_path)


def make_partners(a: Node, b: Node) -> None:
    """B joins A's invitation; both must then see an active partnership."""
    invite = a.api.post("peers/invite", {"valid_hours": 1})
    b.api.post("peers/join", {"invite": invite["invite"]})
    for node, other in ((a, b), (b, a)):
        status = balance_with(node, other).get("status")
        if status != "active":
            raise SystemExit(f"{node.label} sees the partnership with {other.label} as {status}")


def balance_with(node: Node, other: Node) -> dict[str, Any]:
    for entry in node.api.get("settlement/balances")["balances"]:
        if entry["peer"] == other.node_id:
            return dict(entry)
    raise SystemExit(f"{node.label} has no partner {other.label}")


def api_headers(api: AdminClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {api.token}", "Content-Type": "application/json"}


async def claim_rounds(
    a: Node, b: Node, store_id: str, vouchers: list[str], args: argparse.Namespace
) -> tuple[Phase, list[bytes], list[float]]:
    """Fetch payloads at A (untimed) and redeem them at B (timed), round by round; return the
    phase, the bodies sent and each round's rate."""
    phase = Phase("claims, POST /api/v1/redemptions at B", b.pid, a.pid, "issuer A")
    rates: list[float] = []
    codes_url = f"{a.api.base_url}/api/v1/vouchers"
    redeem_url = f"{b.api.base_url}/api/v1/redemptions"
    sent: list[bytes] = []
    claim_ids: set[str] = set()
    deadline = time.monotonic() + args.seconds
    async with (
        new_session(args.clients, api_headers(a.api), REQUEST_TIMEOUT_S) as at_a,
        new_session(args.clients, api_headers(b.api), REQUEST_TIMEOUT_S) as at_b,
    ):
        while len(sent) < args.requests and time.monotonic() < deadline:
            count = min(args.round, args.requests - len(sent))
            fetch: list[Request] = [
                ("GET", f"{codes_url}/{vouchers[(len(sent) + k) % len(vouchers)]}/code", None)
                for k in range(count)
            ]
            codes, _ = await drive(at_a, fetch, args.clients, deadline)
            bodies = []
            for status, raw in codes:
                if status != 200:
                    phase.failures.append(f"code fetch at A: HTTP {status}: {raw[:300]!r}")
                    continue
                claim = {"payload": json.loads(raw)["payload"], "amount": 1, "store_id": store_id}
                bodies.append(json.dumps(claim).encode())
            if not bodies:
                break  # every fetch failed: reported, nothing to redeem
            redeem: list[Request] = [("POST", redeem_url, sent_body) for sent_body in bodies]
            ok_before, elapsed_before = phase.ok, phase.elapsed_s
            replies = await phase.timed(at_b, redeem, args.clients, deadline)
            for body, reply in zip(bodies, replies, strict=True):
                if reply == NOT_SENT:
                    continue
                sent.append(body)
                claim_id = accepted_claim(reply)
                if claim_id is None:
                    phase.failures.append(describe_failure(reply))
                else:
                    phase.ok += 1
                    claim_ids.add(claim_id)
            if phase.elapsed_s > elapsed_before:
                rates.append((phase.ok - ok_before) / (phase.elapsed_s - elapsed_before))
    if len(claim_ids) != phase.ok:
        phase.failures.append(f"{phase.ok} claims accepted but {len(claim_ids)} distinct ids")
    return phase, sent, rates


def accepted_claim(reply: Reply) -> str | None:
    """The claim id of a 201 {status: accepted}; None for anything else."""
    status, raw = reply
    if status != 201:
        return None
    body = json.loads(raw)
    return str(body["claim_id"]) if body.get("status") == "accepted" else None


def describe_failure(reply: Reply) -> str:
    status, raw = reply
    if status == 202:
        return "claim: HTTP 202 pending (A's decision not back within B's wait)"
    if status > 0:
        try:
            error = json.loads(raw).get("error", {})
            return f"claim: HTTP {status} {error.get('code')}: {error.get('message')}"
        except (ValueError, AttributeError):
            pass
    return f"claim: HTTP {status}: {raw[:300]!r}"


def signed_codec(own: SigningKey, server: VerifyKey) -> tuple[Encode, Decode]:
    """The client's share of the limit: sign each body, verify each 201 reply."""

    def encode(body: bytes | None) -> bytes:
        return bytes(own.sign(body or b""))

    def decode(reply: Reply) -> Reply:
        status, raw = reply
        if status != 201:
            return reply
        try:
            return status, server.verify(raw)
        except BadSignatureError:
            return -2, b"the reply's signature does not verify"

    return encode, decode


async def bare_signed_rounds(
    port: int,
    own: SigningKey,
    server: VerifyKey,
    bodies: list[bytes],
    pid: int,
    args: argparse.Namespace,
) -> Phase:
    """The same client, concurrency, bodies and round sizes; one signature each way."""
    phase = Phase("bare aiohttp, signed POST and signed reply", pid)
    token = new_admin_token()  # a stand-in of the same length; the bare server does not check it
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/octet-stream"}
    url = f"http://127.0.0.1:{port}/api/v1/redemptions"
    count = max(len(bodies), BARE_MIN_REQUESTS)  # the same bodies again: a steadier figure
    pool = bodies or [b"{}"]  # no claim was sent: still measure the limit
    requests: list[Request] = [("POST", url, pool[i % len(pool)]) for i in range(count)]
    encode, decode = signed_codec(own, server)
    deadline = time.monotonic() + args.seconds
    async with new_session(args.clients, headers, REQUEST_TIMEOUT_S) as session:
        warm_up = requests[: args.clients * 8]
        await drive(session, warm_up, args.clients, deadline, encode, decode)
        for start in range(0, len(requests), args.round):
            part = requests[start : start + args.round]
            for status, raw in await phase.timed(
                session, part, args.clients, deadline, encode, decode
            ):
                if status == 201:
                    phase.ok += 1
                else:
                    phase.failures.append(f"bare signed: HTTP {status}: {raw[:300]!r}")
    return phase


def measure_bare_signed(bodies: list[bytes], args: argparse.Namespace) -> Phase:
    port, own = free_port(), SigningKey.generate()
    command = [sys.executable, str(BARE_SIGNED_SERVER), "--port", str(port)]
    command += ["--client-key", bytes(own.verify_key).hex()]
    process = subprocess.Popen(command, stdout=subprocess.PIPE)
    try:
        assert process.stdout is not None
        server = VerifyKey(bytes.fromhex(process.stdout.readline().decode().strip()))
        wait_for_port(process, port)
        return asyncio.run(bare_signed_rounds(port, own, server, bodies, process.pid, args))
    finally:
        stop(process)


def settle(a: Node, b: Node) -> int:
    """Wait until B has no claim on A in flight (each 202 leaves one); return what is left."""
    deadline = time.monotonic() + SETTLE_S
    while (pending := int(balance_with(b, a)["pending"])) and time.monotonic() < deadline:
        b.api.post("peers/sync")
        time.sleep(0.5)
    return pending


def books_problems(a: Node, b: Node, a_before: dict[str, Any], accepted: int) -> list[str]:
    """Both sides' books against the accepted ¥1 claims; each problem as one line."""
    try:
        pending = settle(a, b)
        receivable = balance_with(b, a)["receivable"]
        payable = balance_with(a, b)["payable"]
        checks = {node.label: node.api.get("ledger/check") for node in (a, b)}
    except KippuError as exc:
        return [f"reading the books after the run failed: {exc}"]
    problems = []
    if pending:
        problems.append(f"¥{pending:,} of B's claims on A still pending {SETTLE_S:.0f} s later")
    if not receivable == payable == accepted:
        problems.append(
            f"B's receivable from A ¥{receivable:,}, A's payable to B ¥{payable:,}, "
            f"{accepted:,} claims of ¥1 accepted"
        )
    for label, check in checks.items():
        if check.get("ok") is not True:
            problems.append(f"GET /api/v1/ledger/check at {label} is not ok: {check}")
    dropped = a_before["voucher_balances"] - checks["A"]["voucher_balances"]
    if dropped != accepted:
        problems.append(f"A's vouchers dropped by ¥{dropped:,}, {accepted:,} claims accepted")
    return problems


def report(
    claims: Phase, rates: list[float], bare: Phase, problems: list[str], args: argparse.Namespace
) -> None:
    ratio = claims.per_s / bare.per_s if bare.per_s else 0.0
    p50, p99 = claims.percentile_ms(0.50), claims.percentile_ms(0.99)
    print(
        f"{BENCH}: {args.clients} concurrent clients, {len(claims.latencies_s):,} claims of ¥1"
        f" at B on A's vouchers ({os.cpu_count()} cores, Python {platform.python_version()})"
    )
    print(f"  {claims.summary()}")
    print(f"    per round of up to {args.round:,}: " + ", ".join(f"{r:,.0f}/s" for r in rates))
    print(f"  {bare.summary()}")
    print(f"  ratio {ratio:.2f} of bare signed aiohttp (goal >= {GOAL_RATIO}): ", end="")
    print("met" if ratio >= GOAL_RATIO else "NOT met")
    print(
        "  durable: each 201 came after A's COMMIT of its decision and B's COMMIT of the"
        " booking (WAL, synchronous=FULL on both)"
    )
    failures = Counter(claims.failures + bare.failures + problems)
    verdict = (
        "both ledger checks ok; B's receivable = A's payable = A's voucher drop = accepted claims"
    )
    total = failures.total()
    print(f"  correctness: {total} problem(s)" if total else f"  correctness: {verdict}")
    for line, times in failures.most_common(MAX_FAILURES_SHOWN):
        print(f"    {times} x {line}")
    if len(failures) > MAX_FAILURES_SHOWN:
        print(f"    ... and {len(failures) - MAX_FAILURES_SHOWN} other kinds")
    figure = {
        "bench": BENCH,
        "metric": "claims_per_s",
        "value": round(claims.per_s),
        "limit_metric": "bare_signed_req_per_s",
        "limit": round(bare.per_s),
        "ratio": round(ratio, 2),
        "p50_ms": None if math.isnan(p50) else round(p50, 2),
        "p99_ms": None if math.isnan(p99) else round(p99, 2),
    }
    print(json.dumps(figure), flush=True)


def show_log_tails(nodes: tuple[Node, ...], lines: int = 20) -> None:
    """Each node's last log lines, on stderr, to explain failures (the homes are deleted after)."""
    sys.stdout.flush()
    for node in nodes:
        text = node.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        print(
            f"last {lines} lines of {node.label}'s log:",
            *text[-lines:],
            sep="\n  ",
            file=sys.stderr,
        )


def main() -> int:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="kippu-bench-claims-") as tmp:
        with ExitStack() as stack:
            a = start_node(stack, Path(tmp), "A", "Bench 居酒屋 A (issuer)", args.voucher_yen)
            b = start_node(stack, Path(tmp), "B", "Bench Trattoria B (redeemer)", 1_000_000)
            make_partners(a, b)
            store_id = str(b.api.post("stores", {"name": "B 駅前店 Bench"})["store_id"])
            _, vouchers = issue_vouchers(a.api, args.vouchers, args.voucher_yen)
            a_before = a.api.get("ledger/check")
            claims, bodies, rates = asyncio.run(claim_rounds(a, b, store_id, vouchers, args))
            problems = books_problems(a, b, a_before, claims.ok)
            if claims.failures or problems:
                show_log_tails((a, b))
        bare = measure_bare_signed(bodies, args)
    report(claims, rates, bare, problems, args)
    return 1 if claims.failures or bare.failures or problems else 0


if __name__ == "__main__":
    sys.exit(main())
