"""`kippu audit ...`: checkpoints, inclusion proofs, export, and the offline verifier."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from node.cli_support import client, command, json_option, print_result, print_table
from node.identity import decode_node_id
from node.verifier.auditor import verify_bundles
from node.verifier.report import Report


@click.group()
def audit() -> None:
    """The signed settlement log (監査ログ): checkpoints, proofs, export, offline verification."""


@command(audit, "status")
def status(home: Path, as_json: bool) -> None:
    """The latest checkpoint with its countersignatures, partners' checkpoints we witnessed, alarms."""
    _print_status(client(home).get("audit/checkpoint"), as_json)


@command(audit, "checkpoint")
def make_checkpoint(home: Path, as_json: bool) -> None:
    """Sign the log now and have every active partner countersign it."""
    _print_status(client(home).post("audit/checkpoint"), as_json)


@command(audit, "prove")
@click.argument("claim_or_statement_id")
def prove(home: Path, as_json: bool, claim_or_statement_id: str) -> None:
    """Inclusion proofs of every entry about a claim or statement (makes a checkpoint first)."""
    node = client(home)
    node.post("audit/checkpoint")
    result = node.get(f"audit/proof/{claim_or_statement_id}")
    if as_json:
        print_result(result, True)
        return
    cp = result["checkpoint"]
    click.echo(f"checkpoint: size {cp['size']}, root {cp['root']}, {cp['created']}")
    rows = [
        {"index": e["index"], "type": e["type"], "leaf": e["leaf"], "proof_hashes": len(e["proof"])}
        for e in result["entries"]
    ]
    print_table(rows, ("index", "type", "leaf", "proof_hashes"))


@command(audit, "export")
@click.option(
    "--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File."
)
def export(home: Path, as_json: bool, out: Path) -> None:
    """Write the self-contained audit bundle (makes a checkpoint first; docs/audit.md)."""
    node = client(home)
    made = node.post("audit/checkpoint")
    size = node.download("audit/export", out)
    latest = made["latest_checkpoint"]
    result = {
        "file": str(out),
        "bytes": size,
        "entries": latest["size"],
        "root": latest["root"],
        "cosigned_by": [c["name"] for c in latest["cosignatures"]],
    }
    print_result(result, as_json)


@audit.command("verify")
@click.argument(
    "bundles", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--trust",
    "trusted",
    multiple=True,
    metavar="NAME=NODE_ID",
    help="Pin a company's node id (as the company gave it to you); repeat per company.",
)
@json_option
def verify(bundles: tuple[Path, ...], trusted: tuple[str, ...], as_json: bool) -> None:
    """Check bundles offline: signatures, tree, checkpoints, chains, books, and partners' agreement.

    Exit status 0 when nothing is wrong, 1 when any problem is found."""
    report = verify_bundles(list(bundles), _trust(trusted))
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_report(report)
    sys.exit(0 if report.ok else 1)


def _trust(pairs: tuple[str, ...]) -> dict[str, str]:
    trust: dict[str, str] = {}
    for pair in pairs:
        name, sep, node_id = pair.rpartition("=")
        node_id = node_id.strip().upper()
        if not sep or not name:
            raise click.BadParameter(f"{pair!r} is not NAME=NODE_ID", param_hint="--trust")
        try:
            decode_node_id(node_id)
        except ValueError as exc:
            raise click.BadParameter(f"{pair!r}: {exc}", param_hint="--trust") from exc
        trust[name] = node_id
    return trust


def _print_status(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_result(result, True)
        return
    click.echo(f"log entries: {result['log_size']}")
    latest = result["latest_checkpoint"]
    if latest is None:
        click.echo("no checkpoint yet (kippu audit checkpoint)")
    else:
        click.echo(f"latest checkpoint: size {latest['size']}, root {latest['root']}")
        click.echo(f"  signed {latest['created']}")
        print_table(latest["cosignatures"], ("name", "cosigner", "received_at"))
    if result["alarms"]:
        click.echo("ALARMS:")
        print_table(result["alarms"], ("name", "whose_log", "size", "reason", "detected_at"))


def _print_report(report: Report) -> None:
    for bundle in report.bundles:
        mark = (
            "ok" if not bundle.problems else f"{len(bundle.problems) + bundle.dropped} problem(s)"
        )
        click.echo(
            f"{bundle.name} ({bundle.origin[:8]}, fingerprint {bundle.fingerprint}): "
            f"{bundle.entries} entries, {bundle.checkpoints} checkpoints: {mark}"
        )
        rows = [{"partner": b.name, **b.to_json()} for b in bundle.balances.values()]
        print_table(rows, ("partner", "receivable", "payable", "net"))
    for pair in report.pairs:
        click.echo(
            f"pair {pair.first[:8]} / {pair.second[:8]}: {pair.claims_matched} claims match,"
            f" {pair.in_flight} in flight, balances {'agree' if pair.balances_agree else 'DIFFER'}"
        )
    for warning in report.warnings:
        click.echo(f"warning: {warning}")
    for problem in report.problems:
        where = "" if problem.index is None else f" entry {problem.index}"
        where += "" if problem.checkpoint is None else f" checkpoint {problem.checkpoint}"
        click.echo(f"PROBLEM {problem.bundle[:8]}{where}: {problem.reason}")
    click.echo("OK: nothing wrong found" if report.ok else "FAILED")


@command(audit, "ask")
@click.argument("peer_id")
@click.argument("claim_or_statement_id")
def ask(home: Path, as_json: bool, peer_id: str, claim_or_statement_id: str) -> None:
    """Have a partner prove its log holds our exchanges about a claim or statement, byte for byte,
    against the last checkpoint of its that we countersigned."""
    result = client(home).post("audit/ask", {"peer": peer_id, "topic": claim_or_statement_id})
    if as_json:
        print_result(result, True)
        return
    click.echo(f"partner checkpoint: size {result['checkpoint_size']}, root {result['root']}")
    print_table(result["entries"], ("index", "type", "same_as_ours"))
    click.echo("proven, identical to ours" if result["all_same_as_ours"] else "DIFFERS from ours")
