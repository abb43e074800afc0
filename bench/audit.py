"""Benchmark: log entries verified/s by `kippu audit verify`, beside raw PyNaCl verifications/s on one core.

Builds, in a temporary directory and without running nodes, the settlement log that an issuer A
keeps with one partner B, signed with the project's own functions exactly as a node writes it:
B's `join` and A's reply; then B's `claim` messages on A's vouchers (one channel, sequence numbers
and hash chain as node/peering/outbound.py makes them) each followed by A's signed reply with its
decision (a few rejected, as a used QR code is); and every --checkpoint-every entries a statement
proposed by B over the claims accepted since the last one, which A agrees to. As
node/settlement/statements.py does, A's agreement signs a checkpoint over the log, sends it to B
(with its consistency proof) and logs B's countersigned reply. The bundle ends, as an export does,
at an on-demand checkpoint over the whole log. The build is timed on its own, never cached.

Then, each in a fresh process pinned to the same core: `verify_bundles` (what `kippu audit verify`
runs) on the bundle, timed (wall), with the peak RSS it added; the same at a quarter of the size,
to show memory does not grow with the bundle (it is streamed); and raw PyNaCl `VerifyKey.verify`
calls on messages of the bundle's typical signed length, the limit on this machine. The report
must be ok and show A's payable to B equal to the claims it accepted, else the run fails. Prints
the figures, then last one JSON line (see DESIGN.md "Quality bars"). --profile N prints the
verifier's N costliest functions (cProfile, by own time) on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import json
import multiprocessing
import os
import platform
import pstats
import resource
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any

from nacl.signing import SigningKey

from node.clock import SystemRandomness, new_id, ordered_id
from node.errors import CodeAlreadyUsed
from node.identity import Identity
from node.ledger.numbers import voucher_number_from
from node.ledger.qr import make_payload
from node.peering.envelope import open_envelope, seal, signing_input
from node.peering.messages import MESSAGE_LIFETIME_S, Header, encode_message, encode_result
from node.peering.model import GENESIS_HASH, Channel
from node.peering.outbound import seal_reply
from node.settlement import core
from node.settlement.audit import checkpoint, merkle
from node.settlement.audit.auditor import verify_bundles
from node.settlement.audit.bundle import checkpoint_record, entry_record, header_record
from node.settlement.audit.checkpoint import Checkpoint
from node.settlement.model import Decision, Owed, StatementItem

BENCH = "audit"
GOAL_RATIO = 0.70
FLAT_TOLERANCE_MB = 4.0  # the larger bundle may add this much more peak RSS and still count as flat
SMALL_FRACTION = 4  # the second size, for memory: --entries / 4
RAW_PASSES = 3
MAX_PROBLEMS_SHOWN = 10
SAMPLED_ENTRIES = 2_000  # entries whose signed length sets the raw messages' length
START_S = 1_767_225_600  # 2026-01-01 00:00 UTC: the log's first second
CURRENCY = "JPY"
QR_STEP_S = 30
VOUCHERS = 200
VOUCHER_FACE_YEN = 1_000_000
MAX_CLAIM_YEN = 3_000
REJECT_EVERY = 50  # one claim in 50 is refused (a QR code shown twice)
STORE_NAMES = ("B 駅前店", "B 本店", "Trattoria B Shibuya")
A_NAME, B_NAME = "Bench 居酒屋 A (issuer)", "Bench Trattoria B (redeemer)"
RNG = SystemRandomness()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--entries", type=int, default=100_000, help="log entries in the bundle (100000)"
    )
    parser.add_argument(
        "--checkpoint-every",
        type=int,
        default=10_000,
        help="entries between agreed statements, each signing a checkpoint (10000)",
    )
    parser.add_argument(
        "--signatures", type=int, default=20_000, help="raw PyNaCl verifications per pass (20000)"
    )
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="print the verifier's N top costs"
    )
    args = parser.parse_args()
    if args.entries < 100 * SMALL_FRACTION or args.signatures < 1_000:
        parser.error(f"need at least {100 * SMALL_FRACTION} entries and 1000 signatures")
    if not 100 <= args.checkpoint_every <= 20_000:
        parser.error(
            "--checkpoint-every must be 100-20000 (a statement lists at most 20000 claims)"
        )
    return args


# -- the issuer's log, built as a node writes it ---------------------------------------------


@dataclass
class Company:
    identity: Identity
    name: str
    channel: Channel = field(default_factory=Channel)  # its channel to the other company

    @property
    def node_id(self) -> str:
        return self.identity.node_id


def send(
    sender: Company, recipient: str, msg_type: str, fields: dict[str, Any], now_s: int
) -> tuple[str, bytes]:
    """What node.peering.outbound.enqueue signs: the next message of the sender's channel."""
    seq = sender.channel.last_seq + 1
    header = Header(
        msg_id=new_id(RNG, "msg"),
        sender=sender.node_id,
        recipient=recipient,
        seq=seq,
        prev=sender.channel.last_hash,
        created=now_s,
        expires=now_s + MESSAGE_LIFETIME_S,
    )
    body = encode_message(msg_type, header, fields)
    raw = seal(sender.identity.signing_key, sender.node_id, msg_type, body)
    sender.channel = sender.channel.after(seq, raw)
    return header.msg_id, raw


