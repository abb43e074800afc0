"""SQL of point lotteries, shared by the writer's units and the reads: lotteries with their
prizes, tickets, winners, and the rows mapped to their values."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from node.errors import KippuError
from node.ledger.rows import from_epoch, maybe_datetime, to_epoch
from node.points.lottery_model import Lottery, Prize, Ticket, Winner

LOTTERY_COLUMNS = (
    "lottery_id, name, entry_points, max_entries, opens_at, closes_at, related_sales_yen,"
    " point_value_yen, commitment, seed, created_at, created_by, closed_at, entries_hash,"
    " entry_count, drawn_at, cancelled_at"
)
TICKET_COLUMNS = "ticket_id, lottery_id, seq, customer_id, entry_id, created_at, refund_entry_id"


def prize_from_row(row: sqlite3.Row) -> Prize:
    return Prize(row["name"], row["value_yen"], row["count"])


def lottery_from_row(row: sqlite3.Row, prizes: tuple[Prize, ...]) -> Lottery:
    hashed = row["entries_hash"]
    return Lottery(
        lottery_id=row["lottery_id"],
        name=row["name"],
        entry_points=row["entry_points"],
        max_entries=row["max_entries"],
        opens_at=from_epoch(row["opens_at"]),
        closes_at=from_epoch(row["closes_at"]),
        related_sales_yen=row["related_sales_yen"],
        point_value_yen=row["point_value_yen"],
        prizes=prizes,
        commitment=bytes(row["commitment"]),
        seed=bytes(row["seed"]),
        created_at=from_epoch(row["created_at"]),
        created_by=row["created_by"],
        closed_at=maybe_datetime(row["closed_at"]),
        entries_hash=None if hashed is None else bytes(hashed),
        entry_count=row["entry_count"],
        drawn_at=maybe_datetime(row["drawn_at"]),
        cancelled_at=maybe_datetime(row["cancelled_at"]),
    )


def ticket_from_row(row: sqlite3.Row) -> Ticket:
    return Ticket(
        ticket_id=row["ticket_id"],
        lottery_id=row["lottery_id"],
        seq=row["seq"],
        customer_id=row["customer_id"],
        entry_id=row["entry_id"],
        created_at=from_epoch(row["created_at"]),
        refund_entry_id=row["refund_entry_id"],
    )


PRIZES_OF = (
    "SELECT name, value_yen, count FROM lottery_prizes WHERE lottery_id = ? ORDER BY position"
)


def insert_lottery(conn: sqlite3.Connection, lottery: Lottery) -> None:
    conn.execute(
        "INSERT INTO point_lotteries (lottery_id, name, entry_points, max_entries, opens_at,"
        " closes_at, related_sales_yen, point_value_yen, commitment, seed, created_at,"
        " created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            lottery.lottery_id,
            lottery.name,
            lottery.entry_points,
            lottery.max_entries,
            to_epoch(lottery.opens_at),
            to_epoch(lottery.closes_at),
            lottery.related_sales_yen,
            lottery.point_value_yen,
            lottery.commitment,
            lottery.seed,
            to_epoch(lottery.created_at),
            lottery.created_by,
        ),
    )
    conn.executemany(
        "INSERT INTO lottery_prizes (lottery_id, position, name, value_yen, count)"
        " VALUES (?, ?, ?, ?, ?)",
        [
            (lottery.lottery_id, i, p.name, p.value_yen, p.count)
            for i, p in enumerate(lottery.prizes)
        ],
    )


def load_lottery(conn: sqlite3.Connection, lottery_id: str) -> Lottery | None:
    row = conn.execute(
        f"SELECT {LOTTERY_COLUMNS} FROM point_lotteries WHERE lottery_id = ?",  # noqa: S608
        (lottery_id,),
    ).fetchone()
    if row is None:
        return None
    prizes = tuple(prize_from_row(p) for p in conn.execute(PRIZES_OF, (lottery_id,)).fetchall())
    return lottery_from_row(row, prizes)


def tickets_held(conn: sqlite3.Connection, lottery_id: str, customer_id: str) -> int:
    row = conn.execute(
        "SELECT count(*) AS n FROM lottery_tickets WHERE lottery_id = ? AND customer_id = ?",
        (lottery_id, customer_id),
    ).fetchone()
    return int(row["n"])


def insert_ticket(conn: sqlite3.Connection, ticket: Ticket) -> Ticket:
    """The ticket numbered next in its lottery (the writer is the only one numbering)."""
    row = conn.execute(
        "SELECT coalesce(max(seq), 0) + 1 AS seq FROM lottery_tickets WHERE lottery_id = ?",
        (ticket.lottery_id,),
    ).fetchone()
    numbered = Ticket(
        ticket.ticket_id,
        ticket.lottery_id,
        int(row["seq"]),
        ticket.customer_id,
        ticket.entry_id,
        ticket.created_at,
        None,
    )
    conn.execute(
        f"INSERT INTO lottery_tickets ({TICKET_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        (
            numbered.ticket_id,
            numbered.lottery_id,
            numbered.seq,
            numbered.customer_id,
            numbered.entry_id,
            to_epoch(numbered.created_at),
            None,
        ),
    )
    return numbered


def tickets(conn: sqlite3.Connection, lottery_id: str) -> list[Ticket]:
    """Every ticket of the lottery in the order taken."""
    rows = conn.execute(
        f"SELECT {TICKET_COLUMNS} FROM lottery_tickets WHERE lottery_id = ?"  # noqa: S608
        " ORDER BY seq",
        (lottery_id,),
    ).fetchall()
    return [ticket_from_row(r) for r in rows]


def mark_closed(
    conn: sqlite3.Connection, lottery_id: str, now: datetime, hashed: bytes, count: int
) -> None:
    changed = conn.execute(
        "UPDATE point_lotteries SET closed_at = ?, entries_hash = ?, entry_count = ?"
        " WHERE lottery_id = ? AND closed_at IS NULL AND cancelled_at IS NULL",
        (to_epoch(now), hashed, count, lottery_id),
    ).rowcount
    if changed != 1:
        raise KippuError(f"lottery {lottery_id} changed while it closed")


def record_draw(
    conn: sqlite3.Connection, lottery_id: str, winners: Sequence[Winner], now: datetime
) -> None:
    conn.executemany(
        "INSERT INTO lottery_winners (lottery_id, place, ticket_id, position) VALUES (?, ?, ?, ?)",
        [(lottery_id, w.place, w.ticket_id, w.position) for w in winners],
    )
    changed = conn.execute(
        "UPDATE point_lotteries SET drawn_at = ?"
        " WHERE lottery_id = ? AND closed_at IS NOT NULL AND drawn_at IS NULL",
        (to_epoch(now), lottery_id),
    ).rowcount
    if changed != 1:
        raise KippuError(f"lottery {lottery_id} changed while it was drawn")


def mark_refunded(conn: sqlite3.Connection, ticket_id: str, entry_id: str) -> None:
    conn.execute(
        "UPDATE lottery_tickets SET refund_entry_id = ?"
        " WHERE ticket_id = ? AND refund_entry_id IS NULL",
        (entry_id, ticket_id),
    )


def mark_cancelled(conn: sqlite3.Connection, lottery_id: str, now: datetime, actor: str) -> None:
    changed = conn.execute(
        "UPDATE point_lotteries SET cancelled_at = ?, cancelled_by = ?"
        " WHERE lottery_id = ? AND drawn_at IS NULL AND cancelled_at IS NULL",
        (to_epoch(now), actor, lottery_id),
    ).rowcount
    if changed != 1:
        raise KippuError(f"lottery {lottery_id} changed while it was cancelled")


def winner_from_row(row: sqlite3.Row) -> Winner:
    return Winner(row["place"], row["ticket_id"], row["position"])
