"""SQL of member ranks inside the writer's transaction: the rank table's versions and levels,
members' ranks and floors, the changes log, floors granted, the recompute runs, and the spend
that decides a rank. Rows are mapped here too (the reads in rank_queries.py share them)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime

from node.ledger.rows import from_epoch, maybe_epoch, to_epoch
from node.points.rank_model import (
    MemberRank,
    RankChange,
    RankFloor,
    RankLevel,
    RankTable,
    SpendWindow,
    Window,
)

TABLE_COLUMNS = (
    "version_id, effective_from, spend_window, recompute_month, recompute_day, created_at,"
    " created_by"
)
RANK_COLUMNS = (
    "customer_id, rank_name, position, multiplier_pct, since, floor_name, floor_position,"
    " floor_until"
)
RUN_COLUMNS = "period_start, version_id, started_at, cursor, members, changed, finished_at, actor"


# -- rows ------------------------------------------------------------------------------------


def tables_from_rows(
    heads: Iterable[sqlite3.Row], levels: Iterable[sqlite3.Row]
) -> list[RankTable]:
    by_version: dict[str, list[RankLevel]] = {}
    for row in levels:  # ordered by position
        by_version.setdefault(row["version_id"], []).append(
            RankLevel(row["name"], row["min_spend_yen"], row["multiplier_pct"])
        )
    return [
        RankTable(
            version_id=row["version_id"],
            effective_from=from_epoch(row["effective_from"]),
            window=SpendWindow(row["spend_window"]),
            recompute_month=row["recompute_month"],
            recompute_day=row["recompute_day"],
            levels=tuple(by_version.get(row["version_id"], ())),
            created_at=from_epoch(row["created_at"]),
            created_by=row["created_by"],
        )
        for row in heads
    ]


def member_rank_from_row(row: sqlite3.Row) -> MemberRank:
    floor = None
    if row["floor_name"] is not None:
        floor = RankFloor(row["floor_name"], row["floor_position"], from_epoch(row["floor_until"]))
    return MemberRank(
        customer_id=row["customer_id"],
        name=row["rank_name"],
        position=row["position"],
        multiplier_pct=row["multiplier_pct"],
        since=from_epoch(row["since"]),
        floor=floor,
    )


# -- the table -------------------------------------------------------------------------------


def load_tables(conn: sqlite3.Connection) -> list[RankTable]:
    """Every version of the rank table (a handful: one per change head office made)."""
    heads = conn.execute(
        f"SELECT {TABLE_COLUMNS} FROM rank_tables ORDER BY effective_from"  # noqa: S608
    ).fetchall()
    levels = conn.execute(
        "SELECT version_id, position, name, min_spend_yen, multiplier_pct FROM rank_levels"
        " ORDER BY version_id, position"
    ).fetchall()
    return tables_from_rows(heads, levels)


def version_from_taken(conn: sqlite3.Connection, effective_from: datetime) -> bool:
    row = conn.execute(
        "SELECT 1 FROM rank_tables WHERE effective_from = ?", (to_epoch(effective_from),)
    ).fetchone()
    return row is not None


def insert_table(conn: sqlite3.Connection, table: RankTable) -> None:
    conn.execute(
        f"INSERT INTO rank_tables ({TABLE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        (
            table.version_id,
            to_epoch(table.effective_from),
            str(table.window),
            table.recompute_month,
            table.recompute_day,
            to_epoch(table.created_at),
            table.created_by,
        ),
    )
    conn.executemany(
        "INSERT INTO rank_levels (version_id, position, name, min_spend_yen, multiplier_pct)"
        " VALUES (?, ?, ?, ?, ?)",
        [
            (table.version_id, position, level.name, level.min_spend_yen, level.multiplier_pct)
            for position, level in enumerate(table.levels)
        ],
    )


# -- members' ranks --------------------------------------------------------------------------


def load_member_rank(conn: sqlite3.Connection, customer_id: str) -> MemberRank | None:
    row = conn.execute(
        f"SELECT {RANK_COLUMNS} FROM member_ranks WHERE customer_id = ?",  # noqa: S608
        (customer_id,),
    ).fetchone()
    return None if row is None else member_rank_from_row(row)


def member_ranks_of(conn: sqlite3.Connection, customer_ids: Sequence[str]) -> dict[str, MemberRank]:
    if not customer_ids:
        return {}
    marks = ", ".join("?" for _ in customer_ids)
    rows = conn.execute(
        f"SELECT {RANK_COLUMNS} FROM member_ranks WHERE customer_id IN ({marks})",  # noqa: S608
        list(customer_ids),
    ).fetchall()
    return {row["customer_id"]: member_rank_from_row(row) for row in rows}


def save_member_rank(conn: sqlite3.Connection, rank: MemberRank) -> None:
    """Insert or replace the member's one row: the rank now, its multiplier, the floor."""
    floor = rank.floor
    conn.execute(
        f"INSERT INTO member_ranks ({RANK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"  # noqa: S608
        " ON CONFLICT (customer_id) DO UPDATE SET rank_name = excluded.rank_name,"
        " position = excluded.position, multiplier_pct = excluded.multiplier_pct,"
        " since = excluded.since, floor_name = excluded.floor_name,"
        " floor_position = excluded.floor_position, floor_until = excluded.floor_until",
        (
            rank.customer_id,
            rank.name,
            rank.position,
            rank.multiplier_pct,
            to_epoch(rank.since),
            None if floor is None else floor.name,
            None if floor is None else floor.position,
            None if floor is None else to_epoch(floor.until),
        ),
    )


