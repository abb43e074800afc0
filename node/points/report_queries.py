"""The points report's reads of the points journal: what members held before a moment, and the
net effect on members of each kind of entry between two moments. Each sums every posting to a
member's account in its range: a report reads the journal whole by nature (tests/test_reads.py)."""

from __future__ import annotations

from datetime import datetime

from node.ledger.rows import to_epoch
from node.points.model import MEMBER_PREFIX
from node.reads import Reader

_MEMBERS = f"p.account LIKE '{MEMBER_PREFIX}%'"


async def held_before(db: Reader, moment: datetime) -> int:
    """Points members held just before `moment` (lots past their expiry but not swept count
    until the sweep moves them: the journal's view, which the roll-forward needs)."""
    rows = list(
        await db.execute_fetchall(
            "SELECT coalesce(-sum(p.points), 0) AS held FROM point_postings p"  # noqa: S608
            " JOIN point_entries e ON e.entry_id = p.entry_id"
            f" WHERE {_MEMBERS} AND e.created_at < ?",
            (to_epoch(moment),),
        )
    )
    return int(rows[0]["held"])


async def credited_by_kind(db: Reader, start: datetime, end: datetime) -> dict[str, int]:
    """Each entry kind's net credit to members' points in [start, end)."""
    rows = await db.execute_fetchall(
        "SELECT e.kind AS kind, -sum(p.points) AS credited FROM point_entries e"  # noqa: S608
        " JOIN point_postings p ON p.entry_id = e.entry_id"
        f" WHERE {_MEMBERS} AND e.created_at >= ? AND e.created_at < ? GROUP BY e.kind",
        (to_epoch(start), to_epoch(end)),
    )
    return {str(r["kind"]): int(r["credited"]) for r in rows}
