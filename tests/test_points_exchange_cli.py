"""`kippu points item|order|lottery` against a running node, through the admin API: refusals exit
1 with their stable code and field; a lottery with no entries closes, draws and exports a draw
file that `kippu points verify-draw` recomputes."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from cli import main
from node.clock import iso
from tests.conftest import NodeHandle


def kippu(node: NodeHandle, *args: str) -> Any:
    return CliRunner().invoke(main, [*args, "--home", str(node.home.root)], catch_exceptions=False)


def refused(node: NodeHandle, *args: str) -> dict[str, Any]:
    result = kippu(node, *args, "--json")
    assert result.exit_code == 1, result.output
    error: dict[str, Any] = json.loads(result.stderr)["error"]
    return error


def test_items_and_orders(node: NodeHandle) -> None:
    made = kippu(
        node,
        "points",
        "item",
        "add",
        "--name",
        "オリジナルタオル",
        "--points",
        "500",
        "--stock",
        "20",
        "--description",
        "今治タオル",
        "--json",
    )
    assert made.exit_code == 0, made.output
    item = json.loads(made.stdout)
    assert (item["points"], item["stock"], item["on_offer"]) == (500, 20, True)
    assert item["description"] == "今治タオル"
    listing = kippu(node, "points", "item", "list")
    assert "オリジナルタオル" in listing.stdout
    bad = refused(node, "points", "item", "add", "--name", "券", "--points", "0")
    assert (bad["code"], bad["field"]) == ("points.invalid", "points")
    retired = kippu(node, "points", "item", "retire", item["item_id"])
    assert retired.exit_code == 0 and "on_offer: False" in retired.stdout
    assert kippu(node, "points", "order", "list").stdout.strip() == "(none)"
    missing = refused(node, "points", "order", "ship", "xo_nothing")
    assert missing["code"] == "points.order_not_found"


def test_a_lottery_from_the_command_line(node: NodeHandle, tmp_path: Path) -> None:
    now = node.clock.now()
    add = (
        "points",
        "lottery",
        "add",
        "--name",
        "年末抽選",
        "--entry-points",
        "300",
        "--opens-at",
        str(iso(now)),
        "--closes-at",
        str(iso(now + timedelta(days=1))),
        "--related-sales",
        "500000",
    )
    over = refused(node, *add, "--prize", "旅行券:6001:1")
    assert (over["code"], over["limit_yen"]) == ("points.prize_limit", 6_000)
    usage = kippu(node, *add, "--prize", "旅行券")
    assert usage.exit_code == 2 and "NAME:VALUE_YEN:COUNT" in usage.output
    made = kippu(node, *add, "--prize", "お米: 5kg:5000:2", "--json")
    assert made.exit_code == 0, made.output
    lottery = json.loads(made.stdout)
    assert lottery["prizes"] == [{"name": "お米: 5kg", "value_yen": 5000, "count": 2}]
    lottery_id = lottery["lottery_id"]
    assert refused(node, "points", "lottery", "close", lottery_id)["code"] == (
        "points.lottery_not_closed"
    )
    node.clock.advance(days=2)
    closed = kippu(node, "points", "lottery", "close", lottery_id)
    assert "state: closed" in closed.stdout and "entries_hash: " in closed.stdout
    drawn = kippu(node, "points", "lottery", "draw", lottery_id)
    assert "state: drawn" in drawn.stdout
    path = tmp_path / "draw.json"
    exported = kippu(node, "points", "lottery", "export", lottery_id, "--output", str(path))
    assert exported.exit_code == 0, exported.output
    checked = CliRunner().invoke(main, ["points", "verify-draw", str(path), "--json"])
    assert checked.exit_code == 0 and json.loads(checked.stdout) == {"ok": True, "differences": []}
    listing = kippu(node, "points", "lottery", "list")
    assert "年末抽選" in listing.stdout and "drawn" in listing.stdout
