"""The lottery campaigns' reads: a set-up, its rounds, entries and wins, a resident's standing."""

from __future__ import annotations

from node.campaigns.gate_model import DrawRound, Lottery, Win
from node.campaigns.lottery_tables import (
    LOTTERY_COLUMNS,
    ROUND_COLUMNS,
    WIN_SELECT,
    lottery_from_row,
    round_from_row,
    win_from_row,
)
from node.reads import Reader


async def lottery(conn: Reader, campaign_id: str) -> Lottery | None:
    rows = await conn.execute_fetchall(
        f"SELECT {LOTTERY_COLUMNS} FROM campaign_lotteries WHERE campaign_id = ?",  # noqa: S608
        (campaign_id,),
    )
    found = [lottery_from_row(r) for r in rows]
    return found[0] if found else None


async def rounds(conn: Reader, campaign_id: str) -> list[DrawRound]:
    rows = await conn.execute_fetchall(
        f"SELECT {ROUND_COLUMNS} FROM campaign_lottery_rounds"  # noqa: S608
        " WHERE campaign_id = ? ORDER BY round_no",
        (campaign_id,),
    )
    return [round_from_row(r) for r in rows]


async def entries(conn: Reader, campaign_id: str) -> list[str]:
    rows = await conn.execute_fetchall(
        "SELECT entry_id FROM campaign_lottery_entries WHERE campaign_id = ? ORDER BY entry_id",
        (campaign_id,),
    )
    return [r["entry_id"] for r in rows]


async def entry_count(conn: Reader, campaign_id: str) -> int:
    rows = await conn.execute_fetchall(
        "SELECT COUNT(*) AS n FROM campaign_lottery_entries WHERE campaign_id = ?", (campaign_id,)
    )
    return int(next(iter(rows))["n"])


async def wins(conn: Reader, campaign_id: str) -> list[Win]:
    rows = await conn.execute_fetchall(
        f"{WIN_SELECT} WHERE w.campaign_id = ? ORDER BY w.round_no, w.place", (campaign_id,)
    )
    return [win_from_row(r) for r in rows]


async def entry_of(conn: Reader, campaign_id: str, customer_id: str) -> str | None:
    rows = await conn.execute_fetchall(
        "SELECT entry_id FROM campaign_lottery_entries WHERE campaign_id = ? AND customer_id = ?",
        (campaign_id, customer_id),
    )
    found = [r["entry_id"] for r in rows]
    return found[0] if found else None


async def win_of(conn: Reader, campaign_id: str, customer_id: str) -> Win | None:
    rows = await conn.execute_fetchall(
        f"{WIN_SELECT} WHERE w.campaign_id = ? AND e.customer_id = ?", (campaign_id, customer_id)
    )
    found = [win_from_row(r) for r in rows]
    return found[0] if found else None
