"""Campaign mail's reads: campaigns and recipients, customers' addresses, and what one
recipient's variables stand for (the ledger's customers and vouchers, the points' lots and
ranks: READS_BELOW)."""

from __future__ import annotations

from datetime import datetime, timedelta

from node.crm.mail_model import EXPIRING_DAYS, MailCampaign, Recipient, Values
from node.crm.mail_tables import (
    CAMPAIGN_COLUMNS,
    RECIPIENT_COLUMNS,
    campaign_from_row,
    recipient_from_row,
)
from node.ledger.rows import from_epoch, to_epoch
from node.reads import Reader

LIST_LIMIT = 200


async def campaign(db: Reader, mail_id: str) -> MailCampaign | None:
    rows = list(
        await db.execute_fetchall(
            f"SELECT {CAMPAIGN_COLUMNS} FROM mail_campaigns WHERE mail_id = ?",  # noqa: S608
            (mail_id,),
        )
    )
    return campaign_from_row(rows[0]) if rows else None


async def campaigns(db: Reader) -> list[MailCampaign]:
    rows = await db.execute_fetchall(
        f"SELECT {CAMPAIGN_COLUMNS} FROM mail_campaigns"  # noqa: S608
        " ORDER BY created_at DESC, mail_id LIMIT ?",
        (LIST_LIMIT,),
    )
    return [campaign_from_row(r) for r in rows]


async def due(db: Reader, now: datetime) -> list[str]:
    rows = await db.execute_fetchall(
        "SELECT mail_id FROM mail_campaigns WHERE status = 'scheduled' AND send_at <= ?"
        " ORDER BY send_at, mail_id",
        (to_epoch(now),),
    )
    return [str(r["mail_id"]) for r in rows]


async def sending(db: Reader) -> list[MailCampaign]:
    rows = await db.execute_fetchall(
        f"SELECT {CAMPAIGN_COLUMNS} FROM mail_campaigns WHERE status = 'sending'"  # noqa: S608
        " ORDER BY started_at, mail_id"
    )
    return [campaign_from_row(r) for r in rows]


async def status_counts(db: Reader, mail_id: str) -> dict[str, int]:
    rows = await db.execute_fetchall(
        "SELECT status, count(*) AS n FROM mail_recipients WHERE mail_id = ? GROUP BY status",
        (mail_id,),
    )
    return {str(r["status"]): int(r["n"]) for r in rows}


async def recipients(db: Reader, mail_id: str, limit: int, offset: int) -> list[Recipient]:
    rows = await db.execute_fetchall(
        f"SELECT {RECIPIENT_COLUMNS} FROM mail_recipients WHERE mail_id = ?"  # noqa: S608
        " ORDER BY customer_id LIMIT ? OFFSET ?",
        (mail_id, limit, offset),
    )
    return [recipient_from_row(r) for r in rows]


async def recipient_of_token(db: Reader, token_hash: bytes) -> Recipient | None:
    rows = list(
        await db.execute_fetchall(
            f"SELECT {RECIPIENT_COLUMNS} FROM mail_recipients WHERE token_hash = ?",  # noqa: S608
            (token_hash,),
        )
    )
    return recipient_from_row(rows[0]) if rows else None


async def mails_to(db: Reader, customer_id: str) -> list[tuple[str, str, datetime]]:
    """Each campaign mail meant for the customer: its subject, their status in it, when."""
    rows = await db.execute_fetchall(
        "SELECT m.subject AS subject, r.status AS status, r.updated_at AS at"
        " FROM mail_recipients r JOIN mail_campaigns m ON m.mail_id = r.mail_id"
        " WHERE r.customer_id = ? ORDER BY r.updated_at, m.mail_id",
        (customer_id,),
    )
    return [(str(r["subject"]), str(r["status"]), from_epoch(r["at"])) for r in rows]


async def addresses(db: Reader) -> dict[str, str]:
    """Every customer with an e-mail address, and the address."""
    rows = await db.execute_fetchall(
        "SELECT customer_id, email FROM customers WHERE email IS NOT NULL"
    )
    return {str(r["customer_id"]): str(r["email"]) for r in rows}


async def address_of(db: Reader, customer_id: str) -> str | None:
    rows = await db.execute_fetchall(
        "SELECT email FROM customers WHERE customer_id = ? AND email IS NOT NULL", (customer_id,)
    )
    return next((str(r["email"]) for r in rows), None)


async def values_of(db: Reader, customer_id: str, now: datetime) -> Values:
    moment = {"customer": customer_id, "now": to_epoch(now)}
    until = {"until": to_epoch(now + timedelta(days=EXPIRING_DAYS))}
    found = list(
        await db.execute_fetchall(
            "SELECT c.name AS name,"
            " (SELECT coalesce(sum(v.balance_yen), 0) FROM vouchers v"
            "  WHERE v.holder_id = c.customer_id AND v.status = 'active' AND v.suspended_at IS NULL"
            "  AND (v.expires_at IS NULL OR v.expires_at > :now)) AS balance_yen,"
            " (SELECT r.rank_name FROM member_ranks r WHERE r.customer_id = c.customer_id) AS rank,"
            " (SELECT coalesce(sum(l.remaining), 0) FROM point_lots l"
            "  WHERE l.customer_id = c.customer_id"
            "  AND (l.expires_at IS NULL OR l.expires_at > :now)) AS points,"
            " (SELECT coalesce(sum(l.remaining), 0) FROM point_lots l"
            "  WHERE l.customer_id = c.customer_id AND l.expires_at > :now"
            "  AND l.expires_at <= :until) AS expiring"
            " FROM customers c WHERE c.customer_id = :customer",
            moment | until,
        )
    )
    row = found[0]
    return Values(
        str(row["name"]),
        int(row["balance_yen"]),
        row["rank"],
        int(row["points"]),
        int(row["expiring"]),
    )
