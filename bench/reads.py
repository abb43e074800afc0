"""Benchmark: counter redemptions while head office reads reports, beside bare aiohttp in the same run.

Builds books of realistic size first (default 40,000 redemptions over 30 days at 5 stores: 2,000
vouchers used 10 times each and 20 vouchers used 1,000 times each, the case that made the
redemptions CSV quadratic), written through the node's own writer and ledger operations. Then
starts `kippu serve` on them and measures redemptions at the counter (POST /staff/redeem, as a
signed-in member of staff with the code fetched untimed from the admin API):

  quiet         redemptions alone;
  with reports  the same while two admin browsers reload the dashboard (GET /admin) over and over
                and a third downloads the whole redemptions CSV (every store, every day) again and
                again (redemptions go on until at least one whole CSV came down);
  soak          redemptions alone for --soak-seconds more, throughput per window as the books grow;
  bare aiohttp  the same requests against bench/bare_server.py: the HTTP limit on this machine.

Prints the figures, then last one JSON line per figure (see DESIGN.md "Quality bars").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from books import Books, write_books
from loadgen import NOT_SENT, Phase, Request, child_pid, drive, stop, wait_for_port
from redeem_local import BARE_SERVER, make_home

from node.admin_client import AdminClient
from node.demo import free_port, running_node

BENCH = "reads"
STAFF_PASSWORD = "bench counter 2026"  # noqa: S105 (a throwaway node in a temporary home)
ADMIN_PASSWORD = "bench head office 2026"  # noqa: S105
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
DONE = re.compile(r'name="redemption_id" value="rd_')
REQUEST_TIMEOUT_S = 60.0
ROUND = 100  # codes fetched (untimed), then redeemed (timed)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8, help="counters at once (8)")
    parser.add_argument("--requests", type=int, default=1_500, help="redemptions per phase")
    parser.add_argument("--stores", type=int, default=5)
    parser.add_argument("--vouchers", type=int, default=2_000, help="vouchers used 10 times")
    parser.add_argument("--heavy", type=int, default=20, help="vouchers used 1,000 times")
    parser.add_argument("--days", type=int, default=30, help="days the books span")
    parser.add_argument("--phase-seconds", type=float, default=90.0, help="at most, per phase")
    parser.add_argument("--soak-seconds", type=float, default=60.0)
    parser.add_argument("--window-seconds", type=float, default=10.0)
    return parser.parse_args()


# -- people: a member of staff at the counter, head office in two browsers -------------------


def browser() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        cookie_jar=aiohttp.CookieJar(unsafe=True),
        timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S),
        connector=aiohttp.TCPConnector(limit=64),
    )


async def sign_in(http: aiohttp.ClientSession, base: str, who: str, login: str, pw: str) -> str:
    """Sign in at /{who}/login; the CSRF token of the signed-in session."""
    async with http.get(f"{base}/{who}/login") as page:
        csrf = CSRF.search(await page.text())
    form = {"login": login, "password": pw, "csrf": csrf.group(1) if csrf else "", "next": ""}
    async with http.post(f"{base}/{who}/login", data=form, allow_redirects=True) as done:
        text = await done.text()
    found = CSRF.search(text)
    if found is None:
        raise SystemExit(f"could not sign in at /{who}/login: HTTP {done.status}")
    return found.group(1)


@dataclass
class Counter:
    api: AdminClient
    http: aiohttp.ClientSession
    csrf: str
    store_id: str
    vouchers: list[str]
    sent: list[bytes] = field(default_factory=list)

    async def codes(self, count: int) -> list[bytes]:
        """Fresh one-time QR payloads (untimed), each made into the counter's form body."""
        headers = {"Authorization": f"Bearer {self.api.token}"}
        base = f"{self.api.base_url}/api/v1/vouchers"
        fetch: list[Request] = [
            ("GET", f"{base}/{random.choice(self.vouchers)}/code", None) for _ in range(count)
        ]
        async with aiohttp.ClientSession(headers=headers) as session:
            replies, _ = await drive(session, fetch, 8)
        return [
            urlencode(
                {"code": json.loads(raw)["payload"], "amount": "1", "csrf": self.csrf}
            ).encode()
            for status, raw in replies
            if status == 200
        ]

    async def redeem(self, phase: Phase, count: int, clients: int, seconds: float) -> None:
        """`count` redemptions in rounds of fresh codes (each works for about a minute), until
        all are sent or `seconds` have passed."""
        deadline, done = time.monotonic() + seconds, 0
        while done < count and time.monotonic() < deadline:
            bodies = await self.codes(min(ROUND, count - done))
            url = f"{self.api.base_url}/staff/redeem"
            requests: list[Request] = [("POST", url, b) for b in bodies]
            replies = await phase.timed(self.http, requests, clients, deadline)
            for (status, raw), body in zip(replies, bodies, strict=True):
                if (status, raw) == NOT_SENT:
                    continue
                done += 1
                self.sent.append(body)
                if status == 200 and DONE.search(raw.decode("utf-8", "replace")):
                    phase.ok += 1
                else:
                    phase.failures.append(f"counter: HTTP {status}: {raw[:200]!r}")


