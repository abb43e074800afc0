"""CRM's writer-side SQL: consent events, segments."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from node.crm.consents import ConsentEvent
from node.crm.profiles import Profile
from node.crm.segments import Segment, dump_filters
from node.ledger.rows import to_epoch


def insert_consent(conn: sqlite3.Connection, event: ConsentEvent) -> None:
    """Appends the event after every earlier one (`seq`: the one writer numbers them)."""
    conn.execute(
        "INSERT INTO consent_events (event_id, seq, customer_id, address, purpose, granted,"
        " method, wording, actor, recorded_at)"
        " SELECT ?, coalesce(max(seq), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ? FROM consent_events",
        (
            event.event_id,
            event.customer_id,
            event.address,
            str(event.purpose),
            int(event.is_granted),
            str(event.method),
            event.wording,
            event.actor,
            to_epoch(event.recorded_at),
        ),
    )


def is_granted_now(conn: sqlite3.Connection, customer_id: str, purpose: str) -> bool:
    row = conn.execute(
        "SELECT granted FROM consent_events WHERE customer_id = ? AND purpose = ?"
        " ORDER BY seq DESC LIMIT 1",
        (customer_id, purpose),
    ).fetchone()
    return row is not None and bool(row["granted"])


def segment_name_taken(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM segments WHERE name = ?", (name,)).fetchone() is not None


def insert_segment(conn: sqlite3.Connection, segment: Segment, actor: str, now: datetime) -> None:
    conn.execute(
        "INSERT INTO segments (segment_id, name, filters, created_at, created_by, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            segment.segment_id,
            segment.name,
            dump_filters(segment.filters),
            to_epoch(now),
            actor,
            to_epoch(now),
        ),
    )


def delete_segment(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("DELETE FROM segments WHERE name = ?", (name,)).rowcount > 0


def save_profile(conn: sqlite3.Connection, profile: Profile, actor: str, now: datetime) -> None:
    """The customer's profile as given (every field replaced), and their tags."""
    values = (
        profile.kana,
        profile.phone,
        None if profile.birthday is None else profile.birthday.isoformat(),
        profile.postcode,
        profile.gender,
        profile.notes,
        profile.greeting,
        to_epoch(now),
        actor,
    )
    conn.execute(
        "INSERT INTO customer_profiles (customer_id, kana, phone, birthday, postcode, gender,"
        " notes, greeting, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (customer_id) DO UPDATE SET kana = excluded.kana, phone = excluded.phone,"
        " birthday = excluded.birthday, postcode = excluded.postcode, gender = excluded.gender,"
        " notes = excluded.notes, greeting = excluded.greeting,"
        " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        (profile.customer_id, *values),
    )
    conn.execute("DELETE FROM customer_tags WHERE customer_id = ?", (profile.customer_id,))
    conn.executemany(
        "INSERT INTO customer_tags (customer_id, tag) VALUES (?, ?)",
        [(profile.customer_id, tag) for tag in profile.tags],
    )


def save_own_profile(conn: sqlite3.Connection, profile: Profile, actor: str, now: datetime) -> None:
    """The fields the customer edits themselves (profiles.OWN_FIELDS) as given; head office's
    notes, greeting and tags stay as they are."""
    values = (
        profile.kana,
        profile.phone,
        None if profile.birthday is None else profile.birthday.isoformat(),
        profile.postcode,
        profile.gender,
        to_epoch(now),
        actor,
    )
    conn.execute(
        "INSERT INTO customer_profiles (customer_id, kana, phone, birthday, postcode, gender,"
        " updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (customer_id) DO UPDATE SET kana = excluded.kana, phone = excluded.phone,"
        " birthday = excluded.birthday, postcode = excluded.postcode, gender = excluded.gender,"
        " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        (profile.customer_id, *values),
    )


def value_held(conn: sqlite3.Connection, customer_id: str, now: datetime) -> tuple[int, int]:
    """Yen on the customer's usable vouchers and points not yet expired (the ledger's and the
    points' tables, read: an erasure waits until they are used or refunded). A free coupon that
    may not be gifted (price 0 and no_gift: a mail's offer, a campaign's free coupon) is not
    value the customer paid for or can pass on: it does not hold an erasure back, and is left to
    expire."""
    moment = {"customer": customer_id, "now": to_epoch(now)}
    yen = conn.execute(
        "SELECT coalesce(sum(v.balance_yen), 0) AS yen FROM vouchers v"
        " WHERE v.holder_id = :customer AND v.status = 'active'"
        " AND (v.expires_at IS NULL OR v.expires_at > :now)"
        " AND (v.price_yen > 0 OR NOT EXISTS (SELECT 1 FROM voucher_terms t"
        "  WHERE t.voucher_id = v.voucher_id AND t.no_gift = 1))",
        moment,
    ).fetchone()["yen"]
    points = conn.execute(
        "SELECT coalesce(sum(remaining), 0) AS points FROM point_lots"
        " WHERE customer_id = :customer AND (expires_at IS NULL OR expires_at > :now)",
        moment,
    ).fetchone()["points"]
    return int(yen), int(points)


def is_erased(conn: sqlite3.Connection, customer_id: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM customer_erasures WHERE customer_id = ?", (customer_id,)
    ).fetchone()
    return row is not None


def erase(
    conn: sqlite3.Connection, customer_id: str, actor: str, reason: str, now: datetime
) -> None:
    """CRM's part of an erasure: the profile and tags gone, the addresses mail went to blanked,
    and the erasure recorded. Consent events stay: they are the record 特定電子メール法 asks for."""
    conn.execute("DELETE FROM customer_profiles WHERE customer_id = ?", (customer_id,))
    conn.execute("DELETE FROM customer_tags WHERE customer_id = ?", (customer_id,))
    conn.execute("UPDATE mail_recipients SET address = '' WHERE customer_id = ?", (customer_id,))
    conn.execute(
        "INSERT INTO customer_erasures (customer_id, erased_at, actor, reason) VALUES (?, ?, ?, ?)",
        (customer_id, to_epoch(now), actor, reason),
    )
