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


async def member_by_card(db: Reader, card_no: str) -> Member | None:
    """The member whose printed card carries `card_no` (the 13 digits on a plastic card)."""
    rows = list(
        await db.execute_fetchall(
            f"SELECT {MEMBER_COLUMNS} FROM members WHERE card_no = ?",  # noqa: S608
            (card_no,),
        )
    )
    return member_from_row(rows[0]) if rows else None


async def member_numbers(db: Reader, customer_ids: list[str]) -> dict[str, str]:
    """Member numbers of those of `customer_ids` who have one (a search page's few results)."""
    if not customer_ids:
        return {}
    marks = ", ".join("?" for _ in customer_ids)
    rows = await db.execute_fetchall(
        f"SELECT customer_id, member_no FROM members WHERE customer_id IN ({marks})",  # noqa: S608
        customer_ids,
    )
    return {str(r["customer_id"]): str(r["member_no"]) for r in rows}


async def outstanding_points(db: Reader, now: datetime) -> int:
    """Points owed to members at `now`: the sum of the live lots' remainders (the liability).

    Read through the partial index point_lots_due, which holds only the lots with points left:
    spent and swept lots leave it, so the read grows with what is owed now, never with the
    journal's history (summing the members' accounts in point_postings would read every posting
    ever made). A lot past its expiry that the sweep has not closed yet counts for nothing, as it
    does in a member's balance."""
    rows = await db.execute_fetchall(
        "SELECT coalesce(sum(remaining), 0) AS owed FROM point_lots"
        " WHERE remaining > 0 AND (expires_at IS NULL OR expires_at > ?)",
        (to_epoch(now),),
    )
    return int(next(iter(rows))["owed"])


@dataclass(frozen=True)
class ShortfallLine:
    """A return that found its purchase's points already spent: what could not be taken back."""

    txn_id: str
    member_no: str
    points: int
    created_at: datetime
    purchase_yen: int
    earned: int
    store_id: str | None
    settled: int = 0  # settled since out of points given back to the member (give_back.py)

    @property
    def open_points(self) -> int:
        return self.points - self.settled


SHORTFALLS_SHOWN = 100


async def shortfalls(db: Reader, limit: int = SHORTFALLS_SHOWN) -> list[ShortfallLine]:
    """The latest shortfalls, newest first (the point_shortfalls_time index, stopped at `limit`)."""
    rows = await db.execute_fetchall(
        "SELECT s.txn_id, s.points, s.created_at, m.member_no, u.purchase_yen,"
        " u.points AS earned, u.store_id, s.settled"
        " FROM point_shortfalls s JOIN members m ON m.customer_id = s.customer_id"
        " JOIN point_purchases u ON u.txn_id = s.txn_id"
        " ORDER BY s.created_at DESC LIMIT ?",
        (limit,),
    )
    return [
        ShortfallLine(
            r["txn_id"],
            r["member_no"],
            r["points"],
            from_epoch(r["created_at"]),
            r["purchase_yen"],
            r["earned"],
            r["store_id"],
            r["settled"],
        )
        for r in rows
    ]


async def campaign(db: Reader, campaign_id: str) -> Campaign | None:
    rows = list(
        await db.execute_fetchall(
            f"SELECT {CAMPAIGN_COLUMNS} FROM point_campaigns WHERE campaign_id = ?",  # noqa: S608
            (campaign_id,),
        )
    )
    return campaign_from_row(rows[0]) if rows else None


async def purchase_lines(db: Reader, txn_id: str) -> list[PurchaseLine]:
    """The lines a POS or EC site sent with the purchase `txn_id`, in their order (for analysis:
    which goods members buy)."""
    rows = await db.execute_fetchall(
        "SELECT sku, name, quantity, amount_yen FROM point_purchase_lines"
        " WHERE txn_id = ? ORDER BY line",
        (txn_id,),
    )
    return [PurchaseLine(r["sku"], r["name"], r["quantity"], r["amount_yen"]) for r in rows]
