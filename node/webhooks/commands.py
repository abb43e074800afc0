"""`kippu webhook add|list|disable|deliveries|test|retry`: webhooks to integrations, through the
running node's admin API (node/webhooks/api.py)."""

from __future__ import annotations

from pathlib import Path

import click

from node.cli_support import client, command, print_list, print_result
from node.webhooks.model import EventType

SHOWN = ("webhook_id", "url", "events", "secret_prefix", "created_at", "disabled_at")
DELIVERY = (
    "delivery_id",
    "event",
    "state",
    "attempts",
    "last_status",
    "last_error",
    "created_at",
    "next_attempt_at",
)


@click.group()
def webhook() -> None:
    """Signed webhooks that tell POS and EC systems of points earned, used, expiring, ranks."""


@command(webhook, "add")
@click.argument("url")
@click.option(
    "--event",
    "events",
    multiple=True,
    required=True,
    type=click.Choice([str(e) for e in EventType]),
    help="An event to send (repeat for several).",
)
def webhook_add(home: Path, as_json: bool, url: str, events: tuple[str, ...]) -> None:
    """Post EVENTS to URL (https://; http:// only to this machine). Prints the signing secret,
    this once: give it to the receiver, which checks each request's Kippu-Signature with it."""
    result = client(home).post("webhooks", {"url": url, "events": list(events)})
    if not as_json:
        result = {**result, "events": " ".join(result["events"])}
    print_result(result, as_json, (*SHOWN, "secret"))


@command(webhook, "list")
def webhook_list(home: Path, as_json: bool) -> None:
    """Webhooks, live first, then disabled ones (never their secrets)."""
    result = client(home).get("webhooks")
    for row in [] if as_json else result["webhooks"]:
        row["events"] = " ".join(row["events"])
        row["disabled_at"] = row["disabled_at"] or "-"
    print_list(result, "webhooks", as_json, SHOWN)


@command(webhook, "disable")
@click.argument("webhook_id")
def webhook_disable(home: Path, as_json: bool, webhook_id: str) -> None:
    """Stop posting to WEBHOOK_ID; what it had still to receive is given up."""
    result = client(home).request("DELETE", f"webhooks/{webhook_id}")
    if not as_json:
        result = {**result, "events": " ".join(result["events"])}
    print_result(result, as_json, SHOWN)


@command(webhook, "deliveries")
@click.argument("webhook_id")
def webhook_deliveries(home: Path, as_json: bool, webhook_id: str) -> None:
    """The latest deliveries to WEBHOOK_ID, newest first: state, attempts, the last error."""
    result = client(home).get(f"webhooks/{webhook_id}/deliveries")
    for row in [] if as_json else result["deliveries"]:
        for key in ("last_status", "last_error", "next_attempt_at"):
            row[key] = "-" if row[key] is None else row[key]
    print_list(result, "deliveries", as_json, DELIVERY)


@command(webhook, "test")
@click.argument("webhook_id")
def webhook_test(home: Path, as_json: bool, webhook_id: str) -> None:
    """Send a webhook.ping event to WEBHOOK_ID now (see it with `deliveries`)."""
    print_result(client(home).post(f"webhooks/{webhook_id}/test"), as_json, DELIVERY)


@command(webhook, "retry")
@click.argument("webhook_id")
@click.argument("delivery_id")
def webhook_retry(home: Path, as_json: bool, webhook_id: str, delivery_id: str) -> None:
    """Try DELIVERY_ID of WEBHOOK_ID once more, now (one not received yet)."""
    path = f"webhooks/{webhook_id}/deliveries/{delivery_id}/retry"
    print_result(client(home).post(path), as_json, DELIVERY)
