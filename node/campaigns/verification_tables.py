"""Reads of campaign_verifications that eligibility's writer units need: what stands in the way of
a new proof, and who holds a subject. (The insert is tables.record_verification.)"""

from __future__ import annotations

import sqlite3

from node.campaigns.model import Method
from node.campaigns.verification_model import Verification
from node.ledger.rows import from_epoch

COLUMNS = "campaign_id, customer_id, method, subject, verified_at"


def verification_from_row(row: sqlite3.Row) -> Verification:
    return Verification(
        campaign_id=row["campaign_id"],
        customer_id=row["customer_id"],
        method=Method(row["method"]),
        subject=row["subject"],
        verified_at=from_epoch(row["verified_at"]),
    )


def conflicting(conn: sqlite3.Connection, proof: Verification) -> list[Verification]:
    """The rows in the way of `proof`: the same subject, or the same resident, of its method."""
    rows = conn.execute(
        f"SELECT {COLUMNS} FROM campaign_verifications"  # noqa: S608
        " WHERE campaign_id = ? AND method = ? AND (subject = ? OR customer_id = ?)",
        (proof.campaign_id, proof.method.value, proof.subject, proof.customer_id),
    ).fetchall()
    return [verification_from_row(row) for row in rows]


def subject_holder(
    conn: sqlite3.Connection, campaign_id: str, method: Method, subject: str
) -> str | None:
    """The resident whose proof of this campaign used `subject`, if any."""
    row = conn.execute(
        "SELECT customer_id FROM campaign_verifications"
        " WHERE campaign_id = ? AND method = ? AND subject = ?",
        (campaign_id, method.value, subject),
    ).fetchone()
    return None if row is None else str(row["customer_id"])
