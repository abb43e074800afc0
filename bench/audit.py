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
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from nacl.signing import SigningKey
from settlement_log import A_NAME, Built, build_bundle

from node.verifier.auditor import verify_bundles

BENCH = "audit"
GOAL_RATIO = 0.70
FLAT_TOLERANCE_MB = 4.0  # the larger bundle may add this much more peak RSS and still count as flat
SMALL_FRACTION = 4  # the second size, for memory: --entries / 4
RAW_PASSES = 3
MAX_PROBLEMS_SHOWN = 10


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
