"""CRM's writer units: each checks against the database and writes in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from node.crm import tables
from node.crm.consents import (
    WITHDRAWN_WORDING,
    ConsentEvent,
    ConsentMethod,
    Purpose,
    require_address,
)
from node.crm.profiles import Profile
from node.crm.segments import Segment
from node.errors import (
    AlreadyErased,
    CustomerNotFound,
    ErasureBlocked,
    SegmentNameTaken,
    SegmentNotFound,
)
from node.ledger import operations as ledger_operations
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
    profile: Profile, actor: str, now: datetime, name: str | None = None
) -> Callable[[sqlite3.Connection], Profile]:
    """Head office's whole profile; with `name`, the customer's name too (the console's form).
    Refused for an erased customer, checked in the same transaction: nothing personal is
    written back onto them."""

    def work(conn: sqlite3.Connection) -> Profile:
        if not ledger_tables.customer_exists(conn, profile.customer_id):
            raise CustomerNotFound()
        if tables.is_erased(conn, profile.customer_id):
            raise AlreadyErased()
        if name is not None:
            _rename(conn, profile.customer_id, name)
        tables.save_profile(conn, profile, actor, now)
        return profile

    return work


def save_own_profile(
    profile: Profile, name: str, actor: str, now: datetime
) -> Callable[[sqlite3.Connection], Profile]:
    """The customer's own edit in the wallet: their name and profiles.OWN_FIELDS; head office's
    notes, greeting and tags are kept."""

    def work(conn: sqlite3.Connection) -> Profile:
        _rename(conn, profile.customer_id, name)
        tables.save_own_profile(conn, profile, actor, now)
        return profile

    return work


def _rename(conn: sqlite3.Connection, customer_id: str, name: str) -> None:
    if tables.is_erased(conn, customer_id):
        raise AlreadyErased()
    ledger_operations.rename_customer(customer_id, name)(conn)


ERASED_NAME = "削除済みのお客様"


def erase_customer(
    customer_id: str,
    event_id: str,
    method: ConsentMethod,
    actor: str,
    reason: str,
    now: datetime,
) -> Callable[[sqlite3.Connection], None]:
    """Erase a customer's personal data on their request (個人情報保護法), in one transaction:
    refused while they hold value; their consent withdrawn (recorded), CRM's records of them
    gone, and their name and address removed by the ledger. The books are untouched: every
    entry still names the same customer id."""

    def work(conn: sqlite3.Connection) -> None:
        customer = ledger_tables.load_customer(conn, customer_id)
        if customer is None:
            raise CustomerNotFound()
        if tables.is_erased(conn, customer_id):
            raise AlreadyErased()
        yen, points = tables.value_held(conn, customer_id, now)
        if yen or points:
            raise ErasureBlocked(balance_yen=yen, points=points)
        if tables.is_granted_now(conn, customer_id, str(Purpose.MARKETING_EMAIL)):
            withdrawal = ConsentEvent(
                event_id,
                customer_id,
                customer.email,
                Purpose.MARKETING_EMAIL,
                False,
                method,
                WITHDRAWN_WORDING,
                actor,
                now,
            )
            tables.insert_consent(conn, withdrawal)
        tables.erase(conn, customer_id, actor, reason, now)
        ledger_tables.anonymise_customer(conn, customer_id, ERASED_NAME)

    return work
