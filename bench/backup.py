"""Benchmark: `kippu backup` under continuous redemptions, beside raw SQLite writes in the same run.

One run: a real node (`kippu serve`) on 127.0.0.1 is filled with redemptions for --fill-seconds,
then redeemed against without pause while each way of copying the live database runs in its own
process: `kippu backup` (VACUUM INTO), Python's `Connection.backup` in one step (pages=-1), and in
steps of 100 pages as the sqlite3 shell's `.backup` does (restarted by every commit of the node;
given up after --give-up seconds). For each: its duration, whether it finished with a sound copy,
and the node's redemptions/s meanwhile, beside the rate with no backup and the raw SQLite write
rate measured on the same disk (WAL, synchronous=FULL, 100 rows per commit and 1 per commit).
Prints one JSON line per figure, last.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from redeem_local import issue_vouchers, make_home

from node.admin_client import AdminClient
from node.demo import running_node

BENCH = "backup"
METHODS = ("kippu_backup", "backup_api_one_step", "backup_api_100_pages")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--vouchers", type=int, default=64)
    parser.add_argument("--fill-seconds", type=float, default=20.0)
    parser.add_argument("--baseline-seconds", type=float, default=5.0)
    parser.add_argument("--give-up", type=float, default=30.0, help="seconds for one copy")
    parser.add_argument(
        "--copy", nargs=3, metavar=("METHOD", "SOURCE", "TARGET"), help=argparse.SUPPRESS
    )
    return parser.parse_args()


@dataclass
class Load:
    acked: list[float] = field(default_factory=list)  # monotonic time of each 201
    failures: list[str] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    def rate(self, start: float, end: float) -> float:
        return sum(1 for t in self.acked if start <= t < end) / max(end - start, 1e-9)


async def redeem_forever(
    api: AdminClient, store_id: str, vouchers: list[str], load: Load, clients: int
) -> None:
    headers = {"Authorization": f"Bearer {api.token}"}
    base = f"{api.base_url}/api/v1"
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(headers=headers, connector=connector) as session:

        async def client(k: int) -> None:
            while not load.stop.is_set():
                voucher_id = vouchers[k % len(vouchers)]
                k += clients
                async with session.get(f"{base}/vouchers/{voucher_id}/code") as got:
                    payload = (await got.json())["payload"]
                body = {"payload": payload, "amount": 1, "store_id": store_id}
                async with session.post(f"{base}/redemptions", json=body) as made:
                    if made.status == 201:
                        load.acked.append(time.monotonic())
                    else:
                        load.failures.append(f"HTTP {made.status}: {(await made.text())[:200]}")

        await asyncio.gather(*(client(k) for k in range(clients)))


def copy(method: str, source: Path, target: Path, give_up_s: float) -> None:
    """Run in a child process: copy the live database one way and print the copy's own seconds
    (interpreter start and imports excluded); exit 3 if it gave up."""
    from node.backup import make_backup

    started = time.monotonic()
    if method == "kippu_backup":
        make_backup(source, target)
    else:
        backup_api(method, source, target, started + give_up_s)
    print(time.monotonic() - started)


def backup_api(method: str, source: Path, target: Path, give_up_at: float) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    if method == "backup_api_one_step":
        src.backup(dst, pages=-1)
        return

    def progress(status: int, remaining: int, total: int) -> None:
        if time.monotonic() > give_up_at:
            raise TimeoutError  # the node's commits kept restarting the page-by-page copy

    try:
        src.backup(dst, pages=100, progress=progress)
    except TimeoutError:
        sys.exit(3)


@dataclass
class Copy:
    start: float  # monotonic, the child process's start and end
    end: float
    seconds: float  # the copy itself, as the child measured it
    finished: bool  # with a sound copy
    target: Path


async def time_copy(method: str, database: Path, target: Path, give_up_s: float) -> Copy:
    start = time.monotonic()
    child = await asyncio.create_subprocess_exec(
        *(sys.executable, __file__, "--copy", method, str(database), str(target)),
        *("--give-up", str(give_up_s)),
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await child.communicate()
    end = time.monotonic()
    finished = child.returncode == 0 and sound(target)
    seconds = float(out.decode().split()[-1]) if finished else end - start
    return Copy(start, end, seconds, finished, target)


def sound(path: Path) -> bool:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)] and (
            conn.execute("SELECT count(*) FROM redemptions").fetchone()[0] > 0
        )
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def raw_sqlite_rates(directory: Path, seconds: float = 2.0) -> tuple[float, float]:
    """Rows/s committed by one connection: 100 rows per commit, and 1 row per commit."""
    conn = sqlite3.connect(directory / "raw.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)")
    rates = []
    for per_commit in (100, 1):
        rows, start = 0, time.monotonic()
        while time.monotonic() - start < seconds:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT INTO t (v) VALUES (?)", [(b"x" * 200,)] * per_commit)
            conn.execute("COMMIT")
            rows += per_commit
        rates.append(rows / (time.monotonic() - start))
    conn.close()
    return rates[0], rates[1]


async def run(args: argparse.Namespace, root: Path) -> list[dict[str, object]]:
    home = make_home(root / "node", 10_000_000)
    with running_node(home, root / "node.log") as api:
        store_id, vouchers = issue_vouchers(api, args.vouchers, 10_000_000)
        load = Load()
        clients = asyncio.create_task(redeem_forever(api, store_id, vouchers, load, args.clients))
        await asyncio.sleep(args.fill_seconds)
        base_start = time.monotonic()
        await asyncio.sleep(args.baseline_seconds)
        baseline = load.rate(base_start, time.monotonic())
        copies = []
        for method in METHODS:
            target = root / f"{method}.db"
            copies.append(
                (method, await time_copy(method, home.database_path, target, args.give_up))
            )
            await asyncio.sleep(1.0)
        load.stop.set()
        await clients
        check = api.get("ledger/check")
    raw_group, raw_single = raw_sqlite_rates(root)
    if load.failures or not check["ok"]:
        print(f"FAILED: {len(load.failures)} failures {load.failures[:3]}, ledger ok={check['ok']}")
        raise SystemExit(1)
    database_bytes = home.database_path.stat().st_size
    print(f"database: {database_bytes / 1e6:.1f} MB, {len(load.acked)} redemptions in the run")
    print(
        f"no backup: {baseline:,.0f} redemptions/s; raw SQLite on the same disk:"
        f" {raw_group:,.0f} rows/s at 100 per commit, {raw_single:,.0f} commits/s at 1 per commit"
    )
    return [
        f
        for method, c in copies
        for f in figures(method, c, load, baseline, raw_group, raw_single, database_bytes)
    ]


def figures(
    method: str,
    c: Copy,
    load: Load,
    baseline: float,
    raw_group: float,
    raw_single: float,
    database_bytes: int,
) -> list[dict[str, object]]:
    during = load.rate(c.start, c.end)
    state = "finished" if c.finished else "DID NOT FINISH"
    print(
        f"{method}: {state}, copy {c.seconds:.2f} s ({c.end - c.start:.2f} s with the process),"
        f" node {during:,.0f} redemptions/s meanwhile"
    )
    size = c.target.stat().st_size if c.target.exists() else 0
    return [
        {
            "bench": BENCH,
            "metric": f"{method}_seconds",
            "value": round(c.seconds, 3),
            "finished": c.finished,
            "process_seconds": round(c.end - c.start, 3),
            "database_bytes": database_bytes,
            "backup_bytes": size,
        },
        {
            "bench": BENCH,
            "metric": f"redemptions_per_s_during_{method}",
            "value": round(during, 1),
            "limit_metric": "raw_sqlite_group_commit_rows_per_s",
            "limit": round(raw_group),
            "ratio": round(during / raw_group, 4),
            "no_backup_redemptions_per_s": round(baseline, 1),
            "raw_sqlite_commits_per_s": round(raw_single),
        },
    ]


def main() -> int:
    args = parse_args()
    if args.copy:
        method, source, target = args.copy
        copy(method, Path(source), Path(target), args.give_up)
        return 0
    with tempfile.TemporaryDirectory(prefix="kippu-bench-backup-") as tmp:
        results = asyncio.run(run(args, Path(tmp)))
    for figure in results:
        print(json.dumps(figure, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
