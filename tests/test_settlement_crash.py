"""kill -9 of the issuer or the redeemer during a burst of cross-company redemptions: once the
killed node is back and delivery is forced, both books agree and no yen is lost or doubled."""

from __future__ import annotations

import asyncio
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from node.admin_client import AdminClient
from node.config import ListenAddress, render_config
from node.demo import free_port
from node.home import NodeHome
from tests.conftest import TEST_REGISTRATION, make_home
from tests.test_crash import serving

ROUNDS = 2  # per seed, on the same pair of nodes: the books carry over from round to round
CLAIMS = 30  # concurrent redemptions at B per round
VOUCHERS = 4  # A's vouchers per round; the claims overdraw them, so A rejects some
FACE_YEN = 1_000
SYNC_DEADLINE_S = 30.0
KILL_DEADLINE_S = 30.0


@dataclass
class Company:
    """One `kippu serve` process and its home; `process` changes when it is restarted."""

    name: str
    home: NodeHome
    process: subprocess.Popen[bytes]
    api: AdminClient
    node_id: str


@dataclass(frozen=True)
class Scan:
    voucher_id: str
    amount: int
    payload: str


@dataclass
class Burst:
    answers: dict[int, tuple[int, dict[str, Any]]] = field(default_factory=dict)  # scan -> reply
    failed: int = 0  # connection reset or refused: B never answered


def _home(root: Path, name: str) -> NodeHome:
    home = make_home(root / name, name)
    home.config_path.write_text(
        render_config(
            name, ListenAddress("127.0.0.1", free_port()), registration_number=TEST_REGISTRATION
        ),
        encoding="utf-8",
    )
    return home


def _start(stack: ExitStack, name: str, home: NodeHome) -> Company:
    process, api = stack.enter_context(serving(home))
    return Company(name, home, process, api, api.get("status")["node_id"])


def _restart(stack: ExitStack, company: Company) -> None:
    company.process, company.api = stack.enter_context(serving(company.home))


# Polls the watched database and kills the victim; a process of its own, so the kill is not
# held up by the test's event loop (busy with the burst) or its GIL.
WATCHER = """
import os, signal, sqlite3, sys, time
path, pid, after, limit_s = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
count = lambda: conn.execute("SELECT count(*) FROM claims").fetchone()[0]
target, deadline = count() + after, time.monotonic() + limit_s
print("armed", flush=True)
while count() < target and time.monotonic() < deadline:
    time.sleep(0.0002)
os.kill(pid, signal.SIGKILL)
sys.exit(0 if count() >= target else 1)
"""


