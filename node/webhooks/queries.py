"""Reads of webhooks on the read pools: endpoints, an endpoint's deliveries, what is due."""

from __future__ import annotations

from datetime import datetime

from node.ledger.rows import from_epoch, to_epoch
from node.reads import Reader
from node.webhooks.model import Delivery, Endpoint
from node.webhooks.rows import (
    DELIVERY_COLUMNS,
    ENDPOINT_COLUMNS,
    delivery_from_row,
    endpoint_from_row,
)


async def endpoints(db: Reader) -> list[Endpoint]:
    """Live endpoints first (newest first), then disabled ones."""
    rows = await db.execute_fetchall(
        f"SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints"  # noqa: S608
        " ORDER BY disabled_at IS NOT NULL, created_at DESC, endpoint_id",
        (),
    )
    return [endpoint_from_row(row) for row in rows]


async def endpoint(db: Reader, endpoint_id: str) -> Endpoint | None:
    async with db.execute(
        f"SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE endpoint_id = ?",  # noqa: S608
        (endpoint_id,),
    ) as cursor:
        row = await cursor.fetchone()
    return None if row is None else endpoint_from_row(row)


async def has_live_endpoint(db: Reader) -> bool:
    rows = list(
        await db.execute_fetchall(
            "SELECT 1 FROM webhook_endpoints WHERE disabled_at IS NULL LIMIT 1", ()
        )
    )
    return bool(rows)


async def deliveries_of(db: Reader, endpoint_id: str, limit: int) -> list[Delivery]:
    """The endpoint's latest deliveries, newest first."""
    rows = await db.execute_fetchall(
        f"SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE endpoint_id = ?"  # noqa: S608
        " ORDER BY created_at DESC, delivery_id DESC LIMIT ?",
        (endpoint_id, limit),
    )
    return [delivery_from_row(row) for row in rows]


async def delivery(db: Reader, delivery_id: str) -> Delivery | None:
    async with db.execute(
        f"SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE delivery_id = ?",  # noqa: S608
        (delivery_id,),
    ) as cursor:
        row = await cursor.fetchone()
    return None if row is None else delivery_from_row(row)


async def due(db: Reader, now: datetime, limit: int) -> list[tuple[Delivery, Endpoint]]:
    """Deliveries whose next attempt is due, oldest due first, with their (live) endpoints."""
    rows = await db.execute_fetchall(
        "SELECT d.delivery_id, d.endpoint_id, d.event_type, d.event_id, d.payload, d.created_at,"
        " d.attempts, d.next_attempt_at, d.delivered_at, d.last_status, d.last_error,"
        " d.given_up_at, e.url, e.secret, e.events, e.created_at AS endpoint_created_at,"
        " e.disabled_at"
        " FROM webhook_deliveries d JOIN webhook_endpoints e ON e.endpoint_id = d.endpoint_id"
        " WHERE d.next_attempt_at IS NOT NULL AND d.next_attempt_at <= ?"
        " AND e.disabled_at IS NULL"
        " ORDER BY d.next_attempt_at, d.delivery_id LIMIT ?",
        (to_epoch(now), limit),
    )
    found = []
    for row in rows:
        endpoint = Endpoint(
            str(row["endpoint_id"]),
            str(row["url"]),
            str(row["secret"]),
            (),
            from_epoch(int(row["endpoint_created_at"])),
            None,
        )
        found.append((delivery_from_row(row), endpoint))
    return found


async def next_due_at(db: Reader) -> datetime | None:
    """When the soonest pending delivery is due; None: nothing is pending."""
    rows = list(
        await db.execute_fetchall(
            "SELECT MIN(next_attempt_at) AS soonest FROM webhook_deliveries"
            " WHERE next_attempt_at IS NOT NULL",
            (),
        )
    )
    soonest = rows[0]["soonest"] if rows else None
    return None if soonest is None else from_epoch(int(soonest))
