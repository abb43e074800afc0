"""What head office, the wallet and the console do with member ranks, shared by the JSON API,
the CLI (through the API) and the pages. Each takes `Node` and returns the JSON answer every
surface shows (the API's body; pages read the same keys, or `progress` for the typed value)."""

from __future__ import annotations

import logging
import re
import sqlite3
from datetime import date, datetime
from typing import Any

from node.clock import iso, ordered_id
from node.errors import InvalidPoints, InvalidRankTable, RankFloorNotLower
from node.ledger.calendar import start_of_local_day
from node.moments import parse_moment, require_day_in_range
from node.points import actions, operations, rank_operations, rank_queries
from node.points.core import require_reason
from node.points.rank_core import FloorRequest, grant_floor, new_table, table_in_force
from node.points.rank_model import RankChange, RankTable
from node.points.rank_operations import RecomputeStep
from node.points.rank_queries import RankProgress
from node.runtime import Node

log = logging.getLogger(__name__)

_RECOMPUTE = re.compile(r"^(0[1-9]|1[0-2])-([0-2][0-9])$")
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
MAX_BATCHES_PER_CALL = 10_000  # 5 million members: far above one node's


def table_json(table: RankTable) -> dict[str, Any]:
    return {
        "version_id": table.version_id,
        "effective_from": iso(table.effective_from),
        "window": str(table.window),
        "recompute": f"{table.recompute_month:02d}-{table.recompute_day:02d}",
        "levels": [
            {
                "name": level.name,
                "min_spend_yen": level.min_spend_yen,
                "multiplier_pct": level.multiplier_pct,
            }
            for level in table.levels
        ],
        "created_at": iso(table.created_at),
        "created_by": table.created_by,
    }


def change_json(change: RankChange) -> dict[str, Any]:
    return {
        "from": change.from_name,
        "to": change.to_name,
        "reason": str(change.reason),
        "at": iso(change.created_at),
        "actor": change.actor,
    }


def progress_json(progress: RankProgress) -> dict[str, Any]:
    floor = progress.floor
    return {
        "rank": progress.rank,
        "multiplier_pct": progress.multiplier_pct,
        "since": iso(progress.since),
        "window": str(progress.window),
        "window_starts_at": iso(progress.window_starts_at),
        "window_ends_at": iso(progress.window_ends_at),
        "window_spend_yen": progress.window_spend_yen,
        "next_rank": progress.next_rank,
        "yen_to_next": progress.yen_to_next,
        "floor": None
        if floor is None
        else {"rank": floor.rank, "until": iso(floor.until), "reason": floor.reason},
        "last_recompute_at": iso(progress.last_recompute_at),
        "next_recompute_at": iso(progress.next_recompute_at),
    }


# -- the table -------------------------------------------------------------------------------


def _recompute_day(value: object) -> tuple[int, int]:
    found = _RECOMPUTE.match(value) if isinstance(value, str) else None
    if found is None:
        raise InvalidRankTable("`recompute` is MM-DD, e.g. 01-01.", field="recompute")
    return int(found.group(1)), int(found.group(2))


def _effective_from(node: Node, value: object, now: datetime) -> datetime:
    """Now when not given; a day (YYYY-MM-DD: its local midnight) or an ISO time with offset."""
    if value is None:
        return now.replace(microsecond=0)
    problem = InvalidRankTable(
        "`effective_from` is a day (YYYY-MM-DD) or an ISO 8601 time with its offset.",
        field="effective_from",
    )
    if not isinstance(value, str):
        raise problem
    text = value.strip()
    if not _DAY.match(text):
        return parse_moment(text, "effective_from", error=InvalidRankTable)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise problem from None
    in_range = require_day_in_range(day, "effective_from", InvalidRankTable)
    return start_of_local_day(in_range, node.config.zone)


def checked_table(
    node: Node,
    window: object,
    recompute: object,
    levels: object,
    effective_from: object,
    actor: str,
) -> RankTable:
    """The version `set_table` would record, checked by the same rules: the console's review
    shows it, so the review never offers what the setting refuses."""
    now = node.clock.now()
    month, day = _recompute_day(recompute)
    return new_table(
        ordered_id(now, node.rng, "rt"),
        _effective_from(node, effective_from, now),
        window,
        month,
        day,
        levels,
        now,
        actor,
    )


async def set_table(
    node: Node,
    window: object,
    recompute: object,
    levels: object,
    effective_from: object,
    actor: str,
) -> dict[str, Any]:
    """`kippu rank set`: a new version of the rank table from `effective_from` (default now)."""
    table = checked_table(node, window, recompute, levels, effective_from, actor)
    saved = await node.require_writer().submit(lambda conn: rank_operations.set_table(conn, table))
    return table_json(saved)