@dataclass
class Reports:
    """Head office: dashboards reloaded and the whole CSV downloaded, until told to stop."""

    dashboards: int = 0
    csvs: int = 0
    csv_rows: int = 0
    csv_seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    async def reload_dashboard(self, http: aiohttp.ClientSession, base: str) -> None:
        while True:
            async with http.get(f"{base}/admin") as page:
                await page.read()
                if page.status != 200:
                    self.failures.append(f"dashboard: HTTP {page.status}")
            self.dashboards += 1

    async def download_csv(self, http: aiohttp.ClientSession, url: str) -> None:
        while True:
            started, rows = time.perf_counter(), 0
            async with http.get(url) as response:
                async for line in response.content:
                    rows += line.endswith(b"\r\n")
                if response.status != 200:
                    self.failures.append(f"CSV: HTTP {response.status}")
            self.csvs += 1
            self.csv_rows = rows - 1  # the header
            self.csv_seconds.append(time.perf_counter() - started)


async def while_running(tasks: list[Callable[[], Awaitable[None]]], work: Awaitable[None]) -> None:
    running = [asyncio.create_task(t()) for t in tasks]
    try:
        await work
    finally:
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)


@dataclass
class Run:
    quiet: Phase
    loaded: Phase
    soak: list[tuple[int, float]]  # (redemptions in the books at the window's start, per second)
    reports: Reports
    sent: list[bytes]
    raw_rows_per_s: float = 0.0


async def measure(api: AdminClient, books: Books, args: argparse.Namespace) -> Run:
    pid = child_pid(" serve ")
    api.request("PUT", "admin/password", {"password": ADMIN_PASSWORD})
    store = books.stores[0]
    api.post("staff", {"name": "counter", "stores": [store], "password": STAFF_PASSWORD})
    base = api.base_url
    today = datetime.now(UTC).date()
    first = today - timedelta(days=args.days + 1)
    csv_url = f"{base}/admin/exports/redemptions.csv?store=&from={first}&to={today}"
    async with browser() as staff, browser() as admin_1, browser() as admin_2:
        staff.headers["Content-Type"] = "application/x-www-form-urlencoded"
        csrf = await sign_in(staff, base, "staff", "counter", STAFF_PASSWORD)
        await sign_in(admin_1, base, "admin", "admin", ADMIN_PASSWORD)
        await sign_in(admin_2, base, "admin", "admin", ADMIN_PASSWORD)
        counter = Counter(api, staff, csrf, store, books.vouchers)
        warm = Phase("warm-up", pid)
        await counter.redeem(warm, args.clients * 10, args.clients, args.phase_seconds)
        quiet = Phase("counter alone, POST /staff/redeem", pid)
        await counter.redeem(quiet, args.requests, args.clients, args.phase_seconds)
        soak = await soak_windows(counter, books, args)  # before the reports: nothing left over
        reports = Reports()
        loaded = Phase("counter with 2 dashboards + 1 CSV export running", pid)
        await while_running(
            [
                lambda: reports.reload_dashboard(admin_1, base),
                lambda: reports.reload_dashboard(admin_2, base),
                lambda: reports.download_csv(admin_1, csv_url),
            ],
            until_a_csv(counter, loaded, reports, args),
        )
    return Run(quiet, loaded, soak, reports, counter.sent)


async def until_a_csv(
    counter: Counter, loaded: Phase, reports: Reports, args: argparse.Namespace
) -> None:
    """--requests redemptions, and more until a whole CSV came down (or --phase-seconds passed):
    the figure covers at least one export from its first row to its last."""
    deadline = time.monotonic() + args.phase_seconds
    await counter.redeem(loaded, args.requests, args.clients, args.phase_seconds)
    while reports.csvs == 0 and time.monotonic() < deadline:
        await counter.redeem(loaded, ROUND, args.clients, deadline - time.monotonic())


async def soak_windows(
    counter: Counter, books: Books, args: argparse.Namespace
) -> list[tuple[int, float]]:
    windows, total = [], books.redemptions + args.requests
    deadline = time.monotonic() + args.soak_seconds
    while time.monotonic() < deadline:
        window, ends = Phase("soak", None), time.monotonic() + args.window_seconds
        while time.monotonic() < ends:
            await counter.redeem(window, ROUND, args.clients, args.window_seconds)
        windows.append((total, window.per_s))
        total += window.ok
    return windows