def answer(replier: Company, asker: Company, msg_id: str, now_s: int, result: bytes) -> bytes:
    return seal_reply(
        replier.identity, asker.node_id, msg_id, now_s, ok=True, name=replier.name, result=result
    )


class IssuerLog:
    """A's log as it grows: each entry spooled as a bundle record, its leaf hash kept."""

    def __init__(self, spool: IO[bytes]) -> None:
        self._spool = spool
        self.leaves: list[bytes] = []
        self.tree = merkle.Frontier()
        self.checkpoints: list[tuple[Checkpoint, list[tuple[str, bytes]]]] = []
        self.signed_lengths: list[int] = []

    @property
    def size(self) -> int:
        return len(self.leaves)

    def append(self, envelope: bytes) -> None:
        if self.size < SAMPLED_ENTRIES:
            opened = open_envelope(envelope)
            self.signed_lengths.append(len(signing_input(opened.msg_type, opened.body)))
        self._spool.write(entry_record(self.size, envelope))
        leaf = merkle.leaf_hash(envelope)
        self.leaves.append(leaf)
        self.tree.append(leaf)

    def sign(self, key: SigningKey, origin: str, now_s: int) -> Checkpoint:
        """make_checkpoint's signature over the log so far (the same root as merkle.root_hash)."""
        made = checkpoint.sign(key, origin, self.size, self.tree.root(), now_s)
        self.checkpoints.append((made, []))
        return made


@dataclass
class Voucher:
    number: str
    balance_yen: int = VOUCHER_FACE_YEN


