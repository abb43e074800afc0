"""Benchmark: card purchases/s from Stripe's webhook to the issued voucher, against localstripe,
beside bare aiohttp in the same run.

Starts localstripe (a child process, its store in memory) and `kippu serve` on a temporary home
whose `[stripe]` points at it. Before the node starts: one product (¥10,000 for ¥9,500), one
customer, and N card payments, each with a PaymentIntent created and confirmed at localstripe
through the stripe SDK (untimed). Timed: N signed `payment_intent.succeeded` webhooks (the
intents as localstripe returns them, signed with the webhook secret as Stripe signs them) posted
to POST /stripe/webhook by C concurrent clients; each 200 is answered after the writer's commit
that issued the voucher (WAL, synchronous=FULL), so every 200 is a durable purchase. The same
client then posts the same signed bodies to bench/bare_server.py. Afterwards: the ledger checks
out, the vouchers' balances grew by exactly N x ¥10,000, and a replay of every webhook changes
nothing. Prints the figures, then one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import stripe
from loadgen import Phase, child_pid, cpu_seconds, stop, wait_for_port

from node import db
from node.admin_client import AdminClient
from node.app import prepare_database
from node.config import ListenAddress
from node.demo import free_port, running_node
from node.home import NodeHome, init_home
from node.ledger import operations as ledger_operations
from node.payments import actions, operations
from node.products import core as product_core
from node.products import operations as product_operations
from node.products.core import ProductTerms
from node.products.model import Product

BENCH = "purchase"
SECRET_KEY, PUBLISHABLE_KEY, WEBHOOK_SECRET = "sk_test_bench", "pk_test_bench", "whsec_bench"
FACE_YEN, PRICE_YEN = 10_000, 9_500
BARE_SERVER = Path(__file__).with_name("bare_server.py")
LOCALSTRIPE = (
    "import localstripe.resources as r; r.store.dump_to_disk = lambda: None;"
    " from localstripe.server import start; start()"
)
MAX_FAILURES_SHOWN = 10
Signed = tuple[bytes, str]  # body, Stripe-Signature


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--purchases", type=int, default=1_000, help="purchases (1000)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (32)")
    args = parser.parse_args()
    if not (1 <= args.purchases <= 20_000 and 1 <= args.clients <= 512):
        parser.error("need 1-20000 purchases and 1-512 clients")
    return args


def make_home(root: Path, api_base: str) -> NodeHome:
    home = NodeHome(root)
    init_home(home, "Bench 商店", ListenAddress("127.0.0.1", free_port()))
    text = home.config_path.read_text(encoding="utf-8")
    for empty, given in {
        'secret_key = ""': f'secret_key = "{SECRET_KEY}"',
        'publishable_key = ""': f'publishable_key = "{PUBLISHABLE_KEY}"',
        'webhook_secret = ""': f'webhook_secret = "{WEBHOOK_SECRET}"',
        'api_base = ""': f'api_base = "{api_base}"',
    }.items():
        text = text.replace(empty, given)
    home.config_path.write_text(text, encoding="utf-8")
    prepare_database(home.database_path)
    return home


def intents(api_base: str, count: int) -> list[dict[str, Any]]:
    """`count` PaymentIntents confirmed at localstripe (untimed), as its API returns them."""
    client = stripe.StripeClient(
        SECRET_KEY, base_addresses={"api": api_base}, max_network_retries=0
    )
    token = client.v1.tokens.create(
        {
            "card": {
                "number": "4242424242424242",
                "exp_month": "12",
                "exp_year": "2031",
                "cvc": "123",
            }
        }  # type: ignore[typeddict-item]
    )
    made = []
    for n in range(count):
        params: Any = {
            "amount": PRICE_YEN,
            "currency": "jpy",
            "payment_method": token.card.id,  # type: ignore[union-attr]
            "payment_method_types": ["card"],
            "confirm": True,
            "metadata": {"payment_id": f"cp_bench{n:06d}"},
        }
        made.append(client.v1.payment_intents.create(params).to_dict())
    return made


ZONE = ZoneInfo("Asia/Tokyo")  # the zone `kippu init` writes, the bench node's


def seed(home: NodeHome, made: list[dict[str, Any]]) -> None:
    """The product, the customer and the pending payments, in the node's database (untimed)."""
    now = datetime.now(UTC)
    terms = ProductTerms("ベンチ商品券", FACE_YEN, PRICE_YEN, valid_days=180)
    product: Product = product_core.new_product(terms, "pr_bench", now, 1_000_000)
    conn = db.connect(home.database_path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        product_operations.add_product(product)(conn)
        ledger_operations.add_customer("cu_bench", "ベンチ 花子", "bench@example.jp", now)(conn)
        for intent in made:
            payment_id = intent["metadata"]["payment_id"]
            operations.start(actions.new_payment(product, "cu_bench", payment_id, now), ZONE)(conn)
            operations.attach_intent(payment_id, intent["id"], now)(conn)
        conn.execute("COMMIT")
    finally:
        conn.close()


def signed_webhooks(made: list[dict[str, Any]], tag: str) -> list[Signed]:
    events = []
    for n, intent in enumerate(made):
        event = {
            "id": f"evt_{tag}{n:06d}",
            "object": "event",
            "type": "payment_intent.succeeded",
            "created": int(time.time()),
            "data": {"object": intent},
        }
        payload = json.dumps(event, indent=2, sort_keys=True).encode()
        events.append((payload, sign(payload)))
    return events


def sign(payload: bytes) -> str:
    stamp = int(time.time())
    mac = hmac.new(WEBHOOK_SECRET.encode(), b"%d.%s" % (stamp, payload), hashlib.sha256)
    return f"t={stamp},v1={mac.hexdigest()}"


async def post_all(url: str, bodies: list[Signed], clients: int, phase: Phase) -> list[int]:
    """Every signed body posted once, `clients` at a time; timed into `phase`."""
    statuses = [-1] * len(bodies)
    pending = iter(range(len(bodies)))

    async def client(session: aiohttp.ClientSession) -> None:
        for i in pending:
            payload, signature = bodies[i]
            headers = {"Stripe-Signature": signature, "Content-Type": "application/json"}
            started = time.perf_counter()
            try:
                async with session.post(url, data=payload, headers=headers) as response:
                    await response.read()
                    statuses[i] = response.status
            except (aiohttp.ClientError, TimeoutError) as exc:
                phase.failures.append(f"no answer: {exc!r}")
            phase.latencies_s.append(time.perf_counter() - started)

    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as session:
        client_cpu, server_cpu = time.process_time(), cpu_seconds(phase.server_pid)
        started = time.perf_counter()
        async with asyncio.TaskGroup() as group:
            for _ in range(min(clients, len(bodies))):
                group.create_task(client(session))
        phase.elapsed_s += time.perf_counter() - started
        phase.client_cpu_s += time.process_time() - client_cpu
        phase.server_cpu_s += cpu_seconds(phase.server_pid) - server_cpu
    return statuses


async def purchase(api: AdminClient, bodies: list[Signed], clients: int) -> Phase:
    phase = Phase("kippu node, POST /stripe/webhook (issue)", child_pid(" serve "))
    statuses = await post_all(f"{api.base_url}/stripe/webhook", bodies, clients, phase)
    phase.ok = statuses.count(200)
    phase.failures += [f"webhook: HTTP {s}" for s in statuses if s != 200]
    return phase


def after_run(api: AdminClient, bodies: list[Signed], before: dict[str, Any], n: int) -> list[str]:
    problems = []
    after = api.get("ledger/check")
    if after.get("ok") is not True:
        problems.append(f"GET /api/v1/ledger/check is not ok after the run: {after}")
    grown = after["voucher_balances"] - before["voucher_balances"]
    if grown != n * FACE_YEN:
        problems.append(f"balances grew by ¥{grown:,}, but {n:,} vouchers of ¥{FACE_YEN:,} issued")
    replay = Phase("replay", None)
    statuses = asyncio.run(post_all(f"{api.base_url}/stripe/webhook", bodies[:100], 8, replay))
    if any(s != 200 for s in statuses) or api.get("ledger/check") != after:
        problems.append("a replayed webhook changed the books")
    return problems


def measure_bare(bodies: list[Signed], clients: int) -> Phase:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(BARE_SERVER), "--port", str(port)], stdout=subprocess.DEVNULL
    )
    try:
        wait_for_port(process, port)
        phase = Phase("bare aiohttp, POST with a small JSON reply", process.pid)
        statuses = asyncio.run(
            post_all(f"http://127.0.0.1:{port}/stripe/webhook", bodies, clients, phase)
        )
        phase.ok = sum(1 for s in statuses if s == 201)
        return phase
    finally:
        stop(process)


