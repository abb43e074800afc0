"""`kippu points item|order|lottery ...` (the exchange catalogue and point lotteries, through the
running node's admin API: node/points/exchange_api.py, lottery_api.py) and `kippu points
verify-draw FILE`, which needs no node: it recomputes a lottery's draw from its draw file
(node/points/lottery_draw.py) and exits 0 when everything matches, 1 naming what differs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from node.cli_support import client, command, json_option, print_list, print_result
from node.points.lottery_draw import DrawFileInvalid, differences

ITEM_SHOWN = ("item_id", "name", "points", "stock", "on_offer", "retired_at")
ORDER_SHOWN = ("order_id", "item_name", "member_no", "points", "status", "created_at")
LOTTERY_SHOWN = ("lottery_id", "name", "entry_points", "state", "entry_count", "closes_at")
LOTTERY_DETAIL = (
    "lottery_id",
    "name",
    "state",
    "entry_points",
    "entry_value_yen",
    "max_entries",
    "opens_at",
    "closes_at",
    "related_sales_yen",
    "prize_total_yen",
    "prize_total_limit_yen",
    "entry_count",
    "commitment",
    "entries_hash",
    "seed",
    "refunded",
)


@click.group()
def item() -> None:
    """The exchange catalogue (ポイント交換): items members exchange points for."""


@command(item, "add")
@click.option("--name", required=True, help="What members see, e.g. オリジナルタオル.")
@click.option("--points", type=int, required=True, help="What one costs, in points.")
@click.option("--stock", type=int, help="How many may be ordered (default: no limit).")
@click.option("--description", help="A line about the item.")
def item_add(
    home: Path, as_json: bool, name: str, points: int, stock: int | None, description: str | None
) -> None:
    """Add an item to the catalogue."""
    body = {"name": name, "points": points, "stock": stock, "description": description}
    print_result(client(home).post("points/exchange/items", body), as_json, ITEM_SHOWN)


@command(item, "list")
def item_list(home: Path, as_json: bool) -> None:
    """The catalogue, newest first: cost, stock, whether it is on offer."""
    print_list(client(home).get("points/exchange/items"), "items", as_json, ITEM_SHOWN)


@command(item, "retire")
@click.argument("item_id")
def item_retire(home: Path, as_json: bool, item_id: str) -> None:
    """Stop offering ITEM_ID; orders already taken keep going."""
    print_result(client(home).post(f"points/exchange/items/{item_id}/retire"), as_json, ITEM_SHOWN)


@click.group()
def order() -> None:
    """Exchange orders: ship them, or cancel them (the points go back)."""


@command(order, "list")
@click.option("--status", type=click.Choice(["ordered", "shipped", "cancelled"]))
def order_list(home: Path, as_json: bool, status: str | None) -> None:
    """Orders, newest first (200 at most), of one status when given."""
    result = client(home).get("points/exchange/orders", status=status)
    print_list(result, "orders", as_json, ORDER_SHOWN)


@command(order, "ship")
@click.argument("order_id")
def order_ship(home: Path, as_json: bool, order_id: str) -> None:
    """Mark ORDER_ID shipped."""
    print_result(client(home).post(f"points/exchange/orders/{order_id}/ship"), as_json, ORDER_SHOWN)


@command(order, "cancel")
@click.argument("order_id")
def order_cancel(home: Path, as_json: bool, order_id: str) -> None:
    """Cancel ORDER_ID (not shipped): its points back to the member's lots, the stock back."""
    result = client(home).post(f"points/exchange/orders/{order_id}/cancel")
    print_result(result, as_json, ORDER_SHOWN)


@click.group()
def lottery() -> None:
    """Point lotteries (WEB抽選): set up, close, draw, export the draw file."""


def _prize(text: str) -> dict[str, Any]:
    name, _, rest = text.rpartition(":")
    name, _, value = name.rpartition(":")
    try:
        return {"name": name, "value_yen": int(value), "count": int(rest)}
    except ValueError:
        raise click.BadParameter(
            f"{text!r}: a prize is NAME:VALUE_YEN:COUNT, e.g. 'お米5kg:3000:10'",
            param_hint="--prize",
        ) from None