def insert_change(conn: sqlite3.Connection, change: RankChange) -> None:
    conn.execute(
        "INSERT INTO rank_changes (change_id, customer_id, from_name, to_name, reason,"
        " created_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            change.change_id,
            change.customer_id,
            change.from_name,
            change.to_name,
            str(change.reason),
            to_epoch(change.created_at),
            change.actor,
        ),
    )


def insert_floor_grant(
    conn: sqlite3.Connection,
    floor_id: str,
    customer_id: str,
    floor: RankFloor,
    reason: str,
    now: datetime,
    actor: str,
) -> None:
    conn.execute(
        "INSERT INTO rank_floors (floor_id, customer_id, rank_name, until, reason, created_at,"
        " actor) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (floor_id, customer_id, floor.name, to_epoch(floor.until), reason, to_epoch(now), actor),
    )


def floors_ended(conn: sqlite3.Connection, now: datetime, limit: int) -> list[str]:
    """Members whose floor has ended but is still in their row (the sweep clears it)."""
    rows = conn.execute(
        "SELECT customer_id FROM member_ranks WHERE floor_until IS NOT NULL AND floor_until <= ?"
        " ORDER BY customer_id LIMIT ?",
        (to_epoch(now), limit),
    ).fetchall()
    return [row["customer_id"] for row in rows]


# -- spend -----------------------------------------------------------------------------------


def spend(conn: sqlite3.Connection, customer_id: str, window: Window) -> int:
    """The member's purchases' yen made in `window`, leaving out those returned."""
    row = conn.execute(
        "SELECT COALESCE(SUM(purchase_yen), 0) AS spend FROM point_purchases"
        " WHERE customer_id = ? AND created_at >= ? AND created_at < ? AND returned_at IS NULL",
        (customer_id, to_epoch(window.start), to_epoch(window.end)),
    ).fetchone()
    return int(row["spend"])


def spends(conn: sqlite3.Connection, customer_ids: Sequence[str], window: Window) -> dict[str, int]:
    """The same for a batch of members (those with no purchase in it are left out: 0)."""
    if not customer_ids:
        return {}
    marks = ", ".join("?" for _ in customer_ids)
    rows = conn.execute(
        "SELECT customer_id, SUM(purchase_yen) AS spend FROM point_purchases"  # noqa: S608
        f" WHERE customer_id IN ({marks}) AND created_at >= ? AND created_at < ?"
        " AND returned_at IS NULL GROUP BY customer_id",
        [*customer_ids, to_epoch(window.start), to_epoch(window.end)],
    ).fetchall()
    return {row["customer_id"]: int(row["spend"]) for row in rows}


# -- recompute runs --------------------------------------------------------------------------


def load_run(conn: sqlite3.Connection, period_start: datetime) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        f"SELECT {RUN_COLUMNS} FROM rank_runs WHERE period_start = ?",  # noqa: S608
        (to_epoch(period_start),),
    ).fetchone()
    return row


def insert_run(
    conn: sqlite3.Connection, period_start: datetime, version_id: str, now: datetime, actor: str
) -> None:
    conn.execute(
        "INSERT INTO rank_runs (period_start, version_id, started_at, actor) VALUES (?, ?, ?, ?)",
        (to_epoch(period_start), version_id, to_epoch(now), actor),
    )


def advance_run(
    conn: sqlite3.Connection,
    period_start: datetime,
    cursor: str | None,
    members: int,
    changed: int,
    finished_at: datetime | None,
) -> None:
    conn.execute(
        "UPDATE rank_runs SET cursor = ?, members = members + ?, changed = changed + ?,"
        " finished_at = ? WHERE period_start = ?",
        (cursor, members, changed, maybe_epoch(finished_at), to_epoch(period_start)),
    )


def members_after(conn: sqlite3.Connection, cursor: str | None, limit: int) -> list[str]:
    """The next `limit` members in customer id order after `cursor` (all from the first)."""
    rows = conn.execute(
        "SELECT customer_id FROM members WHERE customer_id > ? ORDER BY customer_id LIMIT ?",
        (cursor or "", limit),
    ).fetchall()
    return [row["customer_id"] for row in rows]
