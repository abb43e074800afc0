"""`kippu rank set|show|floor|recompute`: member ranks (会員ランク), through the running node's
admin API (node/points/rank_api.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from node.cli_support import client, command, print_result, print_table

MEMBER_SHOWN = (
    "member_no",
    "rank",
    "multiplier_pct",
    "window_spend_yen",
    "next_rank",
    "yen_to_next",
    "next_recompute_at",
)
LEVEL_COLUMNS = ("name", "min_spend_yen", "multiplier_pct")


def _level(text: str) -> dict[str, Any]:
    """NAME:MIN_YEN:MULTIPLIER_PCT, e.g. シルバー:50000:150 (the name may hold colons)."""
    name, _, rest = text.rpartition(":")
    name, _, spend = name.rpartition(":")
    try:
        return {"name": name, "min_spend_yen": int(spend), "multiplier_pct": int(rest)}
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not NAME:MIN_YEN:MULTIPLIER_PCT", param_hint="--level"
        ) from None


def _print_table(table: dict[str, Any] | None, title: str) -> None:
    if table is None:
        click.echo(f"{title}: (none)")
        return
    click.echo(
        f"{title}: from {table['effective_from']}, window {table['window']},"
        f" recompute {table['recompute']}"
    )
    print_table(table["levels"], LEVEL_COLUMNS)


@click.group()
def rank() -> None:
    """Member ranks (会員ランク): the rank table, manual floors, the yearly recompute."""


@command(rank, "set")
@click.option(
    "--window",
    type=click.Choice(["calendar_year", "rolling_12_months"]),
    required=True,
    help="The spend that decides a rank: this calendar year, or the last 12 months.",
)
@click.option("--recompute", required=True, help="The yearly recompute day, MM-DD (01-01).")
@click.option(
    "--level",
    "levels",
    multiple=True,
    required=True,
    help="NAME:MIN_YEN:MULTIPLIER_PCT, lowest first; the first is 0 yen and 100 %.",
)
@click.option("--effective-from", help="From this day (YYYY-MM-DD) or ISO time (default: now).")
def rank_set(
    home: Path,
    as_json: bool,
    window: str,
    recompute: str,
    levels: tuple[str, ...],
    effective_from: str | None,
) -> None:
    """A new version of the rank table; earlier versions and past ranks stay as they were."""
    body: dict[str, Any] = {
        "window": window,
        "recompute": recompute,
        "levels": [_level(text) for text in levels],
    }
    if effective_from is not None:
        body["effective_from"] = effective_from
    result = client(home).request("PUT", "points/ranks", body)
    if as_json:
        print_result(result, True)
    else:
        _print_table(result, "rank table")


@command(rank, "show")
def rank_show(home: Path, as_json: bool) -> None:
    """The rank table in force, and versions set to start later."""
    result = client(home).get("points/ranks")
    if as_json:
        print_result(result, True)
        return
    _print_table(result["in_force"], "in force")
    for table in result["scheduled"]:
        _print_table(table, "scheduled")


@command(rank, "floor")
@click.argument("member_no")
@click.option("--rank", "rank_name", required=True, help="The rank the member holds at least.")
@click.option("--until", required=True, help="Through this day (YYYY-MM-DD), then it ends.")
@click.option("--reason", required=True, help="Why (recorded with who granted it).")
def rank_floor(
    home: Path, as_json: bool, member_no: str, rank_name: str, until: str, reason: str
) -> None:
    """A manual rank: MEMBER_NO holds at least --rank until the end of --until."""
    body = {"rank": rank_name, "floor_until": until, "reason": reason}
    result = client(home).post(f"members/{member_no}/rank-floor", body)
    print_result(result, as_json, (*MEMBER_SHOWN, "floor"))
    if not as_json and result.get("floor"):
        floor = result["floor"]
        click.echo(f"floor: {floor['rank']} until {floor['until']} ({floor['reason']})")


@command(rank, "recompute")
def rank_recompute(home: Path, as_json: bool) -> None:
    """Run what is due now: the recompute (once per recompute day) and floors that ended."""
    print_result(client(home).post("points/ranks/recompute"), as_json)


@command(rank, "member")
@click.argument("member_no")
def rank_member(home: Path, as_json: bool, member_no: str) -> None:
    """MEMBER_NO's rank: multiplier, spend in the window, what is left to the next rank."""
    result = client(home).get(f"members/{member_no}/rank")
    print_result(result, as_json, MEMBER_SHOWN)
    if not as_json and result.get("floor"):
        floor = result["floor"]
        click.echo(f"floor: {floor['rank']} until {floor['until']} ({floor['reason']})")
