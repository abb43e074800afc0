"""Rows of the webhook tables read by column name into typed records."""

from __future__ import annotations

import json
import sqlite3

from node.ledger.rows import from_epoch, maybe_datetime
from node.webhooks.model import Delivery, Endpoint

ENDPOINT_COLUMNS = "endpoint_id, url, secret, events, created_at, disabled_at"
DELIVERY_COLUMNS = (
    "delivery_id, endpoint_id, event_type, event_id, payload, created_at, attempts,"
    " next_attempt_at, delivered_at, last_status, last_error, given_up_at"
)


def endpoint_from_row(row: sqlite3.Row) -> Endpoint:
    return Endpoint(
        endpoint_id=str(row["endpoint_id"]),
        url=str(row["url"]),
        secret=str(row["secret"]),
        events=tuple(str(e) for e in json.loads(row["events"])),
        created_at=from_epoch(int(row["created_at"])),
        disabled_at=maybe_datetime(row["disabled_at"]),
    )


def delivery_from_row(row: sqlite3.Row) -> Delivery:
    status = row["last_status"]
    return Delivery(
        delivery_id=str(row["delivery_id"]),
        endpoint_id=str(row["endpoint_id"]),
        event_type=str(row["event_type"]),
        event_id=str(row["event_id"]),
        payload=str(row["payload"]),
        created_at=from_epoch(int(row["created_at"])),
        attempts=int(row["attempts"]),
        next_attempt_at=maybe_datetime(row["next_attempt_at"]),
        delivered_at=maybe_datetime(row["delivered_at"]),
        last_status=None if status is None else int(status),
        last_error=None if row["last_error"] is None else str(row["last_error"]),
        given_up_at=maybe_datetime(row["given_up_at"]),
    )
