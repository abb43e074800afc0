"""SQL of lottery campaigns (0040), shared by the writer's units and the reads: set-ups,
entries, rounds and wins, rows mapped to their values."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from node.campaigns.gate_model import DrawRound, Lottery, SeedMode, Win
from node.ledger.rows import from_epoch, to_epoch

LOTTERY_COLUMNS = (
    "campaign_id, seed_mode, commitment, beacon_name, beacon_round, entries_until, claim_days,"
    " entries_closed_at, entry_count, entries_hash, set_up_at, actor"
)
ROUND_COLUMNS = (
    "campaign_id, round_no, entries_hash, entry_count, seed, beacon_round, asked, claim_until,"
    " drawn_at"
)
WIN_SELECT = (
    "SELECT w.entry_id, w.campaign_id, e.customer_id, w.round_no, w.place, r.claim_until,"
    " w.grant_id FROM campaign_lottery_wins w"
    " JOIN campaign_lottery_entries e ON e.entry_id = w.entry_id"
    " JOIN campaign_lottery_rounds r ON r.campaign_id = w.campaign_id AND r.round_no = w.round_no"
)


def _bytes(text: str | None) -> bytes | None:
    return None if text is None else bytes.fromhex(text)


def lottery_from_row(row: sqlite3.Row) -> Lottery:
    closed = row["entries_closed_at"]
    return Lottery(
        campaign_id=row["campaign_id"],
        seed_mode=SeedMode(row["seed_mode"]),
        commitment=_bytes(row["commitment"]),
        beacon_name=row["beacon_name"],
        beacon_round=row["beacon_round"],
        entries_until=from_epoch(row["entries_until"]),
        claim_days=row["claim_days"],
        entries_closed_at=None if closed is None else from_epoch(closed),
        entry_count=row["entry_count"],
        entries_hash=_bytes(row["entries_hash"]),
        set_up_at=from_epoch(row["set_up_at"]),
        actor=row["actor"],
    )


def round_from_row(row: sqlite3.Row) -> DrawRound:
    return DrawRound(
        campaign_id=row["campaign_id"],
        round_no=row["round_no"],
        entries_hash=bytes.fromhex(row["entries_hash"]),
        entry_count=row["entry_count"],
        seed=bytes.fromhex(row["seed"]),
        beacon_round=row["beacon_round"],
        asked=row["asked"],
        claim_until=from_epoch(row["claim_until"]),
        drawn_at=from_epoch(row["drawn_at"]),
    )


def win_from_row(row: sqlite3.Row) -> Win:
    return Win(
        entry_id=row["entry_id"],
        campaign_id=row["campaign_id"],
        customer_id=row["customer_id"],
        round_no=row["round_no"],
        place=row["place"],
        claim_until=from_epoch(row["claim_until"]),
        grant_id=row["grant_id"],
    )


def load_lottery(conn: sqlite3.Connection, campaign_id: str) -> Lottery | None:
    row = conn.execute(
        f"SELECT {LOTTERY_COLUMNS} FROM campaign_lotteries WHERE campaign_id = ?",  # noqa: S608
        (campaign_id,),
    ).fetchone()
    return None if row is None else lottery_from_row(row)


def insert_lottery(conn: sqlite3.Connection, lottery: Lottery) -> bool:
    """False (nothing written) when the campaign's lottery was set up already."""
    cursor = conn.execute(
        "INSERT INTO campaign_lotteries (campaign_id, seed_mode, commitment, beacon_name,"
        " beacon_round, entries_until, claim_days, set_up_at, actor)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (
            lottery.campaign_id,
            lottery.seed_mode.value,
            None if lottery.commitment is None else lottery.commitment.hex(),
            lottery.beacon_name,
            lottery.beacon_round,
            to_epoch(lottery.entries_until),
            lottery.claim_days,
            to_epoch(lottery.set_up_at),
            lottery.actor,
        ),
    )
    return cursor.rowcount == 1


def insert_entry(
    conn: sqlite3.Connection, entry_id: str, campaign_id: str, customer_id: str, now: datetime
) -> bool:
    """False (nothing written) when the person has applied already."""
    cursor = conn.execute(
        "INSERT INTO campaign_lottery_entries (entry_id, campaign_id, customer_id, applied_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (entry_id, campaign_id, customer_id, to_epoch(now)),
    )
    return cursor.rowcount == 1


def entry_ids(conn: sqlite3.Connection, campaign_id: str) -> list[str]:
    rows = conn.execute(
        "SELECT entry_id FROM campaign_lottery_entries WHERE campaign_id = ? ORDER BY entry_id",
        (campaign_id,),
    ).fetchall()
    return [r["entry_id"] for r in rows]


def close_entries(
    conn: sqlite3.Connection, campaign_id: str, count: int, hashed: bytes, now: datetime
) -> None:
    conn.execute(
        "UPDATE campaign_lotteries SET entries_closed_at = ?, entry_count = ?, entries_hash = ?"
        " WHERE campaign_id = ? AND entries_closed_at IS NULL",
        (to_epoch(now), count, hashed.hex(), campaign_id),
    )


def rounds_of(conn: sqlite3.Connection, campaign_id: str) -> list[DrawRound]:
    rows = conn.execute(
        f"SELECT {ROUND_COLUMNS} FROM campaign_lottery_rounds"  # noqa: S608
        " WHERE campaign_id = ? ORDER BY round_no",
        (campaign_id,),
    ).fetchall()
    return [round_from_row(r) for r in rows]


def winning_entries(conn: sqlite3.Connection, campaign_id: str) -> list[str]:
    rows = conn.execute(
        "SELECT entry_id FROM campaign_lottery_wins WHERE campaign_id = ? ORDER BY round_no, place",
        (campaign_id,),
    ).fetchall()
    return [r["entry_id"] for r in rows]


def insert_round(
    conn: sqlite3.Connection, drawn: DrawRound, winners: Sequence[str], actor: str
) -> None:
    conn.execute(
        f"INSERT INTO campaign_lottery_rounds ({ROUND_COLUMNS}, actor)"  # noqa: S608
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            drawn.campaign_id,
            drawn.round_no,
            drawn.entries_hash.hex(),
            drawn.entry_count,
            drawn.seed.hex(),
            drawn.beacon_round,
            drawn.asked,
            to_epoch(drawn.claim_until),
            to_epoch(drawn.drawn_at),
            actor,
        ),
    )
    conn.executemany(
        "INSERT INTO campaign_lottery_wins (entry_id, campaign_id, round_no, place)"
        " VALUES (?, ?, ?, ?)",
        [
            (entry_id, drawn.campaign_id, drawn.round_no, place)
            for place, entry_id in enumerate(winners, start=1)
        ],
    )


def win_of(conn: sqlite3.Connection, campaign_id: str, customer_id: str) -> Win | None:
    row = conn.execute(
        f"{WIN_SELECT} WHERE w.campaign_id = ? AND e.customer_id = ?",
        (campaign_id, customer_id),
    ).fetchone()
    return None if row is None else win_from_row(row)


def mark_claimed(conn: sqlite3.Connection, entry_id: str, grant_id: str, now: datetime) -> None:
    conn.execute(
        "UPDATE campaign_lottery_wins SET grant_id = ?, claimed_at = ?"
        " WHERE entry_id = ? AND grant_id IS NULL",
        (grant_id, to_epoch(now), entry_id),
    )
