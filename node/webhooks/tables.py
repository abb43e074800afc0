"""SQL for webhooks inside the writer's transaction: endpoints and the deliveries' outbox."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from node.ledger.rows import maybe_epoch, to_epoch
from node.webhooks.model import Delivery, Endpoint, Outcome
from node.webhooks.rows import (
    DELIVERY_COLUMNS,
    ENDPOINT_COLUMNS,
    delivery_from_row,
    endpoint_from_row,
)


def live_endpoints(conn: sqlite3.Connection) -> list[Endpoint]:
    rows = conn.execute(
        f"SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints"  # noqa: S608
        " WHERE disabled_at IS NULL ORDER BY endpoint_id"
    ).fetchall()
    return [endpoint_from_row(row) for row in rows]


def load_endpoint(conn: sqlite3.Connection, endpoint_id: str) -> Endpoint | None:
    row = conn.execute(
        f"SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE endpoint_id = ?",  # noqa: S608
        (endpoint_id,),
    ).fetchone()
    return None if row is None else endpoint_from_row(row)


def live_url_exists(conn: sqlite3.Connection, url: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM webhook_endpoints WHERE url = ? AND disabled_at IS NULL", (url,)
    ).fetchone()
    return row is not None


def insert_endpoint(conn: sqlite3.Connection, endpoint: Endpoint) -> None:
    conn.execute(
        f"INSERT INTO webhook_endpoints ({ENDPOINT_COLUMNS}) VALUES (?, ?, ?, ?, ?, NULL)",  # noqa: S608
        (
            endpoint.endpoint_id,
            endpoint.url,
            endpoint.secret,
            json.dumps(list(endpoint.events)),
            to_epoch(endpoint.created_at),
        ),
    )


def disable_endpoint(conn: sqlite3.Connection, endpoint_id: str, now: datetime) -> None:
    """Disable the endpoint and give up what it still had to receive: nothing more is posted."""
    conn.execute(
        "UPDATE webhook_endpoints SET disabled_at = ? WHERE endpoint_id = ?",
        (to_epoch(now), endpoint_id),
    )
    conn.execute(
        "UPDATE webhook_deliveries SET next_attempt_at = NULL, given_up_at = ?,"
        " last_error = 'endpoint disabled'"
        " WHERE endpoint_id = ? AND next_attempt_at IS NOT NULL",
        (to_epoch(now), endpoint_id),
    )


def insert_delivery(conn: sqlite3.Connection, delivery: Delivery) -> None:
    conn.execute(
        f"INSERT INTO webhook_deliveries ({DELIVERY_COLUMNS})"  # noqa: S608
        " VALUES (?, ?, ?, ?, ?, ?, 0, ?, NULL, NULL, NULL, NULL)",
        (
            delivery.delivery_id,
            delivery.endpoint_id,
            delivery.event_type,
            delivery.event_id,
            delivery.payload,
            to_epoch(delivery.created_at),
            maybe_epoch(delivery.next_attempt_at),
        ),
    )


def load_delivery(conn: sqlite3.Connection, delivery_id: str) -> Delivery | None:
    row = conn.execute(
        f"SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE delivery_id = ?",  # noqa: S608
        (delivery_id,),
    ).fetchone()
    return None if row is None else delivery_from_row(row)


def record_attempt(
    conn: sqlite3.Connection,
    delivery_id: str,
    attempts_before: int,
    outcome: Outcome,
    error: str | None,
    next_at: datetime | None,
    now: datetime,
) -> bool:
    """One attempt's outcome; False when the row moved meanwhile (another attempt recorded, the
    endpoint disabled, a manual retry): that newer state stands."""
    delivered = now if outcome.is_success else None
    given_up = now if not outcome.is_success and next_at is None else None
    done = conn.execute(
        "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, last_error = ?,"
        " delivered_at = ?, given_up_at = ?, next_attempt_at = ?"
        " WHERE delivery_id = ? AND attempts = ? AND next_attempt_at IS NOT NULL",
        (
            outcome.status,
            error,
            maybe_epoch(delivered),
            maybe_epoch(given_up),
            None if outcome.is_success else maybe_epoch(next_at),
            delivery_id,
            attempts_before,
        ),
    )
    return done.rowcount == 1


def schedule_now(conn: sqlite3.Connection, delivery_id: str, now: datetime) -> None:
    """Head office's retry: due now, no longer given up (its attempts so far are kept)."""
    conn.execute(
        "UPDATE webhook_deliveries SET next_attempt_at = ?, given_up_at = NULL"
        " WHERE delivery_id = ?",
        (to_epoch(now), delivery_id),
    )