@dataclass
class Scenario:
    """Issuer A and redeemer B; A's log of everything they exchange."""

    a: Company
    b: Company
    log: IssuerLog
    now_s: int = START_S
    qr_secret: bytes = field(default_factory=lambda: os.urandom(32))
    vouchers: list[Voucher] = field(default_factory=list)
    stores: list[tuple[str, str]] = field(default_factory=list)
    claims: int = 0
    accepted_yen: int = 0
    unlisted: list[StatementItem] = field(default_factory=list)
    statements: int = 0
    last_statement: bytes = GENESIS_HASH
    closing: Owed = field(default_factory=lambda: Owed("", 0))
    shared_size: int = 0  # the last checkpoint A sent B

    def join(self) -> None:
        fields = {
            "name": self.b.name,
            "url": "http://127.0.0.1:8702",
            "invite_id": new_id(RNG, "inv"),
            "secret": os.urandom(16),
        }
        msg_id, raw = send(self.b, self.a.node_id, "join", fields, self.now_s)
        self.log.append(raw)
        self.log.append(answer(self.a, self.b, msg_id, self.now_s, b""))

    def claim(self) -> None:
        """B redeems one of A's vouchers at one of its stores; A decides and signs its answer."""
        self.now_s += 1
        at = datetime.fromtimestamp(self.now_s, UTC)
        voucher = self.vouchers[self.claims % len(self.vouchers)]
        amount = 1 + int.from_bytes(os.urandom(2), "big") % MAX_CLAIM_YEN
        if voucher.balance_yen < amount:  # spent: A has sold a new voucher since
            voucher = self.vouchers[self.claims % len(self.vouchers)] = new_voucher()
        store_id, store_name = self.stores[self.claims % len(self.stores)]
        claim_id = ordered_id(at, RNG, "cl")
        fields = {
            "claim_id": claim_id,
            "payload": make_payload(
                self.a.node_id, voucher.number, self.qr_secret, at, QR_STEP_S, os.urandom(5)
            ),
            "amount": amount,
            "currency": CURRENCY,
            "store_id": store_id,
            "store_name": store_name,
        }
        msg_id, raw = send(self.b, self.a.node_id, "claim", fields, self.now_s)
        self.log.append(raw)
        self.claims += 1
        result = self.decide(claim_id, voucher, amount)
        self.log.append(answer(self.a, self.b, msg_id, self.now_s, result))

    def decide(self, claim_id: str, voucher: Voucher, amount: int) -> bytes:
        """node.settlement.issuer's result: accepted, or refused with the error's code."""
        result: dict[str, Any] = {
            "claim_id": claim_id,
            "decision": str(Decision.ACCEPTED),
            "code": "ok",
            "message": "",
            "balance_after": voucher.balance_yen - amount,
            "decided_at": self.now_s,
        }
        if self.claims % REJECT_EVERY == 0:
            refused = CodeAlreadyUsed()
            result.update(
                decision=str(Decision.REJECTED),
                code=refused.code,
                message=refused.message,
                balance_after=0,
            )
        else:
            voucher.balance_yen -= amount
            self.accepted_yen += amount
            self.unlisted.append(StatementItem(claim_id, self.a.node_id, amount))
        return encode_result("claim", result)

    def statement(self) -> None:
        """B proposes a statement of the claims since the last; A agrees, which (as in
        node/settlement/statements.py) signs a checkpoint and sends it to B to countersign."""
        self.now_s += 1
        at = datetime.fromtimestamp(self.now_s, UTC)
        self.statements += 1
        proposed = core.build_statement(
            ordered_id(at, RNG, "st"),
            self.statements,
            self.now_s,
            self.last_statement,
            core.parties(self.a.node_id, self.b.node_id),
            self.unlisted,
            (),
            self.closing,
        )
        fields = core.statement_fields(proposed)
        msg_id, raw = send(self.b, self.a.node_id, "statement", fields, self.now_s)
        self.log.append(raw)
        self.last_statement, self.closing = core.statement_hash(proposed), proposed.closing
        self.unlisted = []
        made = self.log.sign(self.a.identity.signing_key, self.a.node_id, self.now_s)
        sent = self.send_checkpoint(made)
        agreed = {
            "statement_id": proposed.statement_id,
            "decision": str(Decision.AGREED),
            "statement_hash": self.last_statement,
            "breaks": [],
        }
        self.log.append(
            answer(self.a, self.b, msg_id, self.now_s, encode_result("statement", agreed))
        )
        self.log.append(self.countersign(made, sent))

    def send_checkpoint(self, made: Checkpoint) -> str:
        """A's `checkpoint` message to B, with the consistency proof from the last one B saw."""
        proof = merkle.consistency_proof(self.log.leaves[: made.size], self.shared_size)
        fields = {
            "checkpoint": made.body,
            "signature": made.signature,
            "old_size": self.shared_size,
            "proof": b"".join(proof),
        }
        msg_id, raw = send(self.a, self.b.node_id, "checkpoint", fields, self.now_s)
        self.log.append(raw)
        self.shared_size = made.size
        return msg_id

    def countersign(self, made: Checkpoint, msg_id: str) -> bytes:
        """B's reply to A's checkpoint (node/settlement/audit/witness.py), kept with the record."""
        cosignature = checkpoint.cosign(self.b.identity.signing_key, made)
        self.log.checkpoints[-1][1].append((self.b.node_id, cosignature))
        fields = {
            "size": made.size,
            "decision": "cosigned",
            "cosignature": cosignature,
            "message": "",
        }
        return answer(self.b, self.a, msg_id, self.now_s, encode_result("checkpoint", fields))

    def ping(self) -> None:
        """A's `ping` to B, not yet answered when the bundle is exported."""
        self.now_s += 1
        self.log.append(send(self.a, self.b.node_id, "ping", {"note": ""}, self.now_s)[1])


def new_voucher() -> Voucher:
    return Voucher(voucher_number_from(os.urandom(8)))


def new_scenario(spool: IO[bytes]) -> Scenario:
    a = Company(Identity(SigningKey.generate()), A_NAME)
    b = Company(Identity(SigningKey.generate()), B_NAME)
    scenario = Scenario(a, b, IssuerLog(spool))
    scenario.vouchers = [new_voucher() for _ in range(VOUCHERS)]
    scenario.stores = [(new_id(RNG, "st"), name) for name in STORE_NAMES]
    return scenario


def play(scenario: Scenario, entries: int, checkpoint_every: int) -> None:
    """Exactly `entries` entries: claims, a statement (4 entries) whenever one is due."""
    log, due = scenario.log, checkpoint_every
    scenario.join()
    while log.size < entries:
        left = entries - log.size
        if log.size >= due and left >= 4:
            scenario.statement()
            due = log.size + checkpoint_every
        elif left >= 2:
            scenario.claim()
        else:
            scenario.ping()
    if not log.checkpoints or log.checkpoints[-1][0].size != log.size:
        scenario.now_s += 1  # the on-demand checkpoint an export makes (B has not cosigned it yet)
        log.sign(scenario.a.identity.signing_key, scenario.a.node_id, scenario.now_s)


