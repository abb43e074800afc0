"""`kippu points report` (the points roll-forward of a run of days, the figures 収益認識 needs)
and `kippu points items` (the goods the regulars keep buying), through the running node's admin
API (node/points/report_api.py). They join the `points` group in cli.py."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import click

from node.cli_support import client, command, print_list, print_result

REPORT_SHOWN = (
    "from",
    "to",
    "opening_points",
    "closing_points",
    "balanced",
    "point_value_yen",
    "closing_yen",
    "lapsed_points_12m",
    "spent_points_12m",
    "non_use_rate_12m",
)
ITEM_SHOWN = ("sku", "name", "quantity", "amount_yen", "buyers", "regular_share")


@click.group()
def _reports() -> None:
    """Holds the report commands until cli.py adds them to `kippu points`."""


def _query(first: str | None, last: str | None) -> str:
    asked = {k: v for k, v in (("from", first), ("to", last)) if v is not None}
    return f"?{urlencode(asked)}" if asked else ""


@command(_reports, "report")
@click.option("--from", "first", help="First local day, YYYY-MM-DD (default: this month's 1st).")
@click.option("--to", "last", help="Last local day, YYYY-MM-DD, included (default: today).")
def points_report(home: Path, as_json: bool, first: str | None, last: str | None) -> None:
    """Points held at the start, each kind of change, held at the end, and the non-use rate."""
    result = client(home).get("points/report" + _query(first, last))
    print_result(result, as_json, REPORT_SHOWN)
    if not as_json:
        for kind, points in result["changes"].items():
            click.echo(f"  {kind}: {points:+d}")


@command(_reports, "items")
@click.option("--from", "first", help="First local day, YYYY-MM-DD (default: this month's 1st).")
@click.option("--to", "last", help="Last local day, YYYY-MM-DD, included (default: today).")
def points_items(home: Path, as_json: bool, first: str | None, last: str | None) -> None:
    """Each SKU bought with points earned, and the regulars' share (常連が支える商品)."""
    result = client(home).get("points/items" + _query(first, last))
    print_list(result, "items", as_json, ITEM_SHOWN)
    if not as_json:
        carried = [row["name"] for row in result["items"] if row["carried_by_regulars"]]
        click.echo(f"carried by the regulars: {', '.join(carried) or '-'}")


COMMANDS = tuple(_reports.commands.values())
