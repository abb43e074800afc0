"""CRM's writer units: each checks against the database and writes in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from node.crm import tables
from node.crm.consents import ConsentEvent, ConsentMethod, Purpose, require_address
from node.crm.profiles import Profile
from node.crm.segments import Segment
from node.errors import CustomerNotFound, SegmentNameTaken, SegmentNotFound
from node.ledger import tables as ledger_tables


def record_consent(
    event_id: str,
    customer_id: str,
    is_granted: bool,
    method: ConsentMethod,
    wording: str,
    actor: str,
    now: datetime,
) -> Callable[[sqlite3.Connection], ConsentEvent]:
    """The customer's consent to marketing mail given or withdrawn, for their address now."""

    def work(conn: sqlite3.Connection) -> ConsentEvent:
        customer = ledger_tables.load_customer(conn, customer_id)
        if customer is None:
            raise CustomerNotFound()
        require_address(customer.email, is_granted)
        event = ConsentEvent(
            event_id,
            customer_id,
            customer.email,
            Purpose.MARKETING_EMAIL,
            is_granted,
            method,
            wording,
            actor,
            now,
        )
        tables.insert_consent(conn, event)
        return event

    return work


def create_segment(
    segment: Segment, actor: str, now: datetime
) -> Callable[[sqlite3.Connection], Segment]:
    def work(conn: sqlite3.Connection) -> Segment:
        if tables.segment_name_taken(conn, segment.name):
            raise SegmentNameTaken()
        tables.insert_segment(conn, segment, actor, now)
        return segment

    return work


def delete_segment(name: str) -> Callable[[sqlite3.Connection], None]:
    def work(conn: sqlite3.Connection) -> None:
        if not tables.delete_segment(conn, name):
            raise SegmentNotFound()

    return work


def save_profile(
    profile: Profile, actor: str, now: datetime
) -> Callable[[sqlite3.Connection], Profile]:
    def work(conn: sqlite3.Connection) -> Profile:
        if not ledger_tables.customer_exists(conn, profile.customer_id):
            raise CustomerNotFound()
        tables.save_profile(conn, profile, actor, now)
        return profile

    return work