async def show_table(node: Node) -> dict[str, Any]:
    """`kippu rank show`: the table in force now, and versions set to start later."""
    now = node.clock.now()
    versions = await rank_queries.rank_tables(node.require_reader())
    current = table_in_force(versions, now)
    return {
        "in_force": None if current is None else table_json(current),
        "scheduled": [table_json(t) for t in versions if t.effective_from > now],
    }


# -- a member's rank -------------------------------------------------------------------------


async def progress(node: Node, customer_id: str) -> RankProgress | None:
    """The typed progress the wallet and the console render."""
    return await rank_queries.rank_progress(
        node.require_reader(), customer_id, node.clock.now(), node.config.zone
    )


async def member_rank(node: Node, member_no: str) -> dict[str, Any]:
    """`GET /api/v1/members/{member_no}/rank`: the rank, its progress, floor and changes."""
    db = node.require_reader()
    member = await actions.member_by_number(node, member_no)
    shown = await progress(node, member.customer_id)
    changes = await rank_queries.changes(db, member.customer_id)
    return {
        "member_no": member.member_no,
        "ranked": shown is not None,
        **(progress_json(shown) if shown is not None else _unranked()),
        "changes": [change_json(c) for c in changes],
    }


def _unranked() -> dict[str, Any]:
    return {
        "rank": None,
        "multiplier_pct": 100,
        "since": None,
        "window": None,
        "window_starts_at": None,
        "window_ends_at": None,
        "window_spend_yen": None,
        "next_rank": None,
        "yen_to_next": None,
        "floor": None,
        "last_recompute_at": None,
        "next_recompute_at": None,
    }


def _until_day(value: object) -> date:
    if isinstance(value, str) and _DAY.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidPoints("`floor_until` is a day, YYYY-MM-DD.", field="floor_until")


def _rank_name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidPoints("`rank` names a rank of the table.", field="rank")
    return value.strip()


def floor_request(rank: object, until: object, reason: object) -> FloorRequest:
    """The floor as asked, each part checked (InvalidPoints naming the field)."""
    return FloorRequest(_rank_name(rank), _until_day(until), require_reason(reason))


async def check_floor(
    node: Node, member_no: str, rank: object, until: object, reason: object
) -> FloorRequest:
    """What `set_floor` would refuse, checked now against the table in force and the rank the
    member holds (the console's review step); `set_floor` checks again in its writer unit."""
    request = floor_request(rank, until, reason)
    member = await actions.member_by_number(node, member_no)
    db = node.require_reader()
    now = node.clock.now()
    table = table_in_force(await rank_queries.rank_tables(db), now)
    if table is None:
        raise RankFloorNotLower("there is no rank table yet; set one first.", field="rank")
    held = await rank_queries.member_rank(db, member.customer_id)
    grant_floor(held, table, member.customer_id, request, now, node.config.zone)
    return request


async def set_floor(
    node: Node, member_no: str, rank: object, until: object, reason: object, actor: str
) -> dict[str, Any]:
    """`kippu rank floor`: the member holds at least `rank` through `until` (a manual rank)."""
    request = floor_request(rank, until, reason)
    now = node.clock.now()

    def work(conn: sqlite3.Connection) -> None:
        member = operations.require_member(conn, member_no.strip())
        rank_operations.set_floor(conn, member, request, actor, now, node.config.zone, node.rng)

    await node.require_writer().submit(work)
    return await member_rank(node, member_no)


# -- the recompute ---------------------------------------------------------------------------


async def recompute(node: Node, actor: str) -> dict[str, Any]:
    """`kippu rank recompute`: run what is due now (the recompute of the latest recompute moment
    if it has not run, and the floors that have ended), one writer unit per batch."""
    zone = node.config.zone
    total = {"members": 0, "changed": 0, "floors_ended": 0}
    period: RecomputeStep | None = None
    for _ in range(MAX_BATCHES_PER_CALL):
        now = node.clock.now()

        def batch(conn: sqlite3.Connection, now: datetime = now) -> RecomputeStep:
            return rank_operations.recompute_step(conn, actor, now, zone, node.rng)

        step = await node.require_writer().submit(batch)
        period = step if step.period_start is not None else period
        total["members"] += step.members
        total["changed"] += step.changed
        total["floors_ended"] += step.floors_ended
        if step.finished:
            break
    if total["changed"]:
        log.info(
            "rank recompute: %d members placed, %d ranks changed",
            total["members"],
            total["changed"],
        )
    return {
        "period_start": None if period is None else iso(period.period_start),
        "version_id": None if period is None else period.version_id,
        **total,
    }
