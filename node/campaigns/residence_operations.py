"""Writer units of the residence check: the office sets a campaign's area; a resident declares a
postcode, checked against the area in the same transaction as its proof is recorded."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime

from node.campaigns import residence_tables
from node.campaigns.residence import is_inside, residence_subject
from node.campaigns.verification_model import Method, Verification
from node.campaigns.verification_operations import record_verification
from node.errors import PostcodeNotEligible


def set_area(campaign_id: str, entries: Sequence[str]) -> Callable[[sqlite3.Connection], None]:
    def work(conn: sqlite3.Connection) -> None:
        residence_tables.replace_area(conn, campaign_id, entries)

    return work


def declare_residence(
    campaign_id: str, customer_id: str, postcode: str, now: datetime
) -> Callable[[sqlite3.Connection], Verification]:
    """`postcode` is parsed already (residence.parse_postcode)."""

    def work(conn: sqlite3.Connection) -> Verification:
        if not is_inside(postcode, residence_tables.area_of(conn, campaign_id)):
            raise PostcodeNotEligible(field="postcode")
        subject = residence_subject(postcode, customer_id)
        return record_verification(conn, campaign_id, customer_id, Method.RESIDENCE, subject, now)

    return work
