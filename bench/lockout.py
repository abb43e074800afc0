"""Benchmark: the owner signs in while an attacker floods `admin` with wrong passwords.

Starts `kippu serve` on a temporary home and sets the admin password. For the whole run, attacker
clients connected from 127.0.0.2 post wrong passwords for `admin` as fast as the node answers
(all but the first five answered 429 by the throttle). Meanwhile the owner, from 127.0.0.3, signs
in with the right password twice a second (the sign-in page, then the form). Each sign-in must
succeed (303 to /admin); its latency is printed beside one argon2id verification measured in the
same run, the floor of any password sign-in (node/web/passwords.py). Before issue 13 every one of
the owner's sign-ins after the attacker's fifth try was refused for 15 minutes.
Prints the figures, then last one JSON line per figure (see DESIGN.md "Quality bars").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import re
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp
import nacl.pwhash

from node.app import prepare_database
from node.config import ListenAddress
from node.demo import free_port, running_node
from node.home import NodeHome, init_home
from node.web.passwords import hash_password

BENCH = "lockout"
ATTACKER, OWNER = "127.0.0.2", "127.0.0.3"
PASSWORD = "head office 2026!"  # noqa: S105 - the bench's own throwaway node
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the flood")
    parser.add_argument("--attackers", type=int, default=16, help="attacker clients at once")
    parser.add_argument("--owner-every", type=float, default=0.5, help="seconds between sign-ins")
    return parser.parse_args()


def session_from(address: str) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(local_addr=(address, 0), limit=0)
    return aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.CookieJar(unsafe=True))


async def sign_in(http: aiohttp.ClientSession, base: str, password: str) -> int:
    async with http.get(f"{base}/admin/login") as page:
        found = CSRF.search(await page.text())
    assert found, "no CSRF field on the sign-in page"
    form = {"login": "admin", "password": password, "csrf": found.group(1)}
    async with http.post(f"{base}/admin/login", data=form, allow_redirects=False) as answer:
        await answer.read()
        return answer.status


async def attack(base: str, until: float, counts: dict[int, int]) -> None:
    async with session_from(ATTACKER) as http:
        async with http.get(f"{base}/admin/login") as page:
            found = CSRF.search(await page.text())
        assert found
        form = {"login": "admin", "password": "not the password", "csrf": found.group(1)}
        while time.monotonic() < until:
            async with http.post(f"{base}/admin/login", data=form) as answer:
                await answer.read()
                counts[answer.status] = counts.get(answer.status, 0) + 1


async def owner(base: str, until: float, every_s: float) -> list[tuple[int, float]]:
    results: list[tuple[int, float]] = []
    async with session_from(OWNER) as http:
        while time.monotonic() < until:
            http.cookie_jar.clear()  # a fresh browser each time: a new sign-in, not a session
            started = time.perf_counter()
            status = await sign_in(http, base, PASSWORD)
            results.append((status, time.perf_counter() - started))
            await asyncio.sleep(every_s)
    return results


async def scenario(
    base: str, args: argparse.Namespace
) -> tuple[dict[int, int], list[tuple[int, float]], list[tuple[int, float]]]:
    """The owner's sign-ins alone (a few seconds), then during the flood."""
    quiet = await owner(base, time.monotonic() + 3.0, args.owner_every)
    counts: dict[int, int] = {}
    until = time.monotonic() + args.seconds
    flood = [attack(base, until, counts) for _ in range(args.attackers)]
    results = await asyncio.gather(owner(base, until, args.owner_every), *flood)
    return counts, quiet, results[0]


def argon2_verify_ms(rounds: int = 10) -> float:
    stored = hash_password(PASSWORD).encode("ascii")
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        nacl.pwhash.verify(stored, PASSWORD.encode())
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = NodeHome(Path(folder) / "node")
        port = free_port()
        init_home(home, "Lockout bench", ListenAddress("127.0.0.1", port))
        prepare_database(home.database_path)
        with running_node(home, Path(folder) / "node.log") as client:
            client.request("PUT", "admin/password", {"password": PASSWORD})
            counts, quiet, signins = asyncio.run(scenario(client.base_url, args))
    limit_ms = argon2_verify_ms()
    latencies = [seconds * 1000 for status, seconds in signins if status == 303]
    ok, tried = len(latencies), len(signins)
    attempts = sum(counts.values())
    print(f"attacker: {attempts} wrong passwords for admin in {args.seconds:.0f} s from {ATTACKER}")
    print(f"  answers: {dict(sorted(counts.items()))}")
    print(f"owner: {ok} of {tried} sign-ins from {OWNER} succeeded during the flood")
    p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
    print(f"  sign-in (page + form) p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    alone = [seconds * 1000 for status, seconds in quiet if status == 303]
    print(f"  without the flood: p50 {percentile(alone, 0.5):.1f} ms ({len(alone)} sign-ins)")
    print(f"limit: one argon2id verification {limit_ms:.1f} ms (median of 10, same run)")
    figure = {
        "bench": BENCH,
        "metric": "owner_sign_in_p50_ms",
        "value": round(p50, 1),
        "limit_metric": "argon2id_verify_ms",
        "limit": round(limit_ms, 1),
        "ratio": round(limit_ms / p50, 3),
        "p50_ms": round(p50, 1),
        "p99_ms": round(p99, 1),
        "quiet_p50_ms": round(percentile(alone, 0.5), 1),
        "owner_sign_ins_ok": ok,
        "owner_sign_ins": tried,
        "attacker_attempts": attempts,
        "attacker_throttled": counts.get(429, 0),
    }
    print(json.dumps(figure))
    if ok != tried or tried == 0:
        raise SystemExit(f"the owner was kept out: {ok} of {tried} sign-ins succeeded")


if __name__ == "__main__":
    main()
