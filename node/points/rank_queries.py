"""Reads of member ranks on the read pools: the rank table's versions, a member's rank with its
progress to the next (what the wallet and the console show), the floors granted, the changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from node.ledger.rows import from_epoch, to_epoch
from node.points.rank_core import (
    last_recompute,
    next_recompute,
    place,
    placement_windows,
    progress_to_next,
    table_in_force,
    upgrade_window,
    upgrade_window_end,
)
from node.points.rank_model import ChangeReason, MemberRank, RankChange, RankTable, SpendWindow
from node.points.rank_tables import (
    RANK_COLUMNS,
    TABLE_COLUMNS,
    member_rank_from_row,
    tables_from_rows,
)
from node.reads import Reader

CHANGES_SHOWN = 20


async def rank_tables(db: Reader) -> list[RankTable]:
    """Every version of the rank table, oldest first."""
    heads = await db.execute_fetchall(
        f"SELECT {TABLE_COLUMNS} FROM rank_tables ORDER BY effective_from"  # noqa: S608
    )
    levels = await db.execute_fetchall(
        "SELECT version_id, position, name, min_spend_yen, multiplier_pct FROM rank_levels"
        " ORDER BY version_id, position"
    )
    return tables_from_rows(heads, levels)


async def member_rank(db: Reader, customer_id: str) -> MemberRank | None:
    rows = list(
        await db.execute_fetchall(
            f"SELECT {RANK_COLUMNS} FROM member_ranks WHERE customer_id = ?",  # noqa: S608
            (customer_id,),
        )
    )
    return member_rank_from_row(rows[0]) if rows else None


async def spend_between(db: Reader, customer_id: str, start: datetime, end: datetime) -> int:
    rows = list(
        await db.execute_fetchall(
            "SELECT COALESCE(SUM(purchase_yen), 0) AS spend FROM point_purchases"
            " WHERE customer_id = ? AND created_at >= ? AND created_at < ?"
            " AND returned_at IS NULL",
            (customer_id, to_epoch(start), to_epoch(end)),
        )
    )
    return int(rows[0]["spend"])


async def floor_reason(db: Reader, customer_id: str) -> str | None:
    """The reason head office gave for the member's latest floor."""
    rows = list(
        await db.execute_fetchall(
            "SELECT reason FROM rank_floors WHERE customer_id = ?"
            " ORDER BY created_at DESC, floor_id DESC LIMIT 1",
            (customer_id,),
        )
    )
    return str(rows[0]["reason"]) if rows else None


async def changes(db: Reader, customer_id: str, limit: int = CHANGES_SHOWN) -> list[RankChange]:
    """The member's rank changes, newest first."""
    rows = await db.execute_fetchall(
        "SELECT change_id, customer_id, from_name, to_name, reason, created_at, actor"
        " FROM rank_changes WHERE customer_id = ? ORDER BY created_at DESC, change_id DESC"
        " LIMIT ?",
        (customer_id, limit),
    )
    return [
        RankChange(
            r["change_id"],
            r["customer_id"],
            r["from_name"],
            r["to_name"],
            ChangeReason(r["reason"]),
            from_epoch(r["created_at"]),
            r["actor"],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class FloorShown:
    rank: str
    until: datetime
    reason: str | None


@dataclass(frozen=True)
class RankProgress:
    """A member's rank as the wallet and the console show it: the rank now and its multiplier
    (what the next purchase earns with), the spend in the current window, the next rank and the
    yen left to reach it, the manual floor and its end, and the next recompute."""

    rank: str
    position: int
    multiplier_pct: int
    since: datetime | None
    window: SpendWindow
    window_starts_at: datetime
    window_ends_at: datetime | None  # None: a rolling window never closes
    window_spend_yen: int
    next_rank: str | None
    yen_to_next: int | None
    floor: FloorShown | None
    last_recompute_at: datetime
    next_recompute_at: datetime


async def rank_progress(
    db: Reader, customer_id: str, now: datetime, zone: ZoneInfo
) -> RankProgress | None:
    """The member's rank and progress at `now`; None while head office has set no rank table."""
    table = table_in_force(await rank_tables(db), now)
    if table is None:
        return None
    held = await member_rank(db, customer_id)
    if held is not None and held.floor is not None and held.floor_at(now) is None:
        # ended, not yet settled by the sweep or a purchase: show what settling it will give
        windows = placement_windows(table, now, zone)
        spends = [await spend_between(db, customer_id, w.start, w.end) for w in windows]
        held = place(held, table, customer_id, spends, now)
    window = upgrade_window(table.window, now, zone)
    spend = await spend_between(db, customer_id, window.start, window.end)
    if held is None:
        name, position, pct, since = table.levels[0].name, 0, 100, None
    else:
        name, position, pct, since = held.name, held.position, held.multiplier_pct, held.since
    following, left = progress_to_next(table, position, spend)
    floor = held.floor_at(now) if held is not None else None
    shown = None
    if floor is not None:
        shown = FloorShown(floor.name, floor.until, await floor_reason(db, customer_id))
    return RankProgress(
        rank=name,
        position=position,
        multiplier_pct=pct,
        since=since,
        window=table.window,
        window_starts_at=window.start,
        window_ends_at=upgrade_window_end(table.window, now, zone),
        window_spend_yen=spend,
        next_rank=None if following is None else following.name,
        yen_to_next=left,
        floor=shown,
        last_recompute_at=last_recompute(table, now, zone),
        next_recompute_at=next_recompute(table, now, zone),
    )
