"""The writer unit of the residence check: a resident's declared postcode, checked against the
campaign's area in the same transaction as its proof is recorded."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from node.campaigns.model import Method
from node.campaigns.residence import is_inside, residence_subject
from node.campaigns.verification_model import Verification
from node.campaigns.verification_operations import record_verification, require_method
from node.errors import PostcodeNotEligible


def declare_residence(
    campaign_id: str, customer_id: str, postcode: str, now: datetime
) -> Callable[[sqlite3.Connection], Verification]:
    """`postcode` is parsed already (residence.parse_postcode)."""

    def work(conn: sqlite3.Connection) -> Verification:
        campaign = require_method(conn, campaign_id, Method.RESIDENCE)
        if not is_inside(postcode, campaign.postcodes):
            raise PostcodeNotEligible(field="postcode")
        subject = residence_subject(postcode, customer_id)
        return record_verification(conn, campaign_id, customer_id, Method.RESIDENCE, subject, now)

    return work
