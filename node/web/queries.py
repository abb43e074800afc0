"""Reads of the web's own tables for the pages (aiosqlite): handover links and staff accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from node.ledger.model import Customer
from node.ledger.rows import from_epoch, maybe_datetime
from node.reads import Reader


async def pending_handover(db: Reader, hashed: bytes) -> str | None:
    """The voucher behind an unused handover link, if the link is one."""
    async with db.execute(
        "SELECT voucher_id FROM web_handovers WHERE token_hash = ? AND taken_by IS NULL",
        (hashed,),
    ) as cursor:
        row = await cursor.fetchone()
    return None if row is None else str(row["voucher_id"])


async def handover_giver(db: Reader, hashed: bytes) -> str | None:
    """The customer who gave the gift behind a link (None: a counter sale, or no such link)."""
    async with db.execute(
        "SELECT from_customer FROM web_handovers WHERE token_hash = ?", (hashed,)
    ) as cursor:
        row = await cursor.fetchone()
    return None if row is None or row["from_customer"] is None else str(row["from_customer"])


@dataclass(frozen=True)
class OpenGift:
    """A gift the customer made that nobody has received yet."""

    voucher_id: str
    created_at: datetime


async def open_gifts_of(db: Reader, customer_id: str) -> list[OpenGift]:
    """The customer's unclaimed gift links, newest first (a taken-back gift's voucher is void;
    the caller leaves it out)."""
    rows = await db.execute_fetchall(
        "SELECT voucher_id, created_at FROM web_handovers WHERE from_customer = ?"
        " AND kind = 'gift' AND taken_by IS NULL ORDER BY created_at DESC, voucher_id LIMIT 100",
        (customer_id,),
    )
    return [OpenGift(str(r["voucher_id"]), from_epoch(r["created_at"])) for r in rows]


@dataclass(frozen=True)
class HandoverLink:
    """A handover link as its landing page needs it: the voucher, and who took it if anyone."""

    voucher_id: str
    taken_by: str | None


async def handover_link(db: Reader, hashed: bytes) -> HandoverLink | None:
    async with db.execute(
        "SELECT voucher_id, taken_by FROM web_handovers WHERE token_hash = ?", (hashed,)
    ) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return None
    return HandoverLink(str(row["voucher_id"]), maybe_str(row["taken_by"]))


def maybe_str(value: object) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class WalletAccount:
    """The customer's sign-in account for the wallet pages."""

    created_at: datetime
    disabled_at: datetime | None
    last_sign_in: datetime | None  # None when no session or sign-in link of theirs is on record


async def wallet_account(db: Reader, customer: Customer) -> WalletAccount | None:
    # Sessions and sign-in links are pruned once expired, so the last sign-in is known only
    # while one of them is still kept.
    rows = list(
        await db.execute_fetchall(
            "SELECT a.created_at, a.disabled_at,"
            " (SELECT max(s.created_at) FROM web_sessions s WHERE s.account_id = a.account_id)"
            " AS last_session,"
            " (SELECT max(l.used_at) FROM web_login_links l WHERE l.email = a.login) AS last_link"
            " FROM web_accounts a WHERE a.customer_id = ?",
            (customer.customer_id,),
        )
    )
    if not rows:
        return None
    row = rows[0]
    known = [m for m in (row["last_session"], row["last_link"]) if m is not None]
    return WalletAccount(
        created_at=from_epoch(row["created_at"]),
        disabled_at=maybe_datetime(row["disabled_at"]),
        last_sign_in=from_epoch(max(known)) if known else None,
    )


@dataclass(frozen=True)
class GiftLink:
    """Who made a gift voucher's link, and who took it (None while nobody has)."""

    from_customer: str | None
    taken_by: str | None
    created_at: datetime


async def gift_link(db: Reader, voucher_id: str) -> GiftLink | None:
    rows = list(
        await db.execute_fetchall(
            "SELECT from_customer, taken_by, created_at FROM web_handovers"
            " WHERE voucher_id = ? AND kind = 'gift'",
            (voucher_id,),
        )
    )
    if not rows:
        return None
    row = rows[0]
    return GiftLink(row["from_customer"], row["taken_by"], from_epoch(row["created_at"]))
