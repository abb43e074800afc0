"""Member ranks (会員ランク) as frozen values: the rank table's versions and levels, a member's
rank with its manual floor, and the recorded changes. The rule that places members is
node/points/rank_core.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

MAX_LEVELS = 21  # positions 0..20 (the schema's bound)
MAX_LEVEL_NAME_CHARS = 40
BASE_MULTIPLIER_PCT = 100  # the lowest rank earns at the program's own rate
MIN_MULTIPLIER_PCT = 100
MAX_MULTIPLIER_PCT = 1000
MAX_RECOMPUTE_DAY = 28  # every month has it


class SpendWindow(StrEnum):
    CALENDAR_YEAR = "calendar_year"  # 1 Jan to 31 Dec in the node's zone
    ROLLING_12_MONTHS = "rolling_12_months"  # the 12 months up to now


class ChangeReason(StrEnum):
    UPGRADE = "upgrade"  # spend reached a higher level: at once
    RECOMPUTE = "recompute"  # the yearly recompute placed the member
    MANUAL = "manual"  # head office set a floor above the member's rank
    FLOOR_END = "floor_end"  # a floor ended and the member went to the rank they earned


@dataclass(frozen=True)
class RankLevel:
    """One rank: reached by spending `min_spend_yen` in the window; earns `multiplier_pct`."""

    name: str
    min_spend_yen: int
    multiplier_pct: int


@dataclass(frozen=True)
class RankTable:
    """The rank table from `effective_from` on (append-only; the version in force at a time is
    the latest not after it). `levels` run from the lowest (position 0, 0 yen, 100 %) up."""

    version_id: str
    effective_from: datetime
    window: SpendWindow
    recompute_month: int
    recompute_day: int
    levels: tuple[RankLevel, ...]
    created_at: datetime
    created_by: str

    def level_named(self, name: str) -> int | None:
        for position, level in enumerate(self.levels):
            if level.name == name:
                return position
        return None


@dataclass(frozen=True)
class RankFloor:
    """A manual rank: the member holds at least `name` until `until` (an instant: the end of
    the local day head office named)."""

    name: str
    position: int
    until: datetime


@dataclass(frozen=True)
class MemberRank:
    """What `member_ranks` holds: the rank the member has now (a floor included), its earn
    multiplier (what the next purchase earns with), since when, and the floor if any. A member
    without a row holds the lowest rank at 100 %."""

    customer_id: str
    name: str
    position: int
    multiplier_pct: int
    since: datetime
    floor: RankFloor | None

    def floor_at(self, now: datetime) -> RankFloor | None:
        """The floor while it lasts; None once it has ended (swept or not)."""
        if self.floor is None or self.floor.until <= now:
            return None
        return self.floor


@dataclass(frozen=True)
class RankChange:
    change_id: str
    customer_id: str
    from_name: str | None
    to_name: str
    reason: ChangeReason
    created_at: datetime
    actor: str


@dataclass(frozen=True)
class Window:
    """A spend window: purchases made at `start` or later and before `end` count."""

    start: datetime
    end: datetime
