"""What a webhook is: its endpoint, a delivery of one event to it, the event types we send."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class EventType(StrEnum):
    """The events an endpoint may subscribe to (docs/operations.md, Webhooks)."""

    POINTS_EARNED = "points.earned"
    POINTS_USED = "points.used"
    POINTS_RETURNED = "points.returned"
    POINTS_ADJUSTED = "points.adjusted"
    POINTS_EXPIRING = "points.expiring"
    RANK_CHANGED = "rank.changed"


PING_EVENT = "webhook.ping"  # the console's test: sent to one endpoint, subscribed or not


@dataclass(frozen=True)
class Endpoint:
    endpoint_id: str
    url: str
    secret: str
    events: tuple[str, ...]
    created_at: datetime
    disabled_at: datetime | None

    @property
    def is_disabled(self) -> bool:
        return self.disabled_at is not None

    @property
    def shown_secret(self) -> str:
        """The secret's start, enough to tell two apart; the whole secret is shown once."""
        return self.secret[:12] + "…"


class DeliveryState(StrEnum):
    PENDING = "pending"  # not yet tried, or failed and waiting for its next attempt
    DELIVERED = "delivered"
    GIVEN_UP = "given_up"


@dataclass(frozen=True)
class Delivery:
    delivery_id: str
    endpoint_id: str
    event_type: str
    event_id: str
    payload: str  # the exact JSON body posted, signed as sent
    created_at: datetime
    attempts: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_status: int | None
    last_error: str | None
    given_up_at: datetime | None

    @property
    def state(self) -> DeliveryState:
        if self.delivered_at is not None:
            return DeliveryState.DELIVERED
        if self.given_up_at is not None:
            return DeliveryState.GIVEN_UP
        return DeliveryState.PENDING


@dataclass(frozen=True)
class Outcome:
    """One attempt's result: the HTTP status (None: no answer) and what went wrong, if anything."""

    status: int | None
    error: str | None

    @property
    def is_success(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True)
class NewEndpoint:
    """An endpoint just made, with its whole secret: shown this once."""

    endpoint: Endpoint
    secret: str
