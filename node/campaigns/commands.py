"""`kippu campaign ...`: municipal campaigns (自治体キャンペーン) through the running node's admin API
(node/campaigns/api.py). Other command modules of campaigns (serials, payouts, draws, stores) add
their commands to the `campaign` group in cli.py."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from node.campaigns.model import CampaignKind, Method
from node.cli_support import client, command, post_with_key, print_list, print_result

SHOWN = (
    "campaign_id",
    "kind",
    "name",
    "face_yen",
    "price_yen",
    "stock",
    "per_person",
    "budget_yen",
    "starts_at",
    "ends_at",
    "granted_sets",
    "granted_yen",
)
STATUS_SHOWN = (
    "campaign_id",
    "name",
    "budget_yen",
    "granted_yen",
    "used_yen",
    "lapsed_yen",
    "outstanding_yen",
    "remaining_yen",
    "granted_sets",
    "stock",
    "paid_by_card_yen",
    "paid_at_counter_yen",
    "held_sets",
    "reconciled",
)
GRANT_SHOWN = (
    "grant_id",
    "voucher_id",
    "voucher_ids",
    "face_yen",
    "price_yen",
    "seq",
    "idempotency_key",
)


@click.group()
def campaign() -> None:
    """Municipal campaigns (自治体キャンペーン): premium vouchers, first-come, lottery, ticket-book
    and survey coupons; grants, status, serial codes, payouts."""


def _round(text: str) -> dict[str, Any]:
    opens_at, _, stock = text.rpartition("=")
    if not opens_at or not stock.isdigit():
        raise click.BadParameter("a round is MOMENT=STOCK, e.g. 2027-01-10T12:00:00+09:00=500")
    return {"opens_at": opens_at, "stock": int(stock)}


@command(campaign, "create")
@click.option("--kind", type=click.Choice([k.value for k in CampaignKind]), required=True)
@click.option("--name", required=True, help="What residents see, e.g. ウェルカム北九州クーポン.")
@click.option("--face", "face_yen", type=int, required=True, help="Face value per coupon (¥).")
@click.option("--price", "price_yen", type=int, help="What a resident pays (premium only, ¥).")
@click.option("--local", "local_yen", type=int, help="Of the face, the 専用券 part (¥).")
@click.option("--book", "book_count", type=int, help="Coupons per ticket book (綴り).")
@click.option("--stock", type=int, help="Grants in all (sets, books or coupons).")
@click.option("--per-person", type=int, help="Grants one person may receive (default 1).")
@click.option("--budget", "budget_yen", type=int, help="Face value that may be granted in all.")
@click.option("--starts", "starts_at", required=True, help="ISO 8601 with offset.")
@click.option("--ends", "ends_at", required=True, help="The last moment to receive.")
@click.option("--use-until", help="The last moment to use (default: --ends).")
@click.option("--terms", help="The terms shown to residents (利用条件).")
@click.option(
    "--require",
    "eligibility",
    multiple=True,
    type=click.Choice([m.value for m in Method]),
    help="A check residents must pass first; repeat for several (all required).",
)
@click.option("--postcode", "postcodes", multiple=True, help="An eligible postcode (or 3 digits).")
@click.option("--round", "rounds", multiple=True, help="A first-come release: MOMENT=STOCK.")
def create(
    home: Path,
    as_json: bool,
    eligibility: tuple[str, ...],
    postcodes: tuple[str, ...],
    rounds: tuple[str, ...],
    **rest: Any,
) -> None:
    """Create a campaign; answers its campaign_id."""
    body: dict[str, Any] = {key: value for key, value in rest.items() if value is not None}
    if eligibility:
        body["eligibility"] = list(eligibility)
    if postcodes:
        body["postcodes"] = list(postcodes)
    if rounds:
        body["rounds"] = [_round(r) for r in rounds]
    print_result(client(home).request("POST", "campaigns", body), as_json, SHOWN)


@command(campaign, "list")
def list_campaigns(home: Path, as_json: bool) -> None:
    """Every campaign, latest start first."""
    print_list(client(home).get("campaigns"), "campaigns", as_json, SHOWN)


@command(campaign, "status")
@click.argument("campaign_id")
def status(home: Path, as_json: bool, campaign_id: str) -> None:
    """Budget, granted, used, lapsed, outstanding and remaining (granted = used + lapsed +
    outstanding, read from the ledger)."""
    print_result(client(home).get(f"campaigns/{campaign_id}"), as_json, STATUS_SHOWN)


@command(campaign, "grant")
@click.argument("campaign_id")
@click.option("--customer", "customer_id", required=True, help="The customer id to grant to.")
@click.option(
    "--idempotency-key",
    "key",
    help="Sent as Idempotency-Key (1-64 letters, digits, - _ . : /): run again with the same"
    " key and customer, it answers the grant made the first time instead of granting again."
    " Default: a new key for each run.",
)
def grant(home: Path, as_json: bool, campaign_id: str, customer_id: str, key: str | None) -> None:
    """The office's own grant, by the same rules as a resident's; answers the voucher_id."""
    api = client(home)
    # A key even when none is given: a run whose answer was lost says which key repeats it safely.
    answer, sent_key = post_with_key(
        api, f"campaigns/{campaign_id}/grants", {"customer_id": customer_id}, key
    )
    while "ticket" in answer:  # a rush: in the waiting room's line, asked to come back
        time.sleep(int(answer["retry_after_ms"]) / 1000)
        answer = api.get(f"campaigns/{campaign_id}/grants/tickets/{answer['ticket']}")
    print_result({**answer, "idempotency_key": sent_key}, as_json, GRANT_SHOWN)


@command(campaign, "close")
@click.argument("campaign_id")
def close(home: Path, as_json: bool, campaign_id: str) -> None:
    """Stop granting from the campaign (coupons granted stay usable until their expiry)."""
    print_result(client(home).request("POST", f"campaigns/{campaign_id}/close", {}), as_json, SHOWN)


@command(campaign, "store-class")
@click.argument("store_id")
@click.option(
    "--local/--common", required=True, help="A small local shop (専用券 accepted) or not."
)
def store_class(home: Path, as_json: bool, store_id: str, local: bool) -> None:
    """Mark a store a small local shop, where 専用券 are accepted, or not."""
    answer = client(home).request("PUT", f"campaign-stores/{store_id}", {"local": local})
    print_result(answer, as_json, ("store_id", "local"))