@command(lottery, "add")
@click.option("--name", required=True, help="What members see, e.g. 春のポイント抽選.")
@click.option("--entry-points", type=int, required=True, help="Points one entry costs.")
@click.option("--max-entries", type=int, default=1, show_default=True, help="Entries per member.")
@click.option("--opens-at", required=True, help="ISO 8601 with offset: 2027-03-01T10:00+09:00.")
@click.option("--closes-at", required=True, help="ISO 8601 with offset.")
@click.option(
    "--related-sales",
    "related_sales_yen",
    type=int,
    required=True,
    help="Expected sales (yen) the lottery relates to: all prizes at most 2 % of it.",
)
@click.option("--prize", "prizes", multiple=True, required=True, help="NAME:VALUE_YEN:COUNT")
def lottery_add(home: Path, as_json: bool, prizes: tuple[str, ...], **terms: Any) -> None:
    """Set a lottery up (the 景品表示法 limits are checked); its seed commitment is published."""
    body = {**terms, "prizes": [_prize(p) for p in prizes]}
    print_result(client(home).post("points/lotteries", body), as_json, LOTTERY_DETAIL)


@command(lottery, "list")
def lottery_list(home: Path, as_json: bool) -> None:
    """Lotteries, latest opening first, with their state and entries."""
    print_list(client(home).get("points/lotteries"), "lotteries", as_json, LOTTERY_SHOWN)


@command(lottery, "show")
@click.argument("lottery_id")
def lottery_show(home: Path, as_json: bool, lottery_id: str) -> None:
    """One lottery: terms, the published hash and commitment, the seed once drawn, winners."""
    result = client(home).get(f"points/lotteries/{lottery_id}")
    print_result(result, as_json, LOTTERY_DETAIL)
    for winner in [] if as_json else result["winners"]:
        click.echo(f"winner {winner['place']}: {winner['member_no']} {winner['prize_name']}")


def _lottery_step(step: str) -> Any:
    @click.argument("lottery_id")
    def run(home: Path, as_json: bool, lottery_id: str) -> None:
        result = client(home).post(f"points/lotteries/{lottery_id}/{step}")
        print_result(result, as_json, LOTTERY_DETAIL)

    return run


for _step, _help in (
    ("close", "Close LOTTERY_ID after its period: the entries' hash is published."),
    ("draw", "Draw LOTTERY_ID after its close: the seed is revealed, the winners recorded."),
    ("cancel", "Cancel LOTTERY_ID before its draw: every entry's points go back."),
):
    _run = _lottery_step(_step)
    _run.__doc__ = _help
    command(lottery, _step)(_run)


@command(lottery, "export")
@click.argument("lottery_id")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
def lottery_export(home: Path, as_json: bool, lottery_id: str, output: Path | None) -> None:
    """The draw file of a drawn lottery, for `kippu points verify-draw` (stdout or --output)."""
    document = client(home).get(f"points/lotteries/{lottery_id}/export")
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    if as_json:
        click.echo(json.dumps({"written": str(output)}))
    else:
        click.echo(f"written: {output}")


@click.command("verify-draw")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@json_option
def verify_draw(path: Path, as_json: bool) -> None:
    """Recompute a lottery's draw from its draw file, offline: exit 0 when the seed is the
    committed one, the entries hash to the published hash and the winners are the recomputed
    ones; exit 1 naming what differs (2: not a readable draw file)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        found = differences(document)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, DrawFileInvalid) as exc:
        message = f"cannot read the draw file {path}: {exc}"
        if as_json:
            click.echo(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
        else:
            click.echo(f"error: {message}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps({"ok": not found, "differences": found}, ensure_ascii=False))
    else:
        for line in found:
            click.echo(f"MISMATCH {line}", err=True)
        if not found:
            winners = len(document["winners"])
            click.echo(
                f"ok: the draw recomputes ({len(document['entries'])} entries, {winners} winners)"
            )
    sys.exit(1 if found else 0)


COMMANDS = (item, order, lottery, verify_draw)
