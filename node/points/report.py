"""The points report for a period (ポイント残高・増減の報告): what members held at its start, what
each kind of entry changed, what they held at its end, in points and in yen at the point's
value, and the trailing twelve months' non-use rate. Pure: the sums come in.

Why: under 企業会計基準第29号 (収益認識) points a member earns with a purchase are a separate
performance obligation: part of the price is a contract liability (契約負債) until the points are
used or lapse, measured net of the points expected never to be used. The node does not decide
that estimate; it gives the figures an accountant needs for it: the outstanding points, their yen
value, and how many points of the last twelve months lapsed rather than being used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from node.points.model import EntryKind

# The lines of the roll-forward, in the order a report shows them: each kind of entry, as what it
# did to the members' points (credit positive).
LINES: tuple[EntryKind, ...] = (
    EntryKind.EARN,
    EntryKind.RETURN,
    EntryKind.USE,
    EntryKind.USE_RETURN,
    EntryKind.ADJUST,
    EntryKind.EXCHANGE,
    EntryKind.EXCHANGE_CANCEL,
    EntryKind.LOTTERY,
    EntryKind.LOTTERY_REFUND,
    EntryKind.EXPIRE,
)
SPENT = (EntryKind.USE, EntryKind.EXCHANGE, EntryKind.LOTTERY)
GIVEN_BACK = (EntryKind.USE_RETURN, EntryKind.EXCHANGE_CANCEL, EntryKind.LOTTERY_REFUND)


@dataclass(frozen=True)
class PointsReport:
    first_day: date
    last_day: date
    opening: int
    changes: tuple[tuple[EntryKind, int], ...]  # each kind: its net effect on members' points
    closing: int
    point_value_yen: int
    lapsed_12m: int  # points that expired in the twelve months to the period's end
    spent_12m: int  # points used, exchanged or spent on lotteries, net of those given back

    @property
    def balanced(self) -> bool:
        """The roll-forward holds: opening plus every change is the closing."""
        return self.opening + sum(points for _, points in self.changes) == self.closing

    @property
    def closing_yen(self) -> int:
        return self.closing * self.point_value_yen

    @property
    def non_use_rate(self) -> float | None:
        """Of the points that left members in the last twelve months, the share that lapsed;
        None before any did."""
        left = self.lapsed_12m + self.spent_12m
        return None if left <= 0 else self.lapsed_12m / left


def build(
    first_day: date,
    last_day: date,
    opening: int,
    by_kind: Mapping[str, int],
    closing: int,
    point_value_yen: int,
    year_by_kind: Mapping[str, int],
) -> PointsReport:
    """The report from the sums: `by_kind` and `year_by_kind` map an entry kind to its net
    credit to members in the period and in the trailing twelve months."""
    changes = tuple((kind, int(by_kind.get(str(kind), 0))) for kind in LINES)
    lapsed = -int(year_by_kind.get(str(EntryKind.EXPIRE), 0))
    spent = -sum(int(year_by_kind.get(str(k), 0)) for k in SPENT) - sum(
        int(year_by_kind.get(str(k), 0)) for k in GIVEN_BACK
    )
    return PointsReport(
        first_day, last_day, opening, changes, closing, point_value_yen, lapsed, spent
    )
