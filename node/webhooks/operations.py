"""Writer units of webhooks: each a plain function of the writer's connection.

`enqueue` is the one every other package calls, inside the writer unit that made the change, so
an event is in the outbox exactly when its change committed: never an event for a change that
was rolled back, never a change whose event was lost.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from node.clock import Randomness, iso, new_id, ordered_id
from node.errors import (
    KippuError,
    WebhookDeliveryDone,
    WebhookDeliveryNotFound,
    WebhookNotFound,
    WebhookUrlTaken,
)
from node.webhooks import tables
from node.webhooks.core import jitter_from, next_attempt, short_error
from node.webhooks.model import PING_EVENT, Delivery, Endpoint, NewEndpoint, Outcome

SECRET_BYTES = 32
SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)


def event_body(
    event_id: str, event_type: str, created_at: datetime, data: Mapping[str, Any]
) -> str:
    """The JSON every endpoint receives: {"id", "type", "created_at", "data"}, compact."""
    return json.dumps(
        {"id": event_id, "type": event_type, "created_at": iso(created_at), "data": dict(data)},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def is_wanted(conn: sqlite3.Connection, event_type: str) -> bool:
    """Whether any live endpoint takes `event_type`: a caller may skip building a costly payload."""
    return any(event_type in e.events for e in tables.live_endpoints(conn))


def enqueue(
    conn: sqlite3.Connection,
    event_type: str,
    payload: Mapping[str, Any],
    now: datetime,
    rng: Randomness,
) -> str | None:
    """One delivery per live endpoint subscribed to `event_type`, due now; the event's id, or
    None when no endpoint takes it (nothing is written then)."""
    subscribed = [e for e in tables.live_endpoints(conn) if event_type in e.events]
    if not subscribed:
        return None
    event_id = ordered_id(now, rng, "ev")
    body = event_body(event_id, event_type, now, payload)
    for endpoint in subscribed:
        _queue(conn, endpoint, event_type, event_id, body, now, rng)
    return event_id


def _queue(
    conn: sqlite3.Connection,
    endpoint: Endpoint,
    event_type: str,
    event_id: str,
    body: str,
    now: datetime,
    rng: Randomness,
) -> Delivery:
    delivery = Delivery(
        ordered_id(now, rng, "wd"),
        endpoint.endpoint_id,
        event_type,
        event_id,
        body,
        now,
        0,
        now,
        None,
        None,
        None,
        None,
    )
    tables.insert_delivery(conn, delivery)
    return delivery


def add_endpoint(
    conn: sqlite3.Connection, url: str, events: tuple[str, ...], now: datetime, rng: Randomness
) -> NewEndpoint:
    """A new endpoint (its url and events checked by the caller: core.check_url, check_events)
    with a fresh signing secret; refused if a live endpoint has the same address."""
    if tables.live_url_exists(conn, url):
        raise WebhookUrlTaken(url=url)
    secret = SECRET_PREFIX + base64.b32encode(rng.token_bytes(SECRET_BYTES)).decode().rstrip("=")
    endpoint = Endpoint(new_id(rng, "wh"), url, secret, events, now, None)
    tables.insert_endpoint(conn, endpoint)
    return NewEndpoint(endpoint, secret)


def live_endpoint(conn: sqlite3.Connection, endpoint_id: str) -> Endpoint:
    endpoint = tables.load_endpoint(conn, endpoint_id)
    if endpoint is None or endpoint.is_disabled:
        raise WebhookNotFound(webhook_id=endpoint_id)
    return endpoint


def disable(conn: sqlite3.Connection, endpoint_id: str, now: datetime) -> Endpoint:
    """Disable a live endpoint; what it had still to receive is given up at once."""
    endpoint = live_endpoint(conn, endpoint_id)
    tables.disable_endpoint(conn, endpoint_id, now)
    return Endpoint(
        endpoint.endpoint_id,
        endpoint.url,
        endpoint.secret,
        endpoint.events,
        endpoint.created_at,
        now,
    )


def ping(conn: sqlite3.Connection, endpoint_id: str, now: datetime, rng: Randomness) -> Delivery:
    """A `webhook.ping` event to this endpoint alone, to check its address and signature."""
    endpoint = live_endpoint(conn, endpoint_id)
    event_id = ordered_id(now, rng, "ev")
    body = event_body(event_id, PING_EVENT, now, {"webhook_id": endpoint_id})
    return _queue(conn, endpoint, PING_EVENT, event_id, body, now, rng)


def retry(conn: sqlite3.Connection, delivery_id: str, now: datetime) -> Delivery:
    """Head office asks for one more attempt now, given up or waiting; a delivered one was
    received already and is refused (the receiver deduplicates by event id anyway)."""
    delivery = tables.load_delivery(conn, delivery_id)
    if delivery is None:
        raise WebhookDeliveryNotFound(delivery_id=delivery_id)
    live_endpoint(conn, delivery.endpoint_id)
    if delivery.delivered_at is not None:
        raise WebhookDeliveryDone(delivery_id=delivery_id)
    tables.schedule_now(conn, delivery_id, now)
    found = tables.load_delivery(conn, delivery_id)
    if found is None:
        raise KippuError("a delivery vanished inside its own transaction")
    return found


def record(
    delivery: Delivery, outcome: Outcome, now: datetime, rng: Randomness
) -> Callable[[sqlite3.Connection], bool]:
    """The writer unit that records one attempt: delivered, or when to try again, or given up."""

    def unit(conn: sqlite3.Connection) -> bool:
        attempts = delivery.attempts + 1
        next_at = None
        if not outcome.is_success:
            next_at = next_attempt(
                attempts, delivery.created_at, now, jitter_from(rng.token_bytes(4))
            )
        return tables.record_attempt(
            conn,
            delivery.delivery_id,
            delivery.attempts,
            outcome,
            short_error(outcome),
            next_at,
            now,
        )

    return unit