@dataclass(frozen=True)
class Kill:
    """SIGKILL `victim` once `watched` holds `after` more claims than before the burst: B's
    count grows as its staff's scans are recorded, A's as it commits its decisions (a batch at
    a time), so the kill lands before A heard of the claims, while it decides, or after it
    decided but before B booked the answers."""

    victim: Company
    watched: Company
    after: int

    def arm(self) -> subprocess.Popen[str]:
        args = [str(self.watched.home.database_path), str(self.victim.process.pid)]
        watcher = subprocess.Popen(
            [sys.executable, "-c", WATCHER, *args, str(self.after), str(KILL_DEADLINE_S)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert watcher.stdout is not None and watcher.stdout.readline() == "armed\n"
        return watcher


async def fire(b: Company, store_id: str, scans: list[Scan], kill: Kill) -> Burst:
    """Every scan at B at once; kill -9 a node at the chosen moment."""
    burst = Burst()
    headers = {"Authorization": f"Bearer {b.api.token}"}
    connector = aiohttp.TCPConnector(limit=CLAIMS)
    timeout = aiohttp.ClientTimeout(total=30)
    with kill.arm() as watcher:
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

            async def redeem(index: int, scan: Scan) -> None:
                body = {"payload": scan.payload, "amount": scan.amount, "store_id": store_id}
                try:
                    async with session.post(
                        f"{b.api.base_url}/api/v1/redemptions", json=body, headers=headers
                    ) as response:
                        burst.answers[index] = (response.status, await response.json())
                except (aiohttp.ClientError, ValueError):
                    burst.failed += 1

            await asyncio.gather(*(redeem(i, s) for i, s in enumerate(scans)))
        code = await asyncio.to_thread(watcher.wait, KILL_DEADLINE_S + 10)
    assert code == 0, "the burst never reached the kill point"
    return burst


def _claims(company: Company, peer: Company) -> dict[str, dict[str, Any]]:
    found = company.api.get("settlement/claims", peer=peer.node_id)["claims"]
    by_id = {c["claim_id"]: c for c in found}
    assert len(by_id) == len(found), f"{company.name} lists a claim twice"
    return by_id


def _balance(company: Company, peer: Company) -> dict[str, Any]:
    for entry in company.api.get("settlement/balances")["balances"]:
        if entry["peer"] == peer.node_id:
            return dict(entry)
    raise AssertionError(f"{company.name} has no balance with {peer.name}")


def _force_delivery(a: Company, b: Company, seed: int) -> None:
    """The outbox backs off on the real clock here; sync makes both nodes deliver now."""
    deadline = time.monotonic() + SYNC_DEADLINE_S
    while True:
        b.api.post("peers/sync")
        a.api.post("peers/sync")
        if not b.api.get("settlement/claims", status="CLAIMED")["claims"]:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"seed {seed}: B still has undecided claims after {SYNC_DEADLINE_S} s")
        time.sleep(0.05)


def _prepare(a: Company, rng: random.Random) -> tuple[list[str], list[Scan]]:
    vouchers = [a.api.post("vouchers", {"amount": FACE_YEN})["voucher_id"] for _ in range(VOUCHERS)]
    # Amounts are unique, so each claim names the one scan it came from.
    amounts = rng.sample(range(50, 500), CLAIMS)
    scans = []
    for amount in amounts:
        voucher_id = rng.choice(vouchers)
        payload = a.api.get(f"vouchers/{voucher_id}/code")["payload"]
        scans.append(Scan(voucher_id, amount, payload))
    return vouchers, scans


@pytest.mark.parametrize("seed", [1, 2, 3, 4], ids="seed{}".format)
def test_kill_9_during_cross_company_burst_loses_and_doubles_nothing(
    tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    with ExitStack() as stack:
        a = _start(stack, "Izakaya A", _home(tmp_path, "Izakaya A"))
        b = _start(stack, "Trattoria B", _home(tmp_path, "Trattoria B"))
        invite = a.api.post("peers/invite", {"valid_hours": 2})["invite"]
        assert b.api.post("peers/join", {"invite": invite})["status"] == "active"
        store_id = b.api.post("stores", {"name": "梅田店"})["store_id"]

        faces: dict[str, int] = {}
        scans_by_key: dict[tuple[str, int], Scan] = {}
        answered: dict[str, tuple[int, dict[str, Any]]] = {}  # claim id -> B's answer
        for round_no in range(ROUNDS):
            vouchers, scans = _prepare(a, rng)
            faces.update(dict.fromkeys(vouchers, FACE_YEN))
            scans_by_key.update({(s.voucher_id, s.amount): s for s in scans})
            kill = _kill_point(rng, a, b, seed + round_no)
            victim = kill.victim
            context = (
                f"seed {seed}, round {round_no}: kill -9 of {victim.name}"
                f" at {kill.after} new claims at {kill.watched.name}"
            )

            burst = asyncio.run(fire(b, store_id, scans, kill))
            assert victim.process.wait(timeout=15) == -signal.SIGKILL, context
            unfinished = burst.failed + sum(1 for s, _ in burst.answers.values() if s == 202)
            if kill.watched is b:  # A cannot have decided every claim yet
                assert unfinished > 0, f"{context}: the kill must land mid-burst"
            answered.update(_claim_ids(burst, context))

            _restart(stack, victim)
            _force_delivery(a, b, seed)
            _check_books(a, b, faces, scans_by_key, answered, context)


def _kill_point(rng: random.Random, a: Company, b: Company, which: int) -> Kill:
    """Kill A or B (`which` picks the pair) once B recorded some of the scans (A decided none
    of them yet, or a first batch), or just after A committed a batch of decisions (B may or
    may not have booked them by then: both are cases worth having, and the scheduler picks)."""
    victim, watched = [(a, b), (b, b), (a, a), (b, a)][which % 4]
    if watched is b:
        return Kill(victim, watched, rng.randint(1, CLAIMS * 2 // 3))
    return Kill(victim, watched, rng.randint(1, CLAIMS))


def _claim_ids(burst: Burst, context: str) -> dict[str, tuple[int, dict[str, Any]]]:
    found = {}
    for status, answer in burst.answers.values():
        if status in (201, 202):
            found[answer["claim_id"]] = (status, answer)
        else:
            assert status == 409, f"{context}: {answer}"
            assert answer["error"]["code"] == "settlement.claim_rejected", f"{context}: {answer}"
            found[answer["error"]["claim_id"]] = (status, answer)
    return found


def _check_books(
    a: Company,
    b: Company,
    faces: dict[str, int],
    scans: dict[tuple[str, int], Scan],
    answered: dict[str, tuple[int, dict[str, Any]]],
    context: str,
) -> None:
    at_b, at_a = _claims(b, a), _claims(a, b)
    # The same claims, decided the same way, on both sides; none that B does not know of.
    assert set(at_a) == set(at_b), f"{context}: claims only at A {set(at_a) - set(at_b)}"
    for claim_id, ours in at_b.items():
        theirs = at_a[claim_id]
        assert ours["status"] in ("ACCEPTED", "REJECTED"), f"{context}: {ours}"
        fields = ("status", "amount", "voucher_id", "balance_after")
        assert {k: ours[k] for k in fields} == {k: theirs[k] for k in fields}, (
            f"{context}: claim {claim_id} differs: B {ours} A {theirs}"
        )
    # Each claim comes from one scan, and no scan was claimed twice.
    keys = Counter((c["voucher_id"], c["amount"]) for c in at_b.values())
    assert set(keys) <= set(scans), f"{context}: claims nobody scanned"
    assert max(keys.values()) == 1, f"{context}: a scan claimed twice"
    # What B told the staff holds: accepted stays accepted, rejected stays rejected.
    for claim_id, (status, answer) in answered.items():
        assert claim_id in at_b, f"{context}: B answered {status} for {claim_id}, then lost it"
        expected = {201: "ACCEPTED", 409: "REJECTED"}.get(status)
        if expected is not None:
            assert at_b[claim_id]["status"] == expected, f"{context}: {answer} -> {at_b[claim_id]}"
        if status == 201:
            assert at_b[claim_id]["amount"] == answer["amount"], context

    accepted = [c for c in at_b.values() if c["status"] == "ACCEPTED"]
    total = sum(c["amount"] for c in accepted)
    receivable, payable = _balance(b, a), _balance(a, b)
    assert (receivable["receivable"], receivable["pending"]) == (total, 0), context
    assert payable["payable"] == total, context
    spent = Counter[str]()
    for claim in accepted:
        spent[claim["voucher_id"]] += claim["amount"]
    for voucher_id, face in faces.items():
        balance = a.api.get(f"vouchers/{voucher_id}")["balance"]
        assert balance == face - spent[voucher_id], f"{context}: voucher {voucher_id}"
    for company in (a, b):
        check = company.api.get("ledger/check")
        assert check["ok"] is True, f"{context}: {company.name} {check}"
    assert a.api.get("ledger/check")["voucher_liability"] == sum(faces.values()) - total, context
