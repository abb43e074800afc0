"""`kippu compliance ...`: the Payment Services Act (資金決済法) duties, through the admin API."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import click

from node.cli_support import client, command, print_result

SUMMARY_KEYS = (
    "issuer",
    "reference_date",
    "final",
    "unused",
    "issued",
    "collected",
    "passes_threshold",
    "deposit_required",
    "filing_required",
    "filing_deadline",
)


@click.group()
def compliance() -> None:
    """資金決済法 (Payment Services Act): the 基準日 report, refunds and the business abolition."""


@command(compliance, "report")
@click.option("--date", "day", required=True, help="The 基準日: YYYY-03-31 or YYYY-09-30.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "pdf"]),
    default="json",
    show_default=True,
    help="JSON figures, a CSV by class, or a PDF laid out like the 報告書.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (a PDF goes to kijunbi-DATE.pdf when not given).",
)
def report(home: Path, as_json: bool, day: str, fmt: str, output: Path | None) -> None:
    """The 基準日 report: 基準日未使用残高 as of the end of that day, issued and collected in
    the period, by class, the ¥10,000,000 threshold, the 発行保証金 and the filing deadline."""
    node = client(home)
    if fmt == "json" and output is None:
        result = node.get("compliance/report", date=day)
        print_result(result, as_json, None if as_json else SUMMARY_KEYS)
        return
    path = "compliance/report?" + urllib.parse.urlencode({"date": day, "format": fmt})
    if fmt == "csv" and output is None:
        click.echo(node.get_bytes(path).decode("utf-8-sig"), nl=False)
        return
    out = output or Path(f"kijunbi-{day}.{fmt}")
    size = node.download(path, out)
    print_result({"file": str(out), "bytes": size, "format": fmt}, as_json)
