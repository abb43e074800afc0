"""Writer units for member ranks: each a plain function of the writer's connection, so a rank
and its logged change land in the same transaction as what caused them (the purchase, the
floor, the recompute's batch), with its `rank.changed` webhook queued in the same transaction.
The rule itself is node/points/rank_core.py.

`operations.earn` calls `end_floor_if_due` first (a purchase never earns at an ended floor's
multiplier) and `after_spend_change` last, inside the earn's transaction: the upgrade is durable
with the purchase that earned it, and counts from the next purchase.
A return calls nothing: it can only lower spend, and a rank never goes down until the
recompute (rank_core's rule).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from node.clock import Randomness, ordered_id
from node.errors import InvalidRankTable, RankFloorNotLower
from node.points import events, rank_tables
from node.points.model import Member
from node.points.rank_core import (
    FloorRequest,
    grant_floor,
    last_recompute,
    place,
    placement_windows,
    table_in_force,
    upgrade,
    upgrade_window,
)
from node.points.rank_model import ChangeReason, MemberRank, RankChange, RankTable

SYSTEM = "system"
RECOMPUTE_BATCH = 500


def table_at(conn: sqlite3.Connection, at: datetime) -> RankTable | None:
    return table_in_force(rank_tables.load_tables(conn), at)


def set_table(conn: sqlite3.Connection, table: RankTable) -> RankTable:
    """Append a version of the rank table (checked by rank_core.new_table)."""
    if rank_tables.version_from_taken(conn, table.effective_from):
        raise InvalidRankTable(
            "a version of the rank table starts at that moment already; choose another.",
            field="effective_from",
        )
    rank_tables.insert_table(conn, table)
    return table


def _log_change(conn: sqlite3.Connection, change: RankChange, rng: Randomness) -> RankChange:
    """The change in `rank_changes`, and the `rank.changed` webhook queued with it."""
    rank_tables.insert_change(conn, change)
    events.rank_changed(
        conn,
        change.customer_id,
        change.from_name,
        change.to_name,
        str(change.reason),
        change.created_at,
        rng,
    )
    return change


def _record(
    conn: sqlite3.Connection,
    held: MemberRank | None,
    new: MemberRank,
    table: RankTable,
    reason: ChangeReason,
    actor: str,
    now: datetime,
    rng: Randomness,
) -> RankChange | None:
    """Save the member's row; log the change when the rank's name moved."""
    if held is None and new.position == 0 and new.floor is None:
        return None  # the lowest rank without a row, as before
    if new != held:
        rank_tables.save_member_rank(conn, new)
    before = held.name if held is not None else table.levels[0].name
    if before == new.name:
        return None
    change = RankChange(
        ordered_id(now, rng, "rc"), new.customer_id, before, new.name, reason, now, actor
    )
    return _log_change(conn, change, rng)


def _place_one(
    conn: sqlite3.Connection,
    held: MemberRank | None,
    table: RankTable,
    customer_id: str,
    spends: list[int],
    actor: str,
    now: datetime,
    rng: Randomness,
) -> RankChange | None:
    floor_ended = held is not None and held.floor is not None and held.floor_at(now) is None
    reason = ChangeReason.FLOOR_END if floor_ended else ChangeReason.RECOMPUTE
    new = place(held, table, customer_id, spends, now)
    return _record(conn, held, new, table, reason, actor, now, rng)


def _placement_spends(
    conn: sqlite3.Connection, table: RankTable, customer_id: str, now: datetime, zone: ZoneInfo
) -> list[int]:
    return [rank_tables.spend(conn, customer_id, w) for w in placement_windows(table, now, zone)]


def _end_floor_if_due(
    conn: sqlite3.Connection,
    table: RankTable,
    customer_id: str,
    now: datetime,
    zone: ZoneInfo,
    rng: Randomness,
) -> tuple[MemberRank | None, RankChange | None]:
    """The member's row, with a floor that has ended taken off and the member placed."""
    held = rank_tables.load_member_rank(conn, customer_id)
    if held is None or held.floor is None or held.floor_at(now) is not None:
        return held, None
    spends = _placement_spends(conn, table, customer_id, now, zone)
    change = _place_one(conn, held, table, customer_id, spends, SYSTEM, now, rng)
    return rank_tables.load_member_rank(conn, customer_id), change


def end_floor_if_due(
    conn: sqlite3.Connection, customer_id: str, now: datetime, zone: ZoneInfo, rng: Randomness
) -> RankChange | None:
    """A manual rank that has ended, settled before a purchase is earned on: the member placed
    by what they spent, so the purchase earns at the rank held now, never at an ended floor's."""
    held = rank_tables.load_member_rank(conn, customer_id)
    if held is None or held.floor is None or held.floor_at(now) is not None:
        return None  # the common case, without reading the table
    table = table_at(conn, now)
    if table is None:
        return None
    return _end_floor_if_due(conn, table, customer_id, now, zone, rng)[1]


