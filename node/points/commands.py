"""`kippu points ...` and `kippu member ...`: the points program, store rates, campaigns, and a
member's points, through the running node's admin API (node/points/api.py, api_members.py).

Other command modules of points (exchange, lottery) add their commands to the `points` group in
cli.py (`points.add_command(...)`); ranks have their own group.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from node.cli_support import client, command, print_list, print_result, print_table

PROGRAM_SHOWN = (
    "version_id",
    "effective_from",
    "earn_points",
    "earn_per_yen",
    "rounding",
    "expiry",
    "expiry_days",
    "point_value_yen",
    "min_use_points",
    "set_by",
)
CAMPAIGN_SHOWN = ("campaign_id", "name", "store_id", "multiplier_pct", "starts_at", "ends_at")
LOT_SHOWN = ("lot_id", "earned_at", "expires_at", "points", "remaining")
EXPIRY_CHOICES = {"end-of-month": "end_of_month", "end-of-year": "end_of_year", "none": "none"}


@click.group()
def points() -> None:
    """Points (ポイント): the program, store rates, campaigns; earn, use, return, adjust."""


@click.group()
def member() -> None:
    """Members (会員): a customer's member number, points, rank and membership card."""


@points.group()
def program() -> None:
    """The points program: earn rate, rounding, expiry, the value of a point, minimum use."""


@points.group()
def campaign() -> None:
    """Campaign multipliers for a period, at one store or all (e.g. double points)."""


@points.group("store-rate")
def store_rate() -> None:
    """A store's own earn rate (the program's rounding and expiry still apply)."""