async def bare_rounds(port: int, bodies: list[bytes], args: argparse.Namespace, pid: int) -> Phase:
    phase = Phase("bare aiohttp, the same POSTs", pid)
    url = f"http://127.0.0.1:{port}/staff/redeem"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    async with aiohttp.ClientSession(headers=headers) as session:
        requests: list[Request] = [("POST", url, b) for b in bodies]
        await drive(session, requests[: args.clients * 8], args.clients)  # connect
        for status, _ in await phase.timed(session, requests, args.clients, math.inf):
            phase.ok += status == 201
    return phase


def measure_bare(bodies: list[bytes], args: argparse.Namespace) -> Phase:
    port = free_port()
    process = subprocess.Popen([sys.executable, str(BARE_SERVER), "--port", str(port)])
    try:
        wait_for_port(process, port)
        return asyncio.run(bare_rounds(port, bodies, args, process.pid))
    finally:
        stop(process)


def raw_rows_per_s(database: Path) -> float:
    """The limit for the CSV: SQLite alone reading the same redemptions in the CSV's order."""
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        started = time.perf_counter()
        rows = conn.execute(
            "SELECT r.created_at, r.store_id, s.name, r.redemption_id, r.voucher_id,"
            " r.amount_yen, r.txn_id FROM redemptions r JOIN stores s USING (store_id)"
            " ORDER BY s.rowid, r.created_at, r.redemption_id"
        ).fetchall()
        return len(rows) / (time.perf_counter() - started)
    finally:
        conn.close()


def figure(
    metric: str,
    value: float,
    limit: float,
    limit_metric: str = "bare_aiohttp_req_per_s",
    **extra: object,
) -> str:
    return json.dumps(
        {
            "bench": BENCH,
            "metric": metric,
            "value": round(value, 2),
            "limit_metric": limit_metric,
            "limit": round(limit),
            "ratio": round(value / limit, 3) if limit else 0.0,
            **extra,
        }
    )


def report(books: Books, run: Run, bare: Phase, args: argparse.Namespace) -> int:
    quiet, loaded, reports = run.quiet, run.loaded, run.reports
    print(
        f"{BENCH}: {books.redemptions:,} redemptions in the books ({args.vouchers:,} vouchers x 10,"
        f" {args.heavy} x 1,000, {args.stores} stores, {args.days} days; written in"
        f" {books.build_s:.0f} s), {args.clients} counters ({os.cpu_count()} cores,"
        f" Python {platform.python_version()})"
    )
    for phase in (quiet, loaded, bare):
        print(f"  {phase.summary()}")
    csv_s = max(reports.csv_seconds, default=math.nan)
    print(
        f"  reports meanwhile: {reports.dashboards} dashboards, {reports.csvs} whole CSVs"
        f" ({reports.csv_rows:,} rows, longest {csv_s:.1f} s)"
    )
    print("  soak: " + ", ".join(f"{n:,} in the books: {per_s:,.0f}/s" for n, per_s in run.soak))
    failures = quiet.failures + loaded.failures + reports.failures
    print(f"  failures: {len(failures)}", *failures[:5], sep="\n    ")
    for name, phase in (("quiet", quiet), ("with_reports", loaded)):
        print(
            figure(
                f"counter_redemptions_per_s_{name}",
                phase.per_s,
                bare.per_s,
                p50_ms=round(phase.percentile_ms(0.50), 2),
                p99_ms=round(phase.percentile_ms(0.99), 2),
            )
        )
    if run.soak:
        first, last = run.soak[0][1], run.soak[-1][1]
        print(
            figure(
                "soak_last_window_per_s",
                last,
                bare.per_s,
                first_window_per_s=round(first),
                last_over_first=round(last / first, 2) if first else None,
                books_from=run.soak[0][0],
                books_to=run.soak[-1][0],
            )
        )
    csv_rate = reports.csv_rows / csv_s if reports.csvs else 0.0
    print(figure("csv_rows_per_s_slowest", csv_rate, run.raw_rows_per_s, "raw_sqlite_rows_per_s"))
    return 1 if failures or not reports.csvs else 0


def main() -> int:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="kippu-bench-") as tmp:
        home = make_home(Path(tmp) / "node", 1_000_000)
        books = asyncio.run(write_books(home, args))
        with running_node(home, Path(tmp) / "node.log") as api:
            run = asyncio.run(measure(api, books, args))
        run.raw_rows_per_s = raw_rows_per_s(home.database_path)
        bare = measure_bare(run.sent, args)
    return report(books, run, bare, args)


if __name__ == "__main__":
    sys.exit(main())
