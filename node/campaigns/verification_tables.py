"""SQL of campaign_verifications: one row per proof, unique per (campaign, method, subject) and
per (campaign, customer, method). Until the campaigns core owns this table, eligibility writes it
here; the rules of recording are verification_operations.record_verification's."""

from __future__ import annotations

import sqlite3

from node.campaigns.verification_model import Method, Verification
from node.ledger.rows import from_epoch, to_epoch

COLUMNS = "campaign_id, customer_id, method, subject, verified_at"


def verification_from_row(row: sqlite3.Row) -> Verification:
    return Verification(
        campaign_id=row["campaign_id"],
        customer_id=row["customer_id"],
        method=Method(row["method"]),
        subject=row["subject"],
        verified_at=from_epoch(row["verified_at"]),
    )


def insert_verification(conn: sqlite3.Connection, proof: Verification) -> bool:
    """Add the proof; False when either uniqueness holds another row already (nothing added)."""
    return bool(
        conn.execute(
            "INSERT INTO campaign_verifications"
            " (campaign_id, customer_id, method, subject, verified_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (
                proof.campaign_id,
                proof.customer_id,
                proof.method.value,
                proof.subject,
                to_epoch(proof.verified_at),
            ),
        ).rowcount
    )


def conflicting(conn: sqlite3.Connection, proof: Verification) -> list[Verification]:
    """The rows in the way of `proof`: the same subject, or the same resident, of its method."""
    rows = conn.execute(
        "SELECT campaign_id, customer_id, method, subject, verified_at"
        " FROM campaign_verifications"
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