def report(node: Phase, bare: Phase, problems: list[str], args: argparse.Namespace) -> None:
    ratio = node.per_s / bare.per_s if bare.per_s else 0.0
    print(
        f"{BENCH}: {args.clients} concurrent clients, {node.ok:,} card purchases of"
        f" ¥{FACE_YEN:,} for ¥{PRICE_YEN:,} ({os.cpu_count()} cores, Python"
        f" {platform.python_version()})"
    )
    print(f"  {node.summary()}")
    print(f"  {bare.summary()}")
    print(f"  ratio {ratio:.2f} of bare aiohttp")
    print("  durable: each 200 came after the commit that issued its voucher (synchronous=FULL)")
    failures = Counter(node.failures + bare.failures + problems)
    verdict = "ledger check ok, balances grew by exactly the vouchers, replays changed nothing"
    print(
        f"  correctness: {failures.total()} problem(s)" if failures else f"  correctness: {verdict}"
    )
    for line, times in failures.most_common(MAX_FAILURES_SHOWN):
        print(f"    {times} x {line}")
    figure = {
        "bench": BENCH,
        "metric": "purchases_per_s",
        "value": round(node.per_s),
        "limit_metric": "bare_aiohttp_req_per_s",
        "limit": round(bare.per_s),
        "ratio": round(ratio, 2),
        "p50_ms": round(node.percentile_ms(0.50), 2),
        "p99_ms": round(node.percentile_ms(0.99), 2),
    }
    print(json.dumps(figure), flush=True)


def main() -> int:
    args = parse_args()
    port = free_port()
    localstripe = subprocess.Popen(
        [sys.executable, "-c", LOCALSTRIPE, "--port", str(port), "--from-scratch"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(localstripe, port)
        api_base = f"http://127.0.0.1:{port}"
        with tempfile.TemporaryDirectory(prefix="kippu-bench-") as tmp:
            home = make_home(Path(tmp) / "node", api_base)
            made = intents(api_base, args.purchases)
            seed(home, made)
            bodies = signed_webhooks(made, "bench")
            with running_node(home, Path(tmp) / "node.log") as api:
                before = api.get("ledger/check")
                node = asyncio.run(purchase(api, bodies, args.clients))
                problems = after_run(api, bodies, before, node.ok)
    finally:
        stop(localstripe)
    bare = measure_bare(bodies, args.clients)
    report(node, bare, problems, args)
    return 1 if node.failures or bare.failures or problems else 0


if __name__ == "__main__":
    sys.exit(main())