@dataclass(frozen=True)
class Built:
    path: Path
    entries: int
    checkpoints: int
    claims: int
    statements: int
    accepted_yen: int
    seconds: float
    size_bytes: int
    signed_length: int  # the median signed length of the sampled entries
    origin: str
    peer: str


def build_bundle(path: Path, entries: int, checkpoint_every: int) -> Built:
    started = time.perf_counter()
    spool_path = path.with_suffix(".entries")
    with spool_path.open("wb") as spool:
        scenario = new_scenario(spool)
        play(scenario, entries, checkpoint_every)
    log, a = scenario.log, scenario.a
    with path.open("wb") as out:
        out.write(header_record(a.node_id, a.name, scenario.now_s, log.size, len(log.checkpoints)))
        for made, cosignatures in log.checkpoints:
            out.write(checkpoint_record(made, cosignatures))
        with spool_path.open("rb") as spool:
            shutil.copyfileobj(spool, out)
    spool_path.unlink()
    return Built(
        path,
        log.size,
        len(log.checkpoints),
        scenario.claims,
        scenario.statements,
        scenario.accepted_yen,
        time.perf_counter() - started,
        path.stat().st_size,
        int(statistics.median(log.signed_lengths)),
        a.node_id,
        scenario.b.node_id,
    )


# -- measuring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    seconds: float
    cpu_seconds: float
    entries: int
    rss_before_mb: float
    peak_rss_mb: float
    ok: bool
    problems: tuple[str, ...]
    payable: int

    @property
    def per_s(self) -> float:
        return self.entries / self.seconds if self.seconds else 0.0

    @property
    def growth_mb(self) -> float:
        return max(0.0, self.peak_rss_mb - self.rss_before_mb)


def memory_mb(field_name: str) -> float:
    """VmRSS or VmHWM (peak) of this process, from /proc; ru_maxrss where there is none."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def reset_peak_rss() -> None:
    """Linux: writing 5 to clear_refs resets VmHWM, so the next reading is this call's own peak."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def verify_child(built: Built, trust: dict[str, str], pipe: Connection) -> None:
    """In a fresh process: `kippu audit verify`'s call, timed, and the peak RSS it added."""
    try:
        gc.collect()
        rss_before = memory_mb("VmRSS")
        reset_peak_rss()
        started, cpu = time.perf_counter(), time.process_time()
        report = verify_bundles([built.path], trust)
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
        peak = memory_mb("VmHWM")
        bundle = report.to_json()
        balance = bundle["balances"].get(built.origin, {}).get(built.peer, {})
        problems = [f"{p['index']}: {p['reason']}" for p in bundle["problems"]]
        figures = (seconds, cpu_seconds, bundle["entries"], rss_before, peak, report.ok, problems)
        pipe.send((*figures, balance.get("payable", 0)))
    except BaseException:
        pipe.send(traceback.format_exc())
        raise


def verify_in_fresh_process(built: Built) -> Verification:
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=verify_child, args=(built, {A_NAME: built.origin}, sending))
    child.start()
    sending.close()
    try:
        answer = receiving.recv()
    except EOFError:
        answer = f"the verifying process died (exit status {child.exitcode})"
    child.join()
    if isinstance(answer, str):
        raise SystemExit(f"{BENCH}: verifying {built.path.name} failed:\n{answer}")
    seconds, cpu_seconds, entries, rss_before, peak, ok, problems, payable = answer
    return Verification(
        seconds, cpu_seconds, entries, rss_before, peak, ok, tuple(problems), payable
    )


def raw_verify_rate(message_bytes: int, count: int) -> tuple[float, list[float]]:
    """Ed25519 verifications/s of one cached VerifyKey over pre-made signatures: best of passes."""
    key = SigningKey.generate()
    signed = [key.sign(os.urandom(message_bytes)) for _ in range(count)]
    pairs = [(s.message, s.signature) for s in signed]
    verify = key.verify_key.verify
    rates = []
    for _ in range(RAW_PASSES):
        started = time.perf_counter()
        for message, signature in pairs:
            verify(message, signature)
        rates.append(count / (time.perf_counter() - started))
    return max(rates), rates


