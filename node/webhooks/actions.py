"""The webhooks' use cases, shared by the admin API, the console and (through the API) the CLI:
each checks its input, runs one writer unit, and answers the JSON they all show."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from node.clock import iso
from node.errors import WebhookDeliveryNotFound, WebhookNotFound
from node.runtime import Node
from node.webhooks import operations, queries
from node.webhooks.core import check_events, check_url
from node.webhooks.model import Delivery, Endpoint

DELIVERIES_SHOWN = 50


def endpoint_json(endpoint: Endpoint) -> dict[str, Any]:
    return {
        "webhook_id": endpoint.endpoint_id,
        "url": endpoint.url,
        "events": list(endpoint.events),
        "secret_prefix": endpoint.shown_secret,
        "created_at": iso(endpoint.created_at),
        "disabled_at": iso(endpoint.disabled_at),
    }


def delivery_json(delivery: Delivery) -> dict[str, Any]:
    return {
        "delivery_id": delivery.delivery_id,
        "webhook_id": delivery.endpoint_id,
        "event": delivery.event_type,
        "event_id": delivery.event_id,
        "state": str(delivery.state),
        "attempts": delivery.attempts,
        "last_status": delivery.last_status,
        "last_error": delivery.last_error,
        "created_at": iso(delivery.created_at),
        "next_attempt_at": iso(delivery.next_attempt_at),
        "delivered_at": iso(delivery.delivered_at),
        "given_up_at": iso(delivery.given_up_at),
    }


async def add(node: Node, url: str, events: Iterable[object]) -> dict[str, Any]:
    """A new endpoint; the answer holds its whole signing secret, this once."""
    checked_url, checked_events = check_url(url), check_events(events)
    now = node.clock.now()
    made = await node.require_writer().submit(
        lambda conn: operations.add_endpoint(conn, checked_url, checked_events, now, node.rng)
    )
    return {**endpoint_json(made.endpoint), "secret": made.secret}


async def listing(node: Node) -> list[dict[str, Any]]:
    return [endpoint_json(e) for e in await queries.endpoints(node.require_reader())]


async def disable(node: Node, endpoint_id: str) -> dict[str, Any]:
    now = node.clock.now()
    endpoint = await node.require_writer().submit(
        lambda conn: operations.disable(conn, endpoint_id, now)
    )
    return endpoint_json(endpoint)


async def deliveries(node: Node, endpoint_id: str) -> list[dict[str, Any]]:
    """The endpoint's latest deliveries (disabled endpoints' too), newest first."""
    reader = node.require_reader()
    if await queries.endpoint(reader, endpoint_id) is None:
        raise WebhookNotFound(webhook_id=endpoint_id)
    return [
        delivery_json(d) for d in await queries.deliveries_of(reader, endpoint_id, DELIVERIES_SHOWN)
    ]


async def ping(node: Node, endpoint_id: str) -> dict[str, Any]:
    """Queue a `webhook.ping` to this endpoint (the service posts it at once)."""
    now = node.clock.now()
    delivery = await node.require_writer().submit(
        lambda conn: operations.ping(conn, endpoint_id, now, node.rng)
    )
    return delivery_json(delivery)


async def retry(node: Node, endpoint_id: str, delivery_id: str) -> dict[str, Any]:
    """One more attempt now for a delivery of this endpoint that was not received."""
    found = await queries.delivery(node.require_reader(), delivery_id)
    if found is None or found.endpoint_id != endpoint_id:
        raise WebhookDeliveryNotFound(delivery_id=delivery_id)
    now = node.clock.now()
    delivery = await node.require_writer().submit(
        lambda conn: operations.retry(conn, delivery_id, now)
    )
    return delivery_json(delivery)
