"""Benchmark: `kippu audit verify` of this tree against the verifier of another commit, interleaved.

bench/audit.py measures the verifier beside raw PyNaCl; on a machine shared with other work its
figure moves by tens of percent from run to run. This one answers the narrower question "what
did a change to the verifier cost?" in a way such noise affects less: it builds one bundle
(bench/settlement_log.py), then verifies it alternately with this tree's code and with the code
of --base (extracted with `git archive` into a temporary directory), each run in a fresh process
pinned to one core, timed in CPU seconds of that process, and reports the median of each round's ratio.
Both verifiers must report the bundle ok. Prints, last, one JSON line: the entries per CPU-second
of this tree beside those of --base (the limit here is the old code, not the hardware).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from settlement_log import build_bundle

ROOT = Path(__file__).resolve().parent.parent
CHILD = """
import json, os, sys, time
from pathlib import Path
os.sched_setaffinity(0, {int(sys.argv[2])})
from node.verifier.auditor import verify_bundles
started = time.process_time()
report = verify_bundles([Path(sys.argv[1])], {})
print(json.dumps({"cpu_s": time.process_time() - started, "ok": report.ok,
                  "entries": report.to_json()["entries"]}))
"""


def verify_rate(code_root: Path, bundle: Path, cpu: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(code_root)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(bundle), str(cpu)],
        cwd=code_root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    got = json.loads(out.strip().splitlines()[-1])
    if not got["ok"]:
        raise SystemExit(f"the verifier in {code_root} found problems in the bundle")
    return float(got["entries"]) / float(got["cpu_s"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main", help="the commit to compare with (main)")
    parser.add_argument("--entries", type=int, default=40_000, help="bundle entries (40000)")
    parser.add_argument("--rounds", type=int, default=9, help="runs of each, interleaved (9)")
    args = parser.parse_args()
    cpu = max(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory(prefix="kippu-audit-compare-") as tmp:
        base_root = Path(tmp) / "base"
        base_root.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.base, "node"], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(base_root)], input=archive, check=True)
        bundle = Path(tmp) / "a.bundle"
        built = build_bundle(bundle, args.entries, 10_000)
        rates: dict[str, list[float]] = {"this tree": [], args.base: []}
        for _ in range(args.rounds):
            rates[args.base].append(verify_rate(base_root, bundle, cpu))
            rates["this tree"].append(verify_rate(ROOT, bundle, cpu))
    print(
        f"audit_compare: {built.entries:,} entries, {args.rounds} interleaved runs each, CPU {cpu}"
    )
    medians = {name: statistics.median(values) for name, values in rates.items()}
    for name, values in rates.items():
        shown = ", ".join(f"{v:,.0f}" for v in values)
        print(f"  {name}: {medians[name]:,.0f} entries per CPU-second (median of {shown})")
    # Each round's two runs are neighbours in time, so their ratio shares the machine's load of
    # the moment; the median of those ratios is the figure (the ratio of medians is shown too).
    paired = [t / b for t, b in zip(rates["this tree"], rates[args.base], strict=True)]
    ratio = statistics.median(paired)
    print(
        f"  this tree / {args.base}: {ratio:.3f} (median of the rounds' ratios; of medians"
        f" {medians['this tree'] / medians[args.base]:.3f})"
    )
    figure = {
        "bench": "audit_compare",
        "metric": "entries_verified_per_cpu_s",
        "value": round(medians["this tree"]),
        "limit_metric": f"entries_verified_per_cpu_s_at_{args.base}",
        "limit": round(medians[args.base]),
        "ratio": round(ratio, 3),
    }
    print(json.dumps(figure))


if __name__ == "__main__":
    main()