def pin_to_one_core() -> str:
    """Run this process and its children on one CPU, so both figures are one core's."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned: no sched_setaffinity here"
    cpu = max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def profile(built: Built, top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    verify_bundles([built.path], {A_NAME: built.origin})
    profiler.disable()
    sys.stdout.flush()
    print(f"{BENCH}: cProfile of verify_bundles on {built.entries:,} entries", file=sys.stderr)
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("tottime").print_stats(top)


# -- reporting -------------------------------------------------------------------------------


def problems_of(built: Built, run: Verification) -> list[str]:
    problems = [f"verify: {p}" for p in run.problems]
    if not run.ok and not run.problems:
        problems.append("verify: the report is not ok")
    if run.entries != built.entries:
        problems.append(f"verify saw {run.entries:,} entries of {built.entries:,}")
    if run.payable != built.accepted_yen:
        problems.append(
            f"A's payable to B is ¥{run.payable:,}, but A accepted ¥{built.accepted_yen:,}"
        )
    return problems


def describe(built: Built, run: Verification) -> str:
    return (
        f"{built.entries:,} entries ({built.size_bytes / 1e6:.1f} MB, {built.claims:,} claims,"
        f" {built.statements} statements, {built.checkpoints} checkpoints): built in"
        f" {built.seconds:.2f} s; verified in {run.seconds:.2f} s = {run.per_s:,.0f} entries/s,"
        f" CPU {run.cpu_seconds / run.seconds:.0%} of one core; peak RSS {run.peak_rss_mb:.1f} MB,"
        f" +{run.growth_mb:.1f} MB over the process before the call"
    )


def report(
    runs: Sequence[tuple[Built, Verification]],
    raw: tuple[float, list[float]],
    pinning: str,
    problems: list[str],
) -> None:
    (small, small_run), (large, large_run) = runs
    limit, passes = raw
    ratio = large_run.per_s / limit if limit else 0.0
    print(
        f"{BENCH}: `kippu audit verify` (verify_bundles) on issuer A's settlement log"
        f" ({os.cpu_count()} cores, {pinning}, Python {platform.python_version()})"
    )
    print(f"  large: {describe(large, large_run)}")
    print(f"  small: {describe(small, small_run)}")
    print(
        f"  raw PyNaCl VerifyKey.verify, {large.signed_length}-byte messages (the median signed"
        f" entry): {limit:,.0f}/s (best of " + ", ".join(f"{r:,.0f}" for r in passes) + ")"
    )
    print(f"  ratio {ratio:.2f} of raw PyNaCl (goal >= {GOAL_RATIO}): ", end="")
    print("met" if ratio >= GOAL_RATIO else "NOT met")
    extra = large_run.growth_mb - small_run.growth_mb
    print(
        f"  memory: +{large_run.growth_mb:.1f} MB at {large.entries:,} entries,"
        f" +{small_run.growth_mb:.1f} MB at {small.entries:,} (flat within"
        f" {FLAT_TOLERANCE_MB:.0f} MB): " + ("met" if extra <= FLAT_TOLERANCE_MB else "NOT met")
    )
    verdict = "both reports ok; A's payable to B = the claims A accepted"
    print(f"  correctness: {len(problems)} problem(s)" if problems else f"  correctness: {verdict}")
    for line in problems[:MAX_PROBLEMS_SHOWN]:
        print(f"    {line}")
    if len(problems) > MAX_PROBLEMS_SHOWN:
        print(f"    ... and {len(problems) - MAX_PROBLEMS_SHOWN} more")
    figure = {
        "bench": BENCH,
        "metric": "entries_verified_per_s",
        "value": round(large_run.per_s),
        "limit_metric": "raw_pynacl_verify_per_s",
        "limit": round(limit),
        "ratio": round(ratio, 2),
        "peak_rss_mb_small": round(small_run.growth_mb, 1),
        "peak_rss_mb_large": round(large_run.growth_mb, 1),
    }
    print(json.dumps(figure), flush=True)


def main() -> int:
    args = parse_args()
    pinning = pin_to_one_core()
    runs: list[tuple[Built, Verification]] = []
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="kippu-bench-audit-") as tmp:
        for label, entries in (("small", args.entries // SMALL_FRACTION), ("large", args.entries)):
            built = build_bundle(Path(tmp) / f"{label}.bundle", entries, args.checkpoint_every)
            run = verify_in_fresh_process(built)
            problems += [f"{label}: {p}" for p in problems_of(built, run)]
            runs.append((built, run))
        raw = raw_verify_rate(runs[-1][0].signed_length, args.signatures)
        if args.profile:
            profile(runs[-1][0], args.profile)
    report(runs, raw, pinning, problems)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
