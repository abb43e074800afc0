"""The points' webhook events: what each writer unit tells integrations, queued in its own
transaction (node/webhooks/operations.py `enqueue`), so an event exists exactly when its change
committed. The payload is built only when a live endpoint takes the event."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from node.clock import Randomness, iso
from node.points import tables
from node.points.model import Member, Purchase
from node.webhooks import operations as webhooks
from node.webhooks.model import EventType


def _emit(
    conn: sqlite3.Connection,
    event: EventType,
    customer_id: str,
    data: dict[str, Any],
    now: datetime,
    rng: Randomness,
) -> None:
    if not webhooks.is_wanted(conn, event):
        return
    member = tables.load_member(conn, customer_id)
    payload = {
        "customer_id": customer_id,
        "member_no": None if member is None else member.member_no,
        **data,
        "balance": tables.live_balance(conn, customer_id, now),
    }
    webhooks.enqueue(conn, event, payload, now, rng)


def earned(
    conn: sqlite3.Connection,
    purchase: Purchase,
    expires_at: datetime | None,
    now: datetime,
    rng: Randomness,
) -> None:
    data = {
        "txn_id": purchase.txn_id,
        "store_id": purchase.store_id,
        "purchase_yen": purchase.purchase_yen,
        "points": purchase.points,
        "expires_at": iso(expires_at),
        "entry_id": purchase.entry_id,
    }
    _emit(conn, EventType.POINTS_EARNED, purchase.customer_id, data, now, rng)


def used(
    conn: sqlite3.Connection,
    member: Member,
    entry_id: str,
    points: int,
    value_yen: int,
    store_id: str | None,
    now: datetime,
    rng: Randomness,
) -> None:
    data = {"entry_id": entry_id, "points": points, "value_yen": value_yen, "store_id": store_id}
    _emit(conn, EventType.POINTS_USED, member.customer_id, data, now, rng)


def purchase_returned(
    conn: sqlite3.Connection,
    customer_id: str,
    txn_id: str,
    entry_id: str | None,
    taken_back: int,
    shortfall: int,
    now: datetime,
    rng: Randomness,
) -> None:
    """A purchase returned: its points taken back (`shortfall`: those already spent)."""
    data = {
        "returned": "purchase",
        "txn_id": txn_id,
        "entry_id": entry_id,
        "points": -taken_back,
        "shortfall": shortfall,
    }
    _emit(conn, EventType.POINTS_RETURNED, customer_id, data, now, rng)


def use_returned(
    conn: sqlite3.Connection,
    customer_id: str,
    use_entry_id: str,
    entry_id: str,
    given_back: int,
    lapsed: int,
    now: datetime,
    rng: Randomness,
) -> None:
    """A use taken back: its points back to the member (`lapsed`: expired meanwhile)."""
    data = {
        "returned": "use",
        "use_entry_id": use_entry_id,
        "entry_id": entry_id,
        "points": given_back,
        "lapsed": lapsed,
    }
    _emit(conn, EventType.POINTS_RETURNED, customer_id, data, now, rng)


def adjusted(
    conn: sqlite3.Connection,
    customer_id: str,
    entry_id: str,
    points: int,
    reason: str,
    actor: str,
    now: datetime,
    rng: Randomness,
) -> None:
    data = {"entry_id": entry_id, "points": points, "reason": reason, "actor": actor}
    _emit(conn, EventType.POINTS_ADJUSTED, customer_id, data, now, rng)


def expiring(
    conn: sqlite3.Connection,
    customer_id: str,
    points: int,
    expires_on: str,
    expires_at: datetime,
    now: datetime,
    rng: Randomness,
) -> None:
    """Points about to lapse (node/points/notices.py): how many, the local day, the moment."""
    data = {"points": points, "expires_on": expires_on, "expires_at": iso(expires_at)}
    _emit(conn, EventType.POINTS_EXPIRING, customer_id, data, now, rng)


def rank_changed(
    conn: sqlite3.Connection,
    customer_id: str,
    from_rank: str | None,
    to_rank: str,
    reason: str,
    now: datetime,
    rng: Randomness,
) -> None:
    """A member's rank changed (`reason`: upgrade, recompute, manual, floor_end); call it in the
    writer unit that records the change in `rank_changes`."""
    data = {"from_rank": from_rank, "to_rank": to_rank, "reason": reason}
    _emit(conn, EventType.RANK_CHANGED, customer_id, data, now, rng)
