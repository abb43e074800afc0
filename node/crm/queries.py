"""CRM's reads of its own tables: segments and consent events."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from node.crm.consents import ConsentEvent, ConsentMethod, Purpose
from node.crm.profiles import Profile
from node.crm.segments import Segment, load_filters
from node.ledger.rows import from_epoch
from node.reads import Reader

SEGMENT_LIMIT = 500
CONSENT_COLUMNS = (
    "event_id, customer_id, address, purpose, granted, method, wording, actor, recorded_at"
)


def _segment(row: sqlite3.Row) -> Segment:
    return Segment(str(row["segment_id"]), str(row["name"]), load_filters(str(row["filters"])))


async def segments(db: Reader) -> list[Segment]:
    rows = await db.execute_fetchall(
        "SELECT segment_id, name, filters FROM segments ORDER BY name LIMIT ?", (SEGMENT_LIMIT,)
    )
    return [_segment(r) for r in rows]


async def segment_named(db: Reader, name: str) -> Segment | None:
    rows = list(
        await db.execute_fetchall(
            "SELECT segment_id, name, filters FROM segments WHERE name = ?", (name,)
        )
    )
    return _segment(rows[0]) if rows else None


def _consent(row: sqlite3.Row) -> ConsentEvent:
    return ConsentEvent(
        event_id=str(row["event_id"]),
        customer_id=str(row["customer_id"]),
        address=row["address"],
        purpose=Purpose(row["purpose"]),
        is_granted=bool(row["granted"]),
        method=ConsentMethod(row["method"]),
        wording=str(row["wording"]),
        actor=str(row["actor"]),
        recorded_at=from_epoch(row["recorded_at"]),
    )


async def consent_history(db: Reader, customer_id: str) -> list[ConsentEvent]:
    """Every consent event of the customer, oldest first."""
    rows = await db.execute_fetchall(
        f"SELECT {CONSENT_COLUMNS} FROM consent_events WHERE customer_id = ?"  # noqa: S608
        " ORDER BY seq",
        (customer_id,),
    )
    return [_consent(r) for r in rows]


async def profile(db: Reader, customer_id: str) -> Profile:
    """The customer's profile (empty when none was saved)."""
    rows = list(
        await db.execute_fetchall(
            "SELECT kana, phone, birthday, postcode, gender, notes, greeting"
            " FROM customer_profiles WHERE customer_id = ?",
            (customer_id,),
        )
    )
    tags = await db.execute_fetchall(
        "SELECT tag FROM customer_tags WHERE customer_id = ? ORDER BY tag", (customer_id,)
    )
    if not rows:
        return Profile(customer_id, tags=tuple(str(t["tag"]) for t in tags))
    row = rows[0]
    return Profile(
        customer_id,
        kana=row["kana"],
        phone=row["phone"],
        birthday=None if row["birthday"] is None else date.fromisoformat(row["birthday"]),
        postcode=row["postcode"],
        gender=row["gender"],
        notes=row["notes"],
        greeting=row["greeting"],
        tags=tuple(str(t["tag"]) for t in tags),
    )


async def greeting(db: Reader, customer_id: str) -> tuple[str, str | None, str | None] | None:
    """What the counter sees of a voucher's holder: their name, member rank and greeting note."""
    rows = list(
        await db.execute_fetchall(
            "SELECT c.name AS name, r.rank_name AS rank_name, p.greeting AS greeting"
            " FROM customers c LEFT JOIN member_ranks r ON r.customer_id = c.customer_id"
            " LEFT JOIN customer_profiles p ON p.customer_id = c.customer_id"
            " WHERE c.customer_id = ?",
            (customer_id,),
        )
    )
    if not rows:
        return None
    return str(rows[0]["name"]), rows[0]["rank_name"], rows[0]["greeting"]


async def is_consenting(db: Reader, customer_id: str) -> bool:
    """Whether the customer's latest consent event for marketing mail gives it."""
    rows = list(
        await db.execute_fetchall(
            "SELECT granted FROM consent_events WHERE customer_id = ? AND purpose = ?"
            " ORDER BY seq DESC LIMIT 1",
            (customer_id, str(Purpose.MARKETING_EMAIL)),
        )
    )
    return bool(rows) and bool(rows[0]["granted"])


async def erased_at(db: Reader, customer_id: str) -> datetime | None:
    """When the customer's personal data was erased, or None."""
    rows = list(
        await db.execute_fetchall(
            "SELECT erased_at FROM customer_erasures WHERE customer_id = ?", (customer_id,)
        )
    )
    return from_epoch(rows[0]["erased_at"]) if rows else None
