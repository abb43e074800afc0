"""Reads of eligibility on the read pools: a resident's proofs for a campaign, and how many of its
serial codes are printed and used."""

from __future__ import annotations

from node.campaigns.verification_model import Verification
from node.campaigns.verification_tables import COLUMNS, verification_from_row
from node.reads import Reader


async def proofs_of(db: Reader, campaign_id: str, customer_id: str) -> list[Verification]:
    rows = await db.execute_fetchall(
        f"SELECT {COLUMNS} FROM campaign_verifications"  # noqa: S608
        " WHERE campaign_id = ? AND customer_id = ? ORDER BY method",
        (campaign_id, customer_id),
    )
    return [verification_from_row(row) for row in rows]


async def serial_counts(db: Reader, campaign_id: str) -> tuple[int, int]:
    """(printed, used)."""
    rows = list(
        await db.execute_fetchall(
            "SELECT count(*) AS printed, count(used_by) AS used FROM campaign_serials"
            " WHERE campaign_id = ?",
            (campaign_id,),
        )
    )
    return int(rows[0]["printed"]), int(rows[0]["used"])


async def recent_subjects(db: Reader, campaign_id: str, method: str, limit: int) -> list[str]:
    """The subjects of the campaign's latest proofs of `method` (for a passkey: the credential
    ids a device that holds one must not register again)."""
    rows = await db.execute_fetchall(
        "SELECT subject FROM campaign_verifications WHERE campaign_id = ? AND method = ?"
        " ORDER BY verified_at DESC LIMIT ?",
        (campaign_id, method, limit),
    )
    return [str(row["subject"]) for row in rows]