def _print_program(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_result(result, as_json)
        return
    print_result(result["in_force"], False, PROGRAM_SHOWN)
    if result["is_default"]:
        click.echo("(the built-in program: head office has not set one)")
    for version in result["scheduled"]:
        click.echo(f"scheduled from {version['effective_from']}:")
        print_result(version, False, PROGRAM_SHOWN[2:])


@command(program, "show")
def program_show(home: Path, as_json: bool) -> None:
    """The program in force now and the versions scheduled after it."""
    _print_program(client(home).get("points/program"), as_json)


def _earn_rate(per_100: int | None, earn_points: int | None, per_yen: int | None) -> dict[str, int]:
    if per_100 is not None:
        if earn_points is not None or per_yen is not None:
            raise click.UsageError("--points-per-100-yen goes alone, or --earn-points/--per-yen")
        return {"earn_points": per_100, "earn_per_yen": 100}
    rate = {"earn_points": earn_points, "earn_per_yen": per_yen}
    return {key: value for key, value in rate.items() if value is not None}


def _expiry(days: int | None, kind: str | None) -> dict[str, Any]:
    if days is not None:
        if kind is not None:
            raise click.UsageError("--expiry-days and --expiry exclude each other")
        return {"expiry": "days", "expiry_days": days}
    return {} if kind is None else {"expiry": EXPIRY_CHOICES[kind]}


@command(program, "set")
@click.option("--points-per-100-yen", "per_100", type=int, help="Points per ¥100 spent.")
@click.option("--earn-points", type=int, help="Points per --per-yen spent.")
@click.option("--per-yen", type=int, help="The yen --earn-points are given for.")
@click.option("--rounding", type=click.Choice(["floor", "round", "ceil"]), help="Of a fraction.")
@click.option("--expiry-days", type=int, help="Points expire this many days after earning.")
@click.option(
    "--expiry", "expiry_kind", type=click.Choice(list(EXPIRY_CHOICES)), help="Or at a period end."
)
@click.option("--point-value-yen", type=int, help="What one point is worth when used (¥).")
@click.option("--min-use", "min_use_points", type=int, help="The fewest points used at once.")
@click.option("--effective-from", help="From this moment, ISO 8601 with offset (default now).")
def program_set(
    home: Path,
    as_json: bool,
    per_100: int | None,
    earn_points: int | None,
    per_yen: int | None,
    expiry_days: int | None,
    expiry_kind: str | None,
    **rest: Any,
) -> None:
    """Change the program from a moment on; what was earned before keeps its terms."""
    body = {
        **_earn_rate(per_100, earn_points, per_yen),
        **_expiry(expiry_days, expiry_kind),
        **{key: value for key, value in rest.items() if value is not None},
    }
    _print_program(client(home).request("PUT", "points/program", body), as_json)


@command(store_rate, "set")
@click.argument("store_id")
@click.option("--points-per-100-yen", "per_100", type=int, help="Points per ¥100 spent.")
@click.option("--earn-points", type=int, help="Points per --per-yen spent.")
@click.option("--per-yen", type=int, help="The yen --earn-points are given for.")
@click.option("--effective-from", help="From this moment, ISO 8601 with offset (default now).")
def store_rate_set(
    home: Path,
    as_json: bool,
    store_id: str,
    per_100: int | None,
    earn_points: int | None,
    per_yen: int | None,
    effective_from: str | None,
) -> None:
    """STORE_ID's own earn rate from a moment on."""
    body: dict[str, Any] = {"store_id": store_id, **_earn_rate(per_100, earn_points, per_yen)}
    if effective_from is not None:
        body["effective_from"] = effective_from
    print_result(client(home).post("points/store-rates", body), as_json)


@command(store_rate, "list")
def store_rate_list(home: Path, as_json: bool) -> None:
    """Every store's rate versions."""
    result = client(home).get("points/store-rates")
    columns = ("store_id", "effective_from", "earn_points", "earn_per_yen")
    print_list(result, "store_rates", as_json, columns)


@command(campaign, "add")
@click.option("--name", required=True, help="What staff and members see, e.g. 2倍デー.")
@click.option("--multiplier-pct", type=int, required=True, help="200: double points.")
@click.option("--ends", "ends_at", required=True, help="Ends at this moment (ISO 8601).")
@click.option("--starts", "starts_at", help="Starts at this moment (default now).")
@click.option("--store", "store_id", help="Only at this store (default every store).")
def campaign_add(home: Path, as_json: bool, **terms: Any) -> None:
    """Add a campaign multiplier for a period to come."""
    body = {key: value for key, value in terms.items() if value is not None}
    print_result(client(home).post("points/campaigns", body), as_json)


@command(campaign, "list")
def campaign_list(home: Path, as_json: bool) -> None:
    """Campaigns, latest start first (running or not)."""
    result = client(home).get("points/campaigns")
    print_list(result, "campaigns", as_json, (*CAMPAIGN_SHOWN, "running", "cancelled_at"))


@command(campaign, "cancel")
@click.argument("campaign_id")
def campaign_cancel(home: Path, as_json: bool, campaign_id: str) -> None:
    """Stop CAMPAIGN_ID from now on (purchases made while it ran keep their points)."""
    print_result(client(home).post(f"points/campaigns/{campaign_id}/cancel"), as_json)


@command(points, "earn")
@click.argument("member_no")
@click.option("--purchase", "purchase_yen", type=int, required=True, help="The purchase in yen.")
@click.option("--txn", required=True, help="The transaction id: sent again, it earns once.")
@click.option("--store", "store_id", help="The store it was bought at.")
def points_earn(
    home: Path, as_json: bool, member_no: str, purchase_yen: int, txn: str, store_id: str | None
) -> None:
    """Points for a purchase by MEMBER_NO (or a card number or card code)."""
    body: dict[str, Any] = {"member": member_no, "purchase_yen": purchase_yen, "txn": txn}
    if store_id is not None:
        body["store_id"] = store_id
    print_result(client(home).post("points/earn", body), as_json)


@command(points, "use")
@click.argument("payload")
@click.option("--points", "points_used", type=int, required=True, help="How many points.")
@click.option("--txn", required=True, help="The transaction id: sent again, it spends once.")
@click.option("--store", "store_id", help="The store they are used at.")
def points_use(
    home: Path, as_json: bool, payload: str, points_used: int, txn: str, store_id: str | None
) -> None:
    """Use points with the card's one-time code PAYLOAD (`kippu member card`)."""
    body: dict[str, Any] = {"member": payload, "points": points_used, "txn": txn}
    if store_id is not None:
        body["store_id"] = store_id
    print_result(client(home).post("points/use", body), as_json)


@command(points, "return")
@click.option("--txn", required=True, help="The purchase's or the use's transaction id.")
def points_return(home: Path, as_json: bool, txn: str) -> None:
    """Undo a transaction: a purchase's points taken back, or a use's points given back."""
    print_result(client(home).post("points/returns", {"txn": txn}), as_json)


@command(points, "adjust")
@click.argument("member_no")
@click.option("--points", "delta", type=int, required=True, help="+N credits, -N debits.")
@click.option("--reason", required=True, help="Why: kept with the entry.")
@click.option("--txn", help="A transaction id: sent again, the adjustment is made once.")
def points_adjust(
    home: Path, as_json: bool, member_no: str, delta: int, reason: str, txn: str | None
) -> None:
    """Correct MEMBER_NO's balance, with the reason."""
    body: dict[str, object] = {"points": delta, "reason": reason}
    if txn is not None:
        body["txn"] = txn
    print_result(client(home).post(f"members/{member_no}/adjust", body), as_json)


@command(points, "balance")
@click.argument("member_no")
def points_balance(home: Path, as_json: bool, member_no: str) -> None:
    """MEMBER_NO's points and their lots, soonest expiry first."""
    result = client(home).get(f"members/{member_no}/points")
    print_result(result, as_json, ("member_no", "balance"))
    if not as_json:
        print_table(result["lots"], LOT_SHOWN)


@command(points, "history")
@click.argument("member_no")
def points_history(home: Path, as_json: bool, member_no: str) -> None:
    """MEMBER_NO's latest points entries, newest first."""
    result = client(home).get(f"members/{member_no}/history")
    columns = ("created_at", "kind", "points", "actor", "reason")
    print_list(result, "entries", as_json, columns)


@command(member, "show")
@click.argument("customer_id")
def member_show(home: Path, as_json: bool, customer_id: str) -> None:
    """CUSTOMER_ID's member number, points and rank (the membership is made on first need)."""
    result = client(home).post(f"customers/{customer_id}/member")
    print_result(result, as_json, ("member_no", "card_no", "points", "rank", "member_since"))


@command(member, "card")
@click.argument("customer_id")
def member_card(home: Path, as_json: bool, customer_id: str) -> None:
    """The code CUSTOMER_ID's membership card shows now (one-time, about a minute)."""
    result = client(home).get(f"customers/{customer_id}/member/card")
    print_result(result, as_json, ("member_no", "payload", "manual_code", "valid_until"))
