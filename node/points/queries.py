"""Reads of points on the read pools (aiosqlite): a member by customer or number, a member's
balance and lots, and the member's history in the points journal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from node.ledger.rows import from_epoch, to_epoch
from node.points.core import spend_order_key
from node.points.model import (
    Balance,
    Campaign,
    EntryKind,
    Member,
    Program,
    PurchaseLine,
    StoreRate,
    member_account,
)
from node.points.rows import (
    CAMPAIGN_COLUMNS,
    LOT_COLUMNS,
    MEMBER_COLUMNS,
    PROGRAM_COLUMNS,
    STORE_RATE_COLUMNS,
    campaign_from_row,
    lot_from_row,
    member_from_row,
    program_from_row,
    store_rate_from_row,
)
from node.reads import Reader

HISTORY_SHOWN = 50


async def member(db: Reader, customer_id: str) -> Member | None:
    rows = list(
        await db.execute_fetchall(
            f"SELECT {MEMBER_COLUMNS} FROM members WHERE customer_id = ?",  # noqa: S608
            (customer_id,),
        )
    )
    return member_from_row(rows[0]) if rows else None


async def member_by_number(db: Reader, member_no: str) -> Member | None:
    rows = list(
        await db.execute_fetchall(
            f"SELECT {MEMBER_COLUMNS} FROM members WHERE member_no = ?",  # noqa: S608
            (member_no,),
        )
    )
    return member_from_row(rows[0]) if rows else None


async def balance(db: Reader, customer_id: str, now: datetime) -> Balance:
    """The member's live lots at `now` (past their expiry counts for nothing, swept or not)."""
    rows = await db.execute_fetchall(
        f"SELECT {LOT_COLUMNS} FROM point_lots"  # noqa: S608
        " WHERE customer_id = ? AND remaining > 0 AND (expires_at IS NULL OR expires_at > ?)",
        (customer_id, to_epoch(now)),
    )
    lots = sorted((lot_from_row(r) for r in rows), key=spend_order_key)
    return Balance(customer_id, now, tuple(lots))


@dataclass(frozen=True)
class HistoryLine:
    entry_id: str
    kind: EntryKind
    created_at: datetime
    points: int  # to the member: positive credited, negative debited
    actor: str
    reason: str | None


async def history(db: Reader, customer_id: str, limit: int = HISTORY_SHOWN) -> list[HistoryLine]:
    """The member's latest entries, newest first, each with what it did to the member."""
    rows = await db.execute_fetchall(
        "SELECT e.entry_id, e.kind, e.created_at, e.actor, e.reason, -p.points AS points"
        " FROM point_entries e JOIN point_postings p ON p.entry_id = e.entry_id"
        " WHERE e.customer_id = ? AND p.account = ?"
        " ORDER BY e.created_at DESC, e.entry_id DESC LIMIT ?",
        (customer_id, member_account(customer_id), limit),
    )
    return [
        HistoryLine(
            r["entry_id"],
            EntryKind(r["kind"]),
            from_epoch(r["created_at"]),
            r["points"],
            r["actor"],
            r["reason"],
        )
        for r in rows
    ]


async def rank_name(db: Reader, customer_id: str) -> str | None:
    rows = list(
        await db.execute_fetchall(
            "SELECT rank_name FROM member_ranks WHERE customer_id = ?", (customer_id,)
        )
    )
    return str(rows[0]["rank_name"]) if rows else None


async def programs(db: Reader) -> list[Program]:
    """Every version of the program (one per change head office made), oldest first."""
    rows = await db.execute_fetchall(
        f"SELECT {PROGRAM_COLUMNS} FROM point_programs ORDER BY effective_from"  # noqa: S608
    )
    return [program_from_row(r) for r in rows]


CAMPAIGNS_SHOWN = 200


async def campaigns(db: Reader) -> list[Campaign]:
    """The latest campaigns, latest start first."""
    rows = await db.execute_fetchall(
        f"SELECT {CAMPAIGN_COLUMNS} FROM point_campaigns"  # noqa: S608
        " ORDER BY starts_at DESC, campaign_id LIMIT ?",
        (CAMPAIGNS_SHOWN,),
    )
    return [campaign_from_row(r) for r in rows]


async def store_rates(db: Reader) -> list[StoreRate]:
    """Every store's rate versions (a few per store at most)."""
    rows = await db.execute_fetchall(
        f"SELECT {STORE_RATE_COLUMNS} FROM point_store_rates"  # noqa: S608
        " ORDER BY store_id, effective_from"
    )
    return [store_rate_from_row(r) for r in rows]


async def purchase_lines(db: Reader, txn_id: str) -> list[PurchaseLine]:
    """The lines a POS or EC site sent with the purchase `txn_id`, in their order (for analysis:
    which goods members buy)."""
    rows = await db.execute_fetchall(
        "SELECT sku, name, quantity, amount_yen FROM point_purchase_lines"
        " WHERE txn_id = ? ORDER BY line",
        (txn_id,),
    )
    return [PurchaseLine(r["sku"], r["name"], r["quantity"], r["amount_yen"]) for r in rows]
