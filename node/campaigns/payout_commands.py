"""`kippu campaign payout`, `reconcile`, `carries`, `write-off`, `carry-repaid` and `carry-keep`:
store payouts and what stores owe back from them, through the running node's admin API
(node/campaigns/payout_api.py, carry_api.py). cli.py adds COMMANDS to the `campaign` group."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from node.cli_support import client, command, post_with_key, print_result, print_table

PAYOUT_SHOWN = ("payout_id", "from", "to", "transfer_date", "stores", "total_yen", "txn_id")
RECONCILE_COLUMNS = (
    "campaign_id",
    "budget_yen",
    "granted_yen",
    "remaining_yen",
    "used_yen",
    "lapsed_yen",
    "outstanding_yen",
    "settled_yen",
    "paid_yen",
    "netted_yen",
    "unpaid_yen",
    "reconciled",
)
STORES_SHOWN = (
    "store_id",
    "store_name",
    "net_yen",
    "carry_in_yen",
    "transferred_yen",
    "carry_out_yen",
)
STORE_BOOKS = (
    "store_id",
    "store_name",
    "transferred_yen",
    "written_off_yen",
    "repaid_yen",
    "carry_yen",
    "unpaid_use_yen",
    "ledger_balance_yen",
    "reconciled",
)
CARRIES_SHOWN = ("store_id", "store_name", "carry_yen", "is_legacy")
KEPT_SHOWN = ("store_id", "store_name", "carry_yen", "reason", "idempotency_key")
WRITE_OFFS_SHOWN = (
    "write_off_id",
    "kind",
    "store_id",
    "amount_yen",
    "reason",
    "created_at",
    "actor",
)
RECORD_SHOWN = (*WRITE_OFFS_SHOWN, "idempotency_key")
DOWNLOADS = {"csv": "usage.csv", "zengin": "transfer-file"}
KEY_OPTION = click.option(
    "--idempotency-key",
    "key",
    help="Sent as Idempotency-Key (1-64 letters, digits, - _ . : /): run again with the same"
    " key and arguments, it answers the record made the first time instead of booking again."
    " Default: a new key for each run.",
)

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
        click.echo("each store (net of the period, owed back before, transferred, owed after):")
        print_table(run["by_store"], STORES_SHOWN)
        click.echo(f"wrote {size} bytes to {out}")


@command(_commands, "reconcile")
def reconcile(home: Path, as_json: bool) -> None:
    """Each campaign's books: budget = granted + remaining; granted = used + lapsed +
    outstanding; paid + unpaid = used; and each store's against its revenue account. Exit 1 if
    any does not hold."""
    answer = client(home).get("payout-reconciliation")
    if as_json:
        print_result(answer, True)
    else:
        print_table(answer["campaigns"], RECONCILE_COLUMNS)
        click.echo("")
        print_table(answer["stores"], STORE_BOOKS)
    if not answer["reconciled"]:
        raise SystemExit(1)


@command(_commands, "carries")
def carries(home: Path, as_json: bool) -> None:
    """Every store that owes back from its payouts (a void of a coupon paid in an earlier run),
    which the next runs deduct from its use; a legacy carry (from runs before the carry-forward)
    waits for review (carry-repaid, write-off or carry-keep) and holds the runs back meanwhile.
    Then every write-off and repayment so far."""
    answer = client(home).get("payout-carries")
    if as_json:
        print_result(answer, True)
        return
    print_table(answer["carries"], CARRIES_SHOWN)
    click.echo(f"total_yen: {answer['total_yen']}")
    click.echo("write-offs:")
    print_table(answer["write_offs"], WRITE_OFFS_SHOWN)
    click.echo("repayments:")
    print_table(answer["repayments"], WRITE_OFFS_SHOWN)


def post_keyed(home: Path, path: str, body: dict[str, Any], key: str | None) -> dict[str, Any]:
    """POST a carry's record with an Idempotency-Key (a new one per run unless given), so a run
    whose answer was lost can be repeated with the key it names and books nothing twice."""
    made, sent_key = post_with_key(client(home), path, body, key)
    return {**made, "idempotency_key": sent_key}


@command(_commands, "write-off")
@click.argument("store_id")
@click.option(
    "--amount-yen",
    type=int,
    required=True,
    help="What the store owes back now (`kippu campaign carries`); refused if it changed.",
)
@click.option("--reason", required=True, help="Why the office forgoes it (the store left, ...).")
@KEY_OPTION
def write_off(
    home: Path, as_json: bool, store_id: str, amount_yen: int, reason: str, key: str | None
) -> None:
    """Forgo all a store owes back from its payouts, recorded with the reason and booked as the
    office's loss (Cr revenue:<store>, Dr the write-off expense). Cannot be undone."""
    body = {"amount_yen": amount_yen, "reason": reason}
    made = post_keyed(home, f"stores/{store_id}/carry-write-off", body, key)
    print_result(made, as_json, RECORD_SHOWN)


@command(_commands, "carry-repaid")
@click.argument("store_id")
@click.option(
    "--amount-yen",
    type=int,
    required=True,
    help="What the store paid back, at most what it owes (`kippu campaign carries`).",
)
@click.option("--reason", required=True, help="How it paid (cash at the counter, receipt no. ...).")
@KEY_OPTION
def carry_repaid(
    home: Path, as_json: bool, store_id: str, amount_yen: int, reason: str, key: str | None
) -> None:
    """Record that a store paid back part or all of what it owes from its payouts (cash or a
    transfer to the office): booked as Dr cash:hq, Cr revenue:<store>; the next runs net only
    the rest."""
    body = {"amount_yen": amount_yen, "reason": reason}
    made = post_keyed(home, f"stores/{store_id}/carry-repaid", body, key)
    print_result(made, as_json, RECORD_SHOWN)


@command(_commands, "carry-keep")
@click.argument("store_id")
@click.option(
    "--amount-yen",
    type=int,
    required=True,
    help="What the store owes back now (`kippu campaign carries`); refused if it changed.",
)
@click.option("--reason", required=True, help="Why it is still owed (checked with the store).")
@KEY_OPTION
def carry_keep(
    home: Path, as_json: bool, store_id: str, amount_yen: int, reason: str, key: str | None
) -> None:
    """Keep a legacy carry (a negative net from runs before the carry-forward, once settled by
    hand) for the next runs to net, after checking that the store did not repay it."""
    body = {"amount_yen": amount_yen, "reason": reason}
    kept = post_keyed(home, f"stores/{store_id}/carry-keep", body, key)
    print_result(kept, as_json, KEPT_SHOWN)


COMMANDS = tuple(
    _commands.commands[name]
    for name in ("payout", "reconcile", "carries", "write-off", "carry-repaid", "carry-keep")
)
