"""Reads of point lotteries on the read pools: every lottery with its prizes and entry count,
one lottery, its tickets in the order taken, one member's tickets, the winners."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from node.points.lottery_model import Lottery, Ticket, Winner
from node.points.lottery_tables import (
    LOTTERY_COLUMNS,
    PRIZES_OF,
    TICKET_COLUMNS,
    lottery_from_row,
    prize_from_row,
    ticket_from_row,
    winner_from_row,
)
from node.reads import Reader

LOTTERIES_SHOWN = 100


async def _with_prizes(db: Reader, rows: list[sqlite3.Row]) -> list[Lottery]:
    found = []
    for row in rows:
        prizes = await db.execute_fetchall(PRIZES_OF, (row["lottery_id"],))
        found.append(lottery_from_row(row, tuple(prize_from_row(p) for p in prizes)))
    return found


async def lotteries(db: Reader) -> list[Lottery]:
    rows = await db.execute_fetchall(
        f"SELECT {LOTTERY_COLUMNS} FROM point_lotteries"  # noqa: S608
        " ORDER BY opens_at DESC, lottery_id LIMIT ?",
        (LOTTERIES_SHOWN,),
    )
    return await _with_prizes(db, list(rows))


async def lottery(db: Reader, lottery_id: str) -> Lottery | None:
    rows = await db.execute_fetchall(
        f"SELECT {LOTTERY_COLUMNS} FROM point_lotteries WHERE lottery_id = ?",  # noqa: S608
        (lottery_id,),
    )
    found = await _with_prizes(db, list(rows))
    return found[0] if found else None


async def tickets(db: Reader, lottery_id: str, customer_id: str | None = None) -> list[Ticket]:
    """The lottery's tickets in the order taken; one member's alone when given."""
    rows = await db.execute_fetchall(
        f"SELECT {TICKET_COLUMNS} FROM lottery_tickets WHERE lottery_id = ?"  # noqa: S608
        " AND (? IS NULL OR customer_id = ?) ORDER BY seq",
        (lottery_id, customer_id, customer_id),
    )
    return [ticket_from_row(r) for r in rows]


async def entry_count(db: Reader, lottery_id: str) -> int:
    rows = list(
        await db.execute_fetchall(
            "SELECT count(*) AS n FROM lottery_tickets WHERE lottery_id = ?", (lottery_id,)
        )
    )
    return int(rows[0]["n"])


@dataclass(frozen=True)
class WinnerRow:
    winner: Winner
    customer_id: str
    member_no: str  # head office's, to deliver the prize: never in the public draw file


async def member_winners(db: Reader, lottery_id: str, customer_id: str) -> list[WinnerRow]:
    """One member's winning tickets (the wallet's page), not every winner read and filtered."""
    rows = await db.execute_fetchall(
        "SELECT w.place, w.ticket_id, w.position, t.customer_id, m.member_no"
        " FROM lottery_winners w JOIN lottery_tickets t ON t.ticket_id = w.ticket_id"
        " JOIN members m ON m.customer_id = t.customer_id"
        " WHERE w.lottery_id = ? AND t.lottery_id = ? AND t.customer_id = ? ORDER BY w.place",
        (lottery_id, lottery_id, customer_id),
    )
    return [WinnerRow(winner_from_row(r), r["customer_id"], r["member_no"]) for r in rows]


async def winners(db: Reader, lottery_id: str) -> list[WinnerRow]:
    rows = await db.execute_fetchall(
        "SELECT w.place, w.ticket_id, w.position, t.customer_id, m.member_no"
        " FROM lottery_winners w JOIN lottery_tickets t ON t.ticket_id = w.ticket_id"
        " JOIN members m ON m.customer_id = t.customer_id"
        " WHERE w.lottery_id = ? ORDER BY w.place",
        (lottery_id,),
    )
    return [WinnerRow(winner_from_row(r), r["customer_id"], r["member_no"]) for r in rows]
