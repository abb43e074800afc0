"""`kippu campaign payout` and `kippu campaign reconcile`: store payouts through the running
node's admin API (node/campaigns/payout_api.py). cli.py adds COMMANDS to the `campaign` group."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from node.cli_support import client, command, print_result, print_table

PAYOUT_SHOWN = ("payout_id", "from", "to", "transfer_date", "stores", "total_yen", "txn_id")
RECONCILE_COLUMNS = (
    "campaign_id",
    "budget_yen",
    "granted_yen",
    "remaining_yen",
    "used_yen",
    "lapsed_yen",
    "outstanding_yen",
    "paid_yen",
    "unpaid_yen",
    "reconciled",
)
DOWNLOADS = {"csv": "usage.csv", "zengin": "transfer-file"}

_commands = click.Group()  # only to hold the commands until cli.py adds them to `campaign`


@command(_commands, "payout")
@click.option("--from", "first", required=True, help="The period's first day, YYYY-MM-DD.")
@click.option("--to", "last", required=True, help="Its last day, before today.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(DOWNLOADS)),
    required=True,
    help="csv: the use by store, campaign and class; zengin: the 総合振込 file for the bank.",
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The file."
)
@click.option("--transfer-date", help="振込指定日, YYYY-MM-DD (default tomorrow).")
def payout(
    home: Path,
    as_json: bool,
    first: str,
    last: str,
    fmt: str,
    out: Path,
    transfer_date: str | None,
) -> None:
    """Pay the stores for a period that is over: record the run (once per period; asking for the
    same period again shows it) and write its usage CSV or its 全銀 transfer file."""
    api = client(home)
    body: dict[str, Any] = {"from": first, "to": last}
    if transfer_date is not None:
        body["transfer_date"] = transfer_date
    run = api.post("payouts", body)
    size = api.download(f"payouts/{run['payout_id']}/{DOWNLOADS[fmt]}", out)
    print_result({**run, "format": fmt, "out": str(out), "bytes": size}, as_json, PAYOUT_SHOWN)
    if not as_json:
        click.echo(f"wrote {size} bytes to {out}")


@command(_commands, "reconcile")
def reconcile(home: Path, as_json: bool) -> None:
    """Each campaign's books: budget = granted + remaining; granted = used + lapsed +
    outstanding; paid + unpaid = used. Exit 1 if any does not hold."""
    answer = client(home).get("payout-reconciliation")
    if as_json:
        print_result(answer, True)
    else:
        print_table(answer["campaigns"], RECONCILE_COLUMNS)
    if not answer["reconciled"]:
        raise SystemExit(1)


COMMANDS = (_commands.commands["payout"], _commands.commands["reconcile"])
