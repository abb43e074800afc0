"""`kippu product add|list|show|retire` against a running node, through the admin API
(/api/v1/products): terms read as days of the node's zone, refusals with their stable codes and
the field at fault, retirement once and for good."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

from cli import main
from tests.conftest import NodeHandle


def kippu(node: NodeHandle, *args: str) -> Any:
    return CliRunner().invoke(main, [*args, "--home", str(node.home.root)], catch_exceptions=False)


def refused(node: NodeHandle, *args: str) -> dict[str, Any]:
    result = kippu(node, *args, "--json")
    assert result.exit_code == 1, result.output
    error: dict[str, Any] = json.loads(result.stderr)["error"]
    return error


def test_product_commands_round_trip(node: NodeHandle) -> None:
    made = kippu(
        node,
        *("product", "add", "--name", "プレミアム商品券", "--face", "11000", "--price", "10000"),
        *("--valid-until", "2027-03-31", "--limit-per-customer", "2", "--limit-period", "month"),
        *("--stock", "100", "--json"),
    )
    assert made.exit_code == 0, made.output
    product = json.loads(made.stdout)
    assert (product["premium_yen"], product["stock"], product["on_sale"]) == (1000, 100, True)
    # Valid through 31 March in Tokyo: until the next local midnight, 15:00 UTC.
    assert product["valid_until"] == "2027-03-31T15:00:00Z"
    assert product["limit_period"] == "month" and product["sold"] == 0

    listing = kippu(node, "product", "list")
    assert listing.exit_code == 0 and "プレミアム商品券" in listing.stdout
    shown = kippu(node, "product", "show", product["product_id"])
    assert "face_yen: 11000" in shown.stdout and "limit_count: 2" in shown.stdout

    retired = kippu(node, "product", "retire", product["product_id"])
    assert retired.exit_code == 0 and "on_sale: False" in retired.stdout
    again = refused(node, "product", "retire", product["product_id"])
    assert again["code"] == "product.retired"
    rows = json.loads(kippu(node, "product", "list", "--json").stdout)["products"]
    assert [(r["product_id"], r["on_sale"]) for r in rows] == [(product["product_id"], False)]


def test_bad_terms_are_refused_naming_the_field(node: NodeHandle) -> None:
    add = ("product", "add", "--name", "券", "--face", "5000")
    both = refused(node, *add, "--valid-days", "30", "--valid-until", "2027-03-31")
    assert (both["code"], both["field"]) == ("product.invalid", "valid_until")
    above = refused(node, *add, "--price", "6000")
    assert (above["code"], above["field"]) == ("product.invalid", "price_yen")
    backwards = refused(node, *add, "--sale-from", "2027-01-10", "--sale-until", "2027-01-01")
    assert (backwards["code"], backwards["field"]) == ("product.invalid", "sale_until")
    no_day = refused(node, *add, "--sale-from", "2027-02-30")
    assert (no_day["code"], no_day["field"]) == ("request.invalid_date", "sale_from")
    assert refused(node, "product", "show", "pr_nothing")["code"] == "product.not_found"
    assert json.loads(kippu(node, "product", "list", "--json").stdout)["products"] == []
    assert (
        kippu(
            node, "product", "add", "--name", "x", "--face", "1", "--limit-period", "year"
        ).exit_code
        == 2
    )


def test_a_product_past_its_fixed_expiry_is_not_on_sale(node: NodeHandle) -> None:
    """The API's `on_sale` is core.is_on_sale: past `valid_until` it is over, sale period or not."""
    made = kippu(
        node, "product", "add", "--name", "年末券", "--face", "1000", "--valid-until", "2026-11-30"
    )
    assert made.exit_code == 0, made.output
    rows = json.loads(kippu(node, "product", "list", "--json").stdout)["products"]
    assert [r["on_sale"] for r in rows] == [True]
    node.clock.advance(days=7)  # 1 December in Tokyo: the vouchers would be born expired
    rows = json.loads(kippu(node, "product", "list", "--json").stdout)["products"]
    assert [r["on_sale"] for r in rows] == [False]
    shown = json.loads(kippu(node, "product", "show", rows[0]["product_id"], "--json").stdout)
    assert shown["on_sale"] is False
