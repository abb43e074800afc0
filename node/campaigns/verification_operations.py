"""Recording a proof of eligibility inside the writer unit of whichever mechanism produced it
(serial, one-time code, LINE, passkey, residence), so the proof and what it consumed (a serial
code's use, a one-time code) commit together; and the refusal that says why it was not."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from node.campaigns import tables, verification_tables
from node.campaigns.model import Campaign, Method
from node.campaigns.verification_model import Verification
from node.errors import (
    AlreadyVerified,
    MethodNotAsked,
    MunicipalCampaignNotFound,
    SubjectTaken,
)
from node.ledger.rows import from_epoch, to_epoch


def require_method(conn: sqlite3.Connection, campaign_id: str, method: Method) -> Campaign:
    """The campaign, which must exist and ask for `method`."""
    campaign = tables.load_campaign(conn, campaign_id)
    if campaign is None:
        raise MunicipalCampaignNotFound()
    if method not in campaign.eligibility:
        raise MethodNotAsked(method=method.value)
    return campaign


def record_verification(
    conn: sqlite3.Connection,
    campaign_id: str,
    customer_id: str,
    method: Method,
    subject: str,
    now: datetime,
) -> Verification:
    """Record the proof, or answer the one recorded already for this resident and subject (a
    retry). Refuses a subject that proved it for another resident (SubjectTaken) and a second
    subject of one method for the same resident (AlreadyVerified). Both uniquenesses are the
    table's, so of two residents racing for one subject exactly one passes."""
    proof = Verification(campaign_id, customer_id, method, subject, from_epoch(to_epoch(now)))
    if tables.record_verification(conn, campaign_id, customer_id, method, subject, now):
        return proof
    in_the_way = verification_tables.conflicting(conn, proof)
    for earlier in in_the_way:
        if earlier.customer_id == customer_id and earlier.subject == subject:
            return earlier
    if any(earlier.subject == subject for earlier in in_the_way):
        raise SubjectTaken(method=method.value)
    raise AlreadyVerified(method=method.value)
