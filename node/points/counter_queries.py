"""Reads the counter's confirm steps need (read pools): a member by the printed card number, the
rank multiplier, the store's rates and the campaigns running now. Nothing here writes."""

from __future__ import annotations

from datetime import datetime

from node.ledger.rows import to_epoch
from node.points.model import Campaign, Member, StoreRate
from node.points.rows import (
    CAMPAIGN_COLUMNS,
    MEMBER_COLUMNS,
    STORE_RATE_COLUMNS,
    campaign_from_row,
    member_from_row,
    store_rate_from_row,
)
from node.reads import Reader


async def member_by_card(db: Reader, card_no: str) -> Member | None:
    rows = list(
        await db.execute_fetchall(
            f"SELECT {MEMBER_COLUMNS} FROM members WHERE card_no = ?",  # noqa: S608
            (card_no,),
        )
    )
    return member_from_row(rows[0]) if rows else None


async def rank_pct(db: Reader, customer_id: str) -> int:
    """The member's rank's earn multiplier (percent); 100 for a member without a rank."""
    rows = list(
        await db.execute_fetchall(
            "SELECT multiplier_pct FROM member_ranks WHERE customer_id = ?", (customer_id,)
        )
    )
    return int(rows[0]["multiplier_pct"]) if rows else 100


async def store_rates_of(db: Reader, store_id: str) -> list[StoreRate]:
    rows = await db.execute_fetchall(
        f"SELECT {STORE_RATE_COLUMNS} FROM point_store_rates WHERE store_id = ?",  # noqa: S608
        (store_id,),
    )
    return [store_rate_from_row(r) for r in rows]


async def campaigns_at(db: Reader, at: datetime) -> list[Campaign]:
    """The campaigns running at `at`, cancelled or not (core.campaign_pct decides)."""
    rows = await db.execute_fetchall(
        f"SELECT {CAMPAIGN_COLUMNS} FROM point_campaigns"  # noqa: S608
        " WHERE ends_at > ? AND starts_at <= ?",
        (to_epoch(at), to_epoch(at)),
    )
    return [campaign_from_row(r) for r in rows]
