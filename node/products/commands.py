"""`kippu product add|list|show|retire`: voucher products (商品), through the running node's
admin API (node/api/products.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from node.cli_support import client, command, print_list, print_result

SHOWN = ("product_id", "name", "face_yen", "price_yen", "stock", "on_sale", "sold")
DETAIL = (
    "product_id",
    "name",
    "face_yen",
    "price_yen",
    "premium_yen",
    "valid_days",
    "valid_until",
    "limit_count",
    "limit_yen",
    "limit_period",
    "sale_starts_at",
    "sale_ends_at",
    "stock",
    "on_sale",
    "sold",
    "sold_yen",
    "retired_at",
)


@click.group()
def product() -> None:
    """Voucher products (商品) that the wallet's shop and the counter sell."""


@command(product, "add")
@click.option("--name", required=True, help="What customers and staff see, e.g. 年末商品券.")
@click.option("--face", "face_yen", type=int, required=True, help="Face value in yen (額面).")
@click.option("--price", "price_yen", type=int, help="Price in yen; lower than face: a premium.")
@click.option("--valid-days", type=int, help="Valid this many days after the sale.")
@click.option("--valid-until", help="Valid through this day (YYYY-MM-DD), for every voucher.")
@click.option("--limit-per-customer", "limit_count", type=int, help="Most vouchers per period.")
@click.option("--limit-yen", type=int, help="Most yen (at price) one customer spends per period.")
@click.option(
    "--limit-period",
    type=click.Choice(["day", "month", "ever"]),
    help="The period the limits count over, in the node's zone (default: ever).",
)
@click.option("--sale-from", help="On sale from this day (YYYY-MM-DD).")
@click.option("--sale-until", help="On sale through this day (YYYY-MM-DD).")
@click.option("--stock", type=int, help="How many may be sold (default: no limit).")
def product_add(home: Path, as_json: bool, **terms: Any) -> None:
    """Add a product; it is on sale from its first day (or now) until retired."""
    body = {key: value for key, value in terms.items() if value is not None}
    result = client(home).post("products", body)
    print_result(result, as_json, DETAIL)


@command(product, "list")
def product_list(home: Path, as_json: bool) -> None:
    """List products, newest first: on sale or not, stock, how many sold."""
    result = client(home).get("products")
    for row in [] if as_json else result["products"]:  # JSON keeps null
        row["stock"] = "-" if row["stock"] is None else row["stock"]
    print_list(result, "products", as_json, SHOWN)


@command(product, "show")
@click.argument("product_id")
def product_show(home: Path, as_json: bool, product_id: str) -> None:
    """One product's terms and sales."""
    print_result(client(home).get(f"products/{product_id}"), as_json, DETAIL)


@command(product, "retire")
@click.argument("product_id")
def product_retire(home: Path, as_json: bool, product_id: str) -> None:
    """Stop selling PRODUCT_ID; the vouchers already sold keep their terms."""
    print_result(client(home).post(f"products/{product_id}/retire"), as_json, DETAIL)