def after_spend_change(
    conn: sqlite3.Connection, customer_id: str, now: datetime, zone: ZoneInfo, rng: Randomness
) -> tuple[RankChange, ...]:
    """Upgrade at once: when the member's spend in the current window reaches a level above the
    rank held, raise it now (a floor that has ended is settled first). Never lowers a rank."""
    table = table_at(conn, now)
    if table is None:
        return ()
    held, ended = _end_floor_if_due(conn, table, customer_id, now, zone, rng)
    spend = rank_tables.spend(conn, customer_id, upgrade_window(table.window, now, zone))
    new = upgrade(held, table, customer_id, spend, now)
    raised = None
    if new is not None:
        raised = _record(conn, held, new, table, ChangeReason.UPGRADE, SYSTEM, now, rng)
    return tuple(c for c in (ended, raised) if c is not None)


def set_floor(
    conn: sqlite3.Connection,
    member: Member,
    request: FloorRequest,
    actor: str,
    now: datetime,
    zone: ZoneInfo,
    rng: Randomness,
) -> tuple[MemberRank, RankChange | None]:
    """A manual rank: the floor in the member's row, the grant with its reason, and a logged
    change when the member goes up to it."""
    table = table_at(conn, now)
    if table is None:
        raise RankFloorNotLower("there is no rank table yet; set one first.", field="rank")
    held, _ = _end_floor_if_due(conn, table, member.customer_id, now, zone, rng)
    new = grant_floor(held, table, member.customer_id, request, now, zone)
    if new.floor is None:  # grant_floor always sets it; keeps mypy and readers sure
        raise RankFloorNotLower(field="rank")
    rank_tables.save_member_rank(conn, new)
    rank_tables.insert_floor_grant(
        conn, ordered_id(now, rng, "rf"), member.customer_id, new.floor, request.reason, now, actor
    )
    before = held.name if held is not None else table.levels[0].name
    change = None
    if before != new.name:
        change = RankChange(
            ordered_id(now, rng, "rc"),
            member.customer_id,
            before,
            new.name,
            ChangeReason.MANUAL,
            now,
            actor,
        )
        _log_change(conn, change, rng)
    return new, change


# -- the recompute ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RecomputeStep:
    """What one batch did. `period_start` is the recompute moment being run (None when no
    recompute is due: no table, or none since the table took effect, or the run finished)."""

    period_start: datetime | None
    version_id: str | None
    members: int
    changed: int
    floors_ended: int
    finished: bool  # nothing more to do now
    changes: tuple[RankChange, ...]


def _recompute_batch(
    conn: sqlite3.Connection,
    table: RankTable,
    period_start: datetime,
    cursor: str | None,
    actor: str,
    now: datetime,
    zone: ZoneInfo,
    rng: Randomness,
    batch: int,
) -> tuple[list[str], list[RankChange]]:
    ids = rank_tables.members_after(conn, cursor, batch)
    windows = placement_windows(table, now, zone)
    spend_maps = [rank_tables.spends(conn, ids, window) for window in windows]
    held_by_id = rank_tables.member_ranks_of(conn, ids)
    changes = []
    for customer_id in ids:
        spends = [found.get(customer_id, 0) for found in spend_maps]
        held = held_by_id.get(customer_id)
        change = _place_one(conn, held, table, customer_id, spends, actor, now, rng)
        if change is not None:
            changes.append(change)
    return ids, changes


def _sweep_floors(
    conn: sqlite3.Connection,
    table: RankTable,
    now: datetime,
    zone: ZoneInfo,
    rng: Randomness,
    batch: int,
) -> tuple[int, list[RankChange]]:
    ended = rank_tables.floors_ended(conn, now, batch)
    changes = []
    for customer_id in ended:
        _, change = _end_floor_if_due(conn, table, customer_id, now, zone, rng)
        if change is not None:
            changes.append(change)
    return len(ended), changes


def recompute_step(
    conn: sqlite3.Connection,
    actor: str,
    now: datetime,
    zone: ZoneInfo,
    rng: Randomness,
    batch: int = RECOMPUTE_BATCH,
) -> RecomputeStep:
    """One batch of what is due: the recompute of the latest recompute moment if it has not run
    (or stopped half way: it goes on from its cursor), else the floors that have ended. Each
    moment is recomputed once (`rank_runs`), so the periodic job and `kippu rank recompute`
    may both call this, any number of times."""
    table = table_at(conn, now)
    if table is None:
        return RecomputeStep(None, None, 0, 0, 0, True, ())
    period_start = last_recompute(table, now, zone)
    run = rank_tables.load_run(conn, period_start)
    if period_start < table.effective_from or (run is not None and run["finished_at"]):
        ended, changes = _sweep_floors(conn, table, now, zone, rng, batch)
        return RecomputeStep(None, None, 0, len(changes), ended, ended < batch, tuple(changes))
    if run is None:
        rank_tables.insert_run(conn, period_start, table.version_id, now, actor)
        cursor = None
    else:
        cursor = run["cursor"]
    ids, changes = _recompute_batch(conn, table, period_start, cursor, actor, now, zone, rng, batch)
    finished = len(ids) < batch
    rank_tables.advance_run(
        conn,
        period_start,
        ids[-1] if ids else cursor,
        len(ids),
        len(changes),
        now if finished else None,
    )
    return RecomputeStep(
        period_start,
        table.version_id,
        len(ids),
        len(changes),
        0,
        False,
        tuple(changes),
    )
