"""`kippu audit verify`: check one or more bundles offline, then every pair of partners among them."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from node.errors import BundleUnreadable
from node.verifier.books import open_register
from node.verifier.bundle_reader import BundleReader
from node.verifier.pairs import compare
from node.verifier.report import BundleReport, Report
from node.verifier.verify import BundleVerifier, Verified


def verify_bundles(paths: Sequence[Path], trust: Mapping[str, str]) -> Report:
    """`trust` maps a company name to the node id the auditor knows it by (--trust NAME=ID)."""
    report = Report()
    verified: list[Verified] = []
    with tempfile.TemporaryDirectory(prefix="kippu-audit-") as workdir:
        register = open_register(str(Path(workdir) / "register.sqlite"))
        try:
            for path in paths:
                result = _verify_one(path, register, report)
                if result is not None:
                    verified.append(result)
                    _pin(result.report, trust, report)
            for i, first in enumerate(verified):
                for second in verified[i + 1 :]:
                    # Either log naming the other makes them a pair: a bundle that leaves out every
                    # exchange with a partner must not escape the comparison.
                    if (
                        second.report.origin in first.parties
                        or first.report.origin in second.parties
                    ):
                        report.pairs.append(compare(first, second, register))
        finally:
            register.close()
    return report


def _verify_one(path: Path, register: sqlite3.Connection, report: Report) -> Verified | None:
    with path.open("rb") as stream:
        try:
            reader = BundleReader(stream)
        except BundleUnreadable as exc:
            failed = BundleReport(str(path), "", "?")
            failed.problem(f"{path.name}: {exc.message}")
            report.bundles.append(failed)
            return None
        result = BundleVerifier(reader, register).run()
    report.bundles.append(result.report)
    return result


def _pin(bundle: BundleReport, trust: Mapping[str, str], report: Report) -> None:
    expected = trust.get(bundle.name)
    if expected is not None and expected != bundle.origin:
        bundle.problem(
            f"the bundle says it is {bundle.name!r}, but its node id is not the one trusted for"
            " that name"
        )
    bundle.pinned = bundle.origin in trust.values()
    if not bundle.pinned:
        report.warnings.append(
            f"{bundle.name} ({bundle.origin}) is not pinned with --trust: compare its fingerprint"
            f" {bundle.fingerprint} with the one the company gives you"
        )
