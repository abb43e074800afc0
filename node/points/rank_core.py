"""The rank rule (会員ランクの判定), pure: no I/O, no clock; `now`, the zone and spends come in.

The rule, written down once (docs/operations.md, "Member ranks", says the same to head office):

- A member's spend in a window is the yen of their purchases made in it (`point_purchases`),
  leaving out purchases returned since. Windows are in the node's zone (Asia/Tokyo): a purchase
  at 23:59:59 on 31 December counts for that year, one at 00:00 on 1 January for the next.
- The rank table says the window: `calendar_year` (1 January to 31 December) or
  `rolling_12_months` (from the start of the same date twelve months ago up to now), and the
  recompute day (month, day; local midnight).
- Upgrade at once: after every purchase, when the spend in the current window (this calendar
  year so far, or the last 12 months) reaches a higher level than the rank held, the member
  goes up now. The new multiplier counts from the NEXT purchase: the purchase that triggered
  the upgrade earned at the rank held when it was made.
- Never down between recomputes: a return, or purchases leaving a rolling window, lower no rank
  at once; the spend they removed counts at the next recompute.
- Recompute (each year at the recompute moment): the member is placed at the highest level that
  any window of the period reaches: for `calendar_year`, the whole calendar year before the
  recompute's year and every calendar year since, so far (with the recompute on 1 January: last
  year's spend sets this year's rank, and this year's spend can raise it); for
  `rolling_12_months`, the 12 months before the recompute and the 12 months up to now. This may
  be lower than the rank held: the only time a rank goes down.
- A manual rank is a floor with an end (never silent: the member's rank answer shows it): while
  it lasts the member holds at least the floor, through recomputes too. When it ends the member
  is placed by the recompute's rule at that moment (reason `floor_end`), before any purchase
  made after the end is earned on. A floor is never lower
  than the rank held when it is set (no downgrade by hand), and replaces an earlier floor only
  if it ends no sooner.
- A new table applies from its `effective_from`: to upgrades at once, and to everyone at the
  next recompute; until then a member keeps the rank and multiplier they hold.
- The lowest level is 0 yen at 100 % (every member's rank without spending; a member without a
  row in `member_ranks` holds it); levels rise in spend, and never fall in multiplier.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from node.errors import InvalidRankTable, RankFloorNotLower
from node.ledger.calendar import add_months, end_of_local_day, start_of_local_day
from node.points.core import in_force, whole_in
from node.points.model import MAX_PURCHASE_YEN
from node.points.rank_model import (
    BASE_MULTIPLIER_PCT,
    MAX_LEVEL_NAME_CHARS,
    MAX_LEVELS,
    MAX_MULTIPLIER_PCT,
    MAX_RECOMPUTE_DAY,
    MIN_MULTIPLIER_PCT,
    MemberRank,
    RankFloor,
    RankLevel,
    RankTable,
    SpendWindow,
    Window,
)
from node.text import is_printable

# Stored times are whole seconds: a purchase recorded at `now` counts in a window up to `now`.
_JUST_AFTER = timedelta(seconds=1)
MAX_MIN_SPEND_YEN = 100 * MAX_PURCHASE_YEN
MAX_FLOOR_YEARS = 5


# -- the table -------------------------------------------------------------------------------


def parse_levels(raw: object) -> tuple[RankLevel, ...]:
    """The levels as given ([{name, min_spend_yen, multiplier_pct}, ...], lowest first),
    checked: 1-21 levels, distinct printable names, the first 0 yen at 100 %, spend strictly
    rising, multipliers 100-1000 % and never falling."""
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_LEVELS:
        raise InvalidRankTable(f"`levels` must list 1-{MAX_LEVELS} ranks.", field="levels")
    levels: list[RankLevel] = []
    for item in raw:
        if not isinstance(item, dict) or set(item) != {"name", "min_spend_yen", "multiplier_pct"}:
            raise InvalidRankTable(
                "each level has exactly `name`, `min_spend_yen` and `multiplier_pct`.",
                field="levels",
            )
        name = item["name"]
        if (
            not isinstance(name, str)
            or not name.strip()
            or len(name.strip()) > MAX_LEVEL_NAME_CHARS
            or not is_printable(name)
        ):
            raise InvalidRankTable(
                f"a rank's name is printable text of 1-{MAX_LEVEL_NAME_CHARS} characters.",
                field="levels",
            )
        spend = whole_in(item["min_spend_yen"], 0, MAX_MIN_SPEND_YEN)
        pct = whole_in(item["multiplier_pct"], MIN_MULTIPLIER_PCT, MAX_MULTIPLIER_PCT)
        if spend is None or pct is None:
            raise InvalidRankTable(
                f"`min_spend_yen` is whole yen from 0; `multiplier_pct` is {MIN_MULTIPLIER_PCT}"
                f"-{MAX_MULTIPLIER_PCT} (percent).",
                field="levels",
            )
        levels.append(RankLevel(name.strip(), spend, pct))
    _check_order(levels)
    return tuple(levels)


def _check_order(levels: Sequence[RankLevel]) -> None:
    first = levels[0]
    if first.min_spend_yen != 0 or first.multiplier_pct != BASE_MULTIPLIER_PCT:
        raise InvalidRankTable(
            "the lowest rank is every member's: 0 yen and 100 % (raise the program's earn rate"
            " instead).",
            field="levels",
        )
    if len({level.name for level in levels}) != len(levels):
        raise InvalidRankTable("each rank needs its own name.", field="levels")
    for lower, higher in pairwise(levels):
        if higher.min_spend_yen <= lower.min_spend_yen:
            raise InvalidRankTable("each rank needs more spend than the one below.", field="levels")
        if higher.multiplier_pct < lower.multiplier_pct:
            raise InvalidRankTable(
                "a higher rank cannot earn less than the one below.", field="levels"
            )


def new_table(
    version_id: str,
    effective_from: datetime,
    window: object,
    recompute_month: object,
    recompute_day: object,
    levels: object,
    created_at: datetime,
    created_by: str,
) -> RankTable:
    """A checked version of the rank table. It starts now or later: a change never rewrites the
    past (InvalidRankTable naming the field at fault)."""
    if window not in {w.value for w in SpendWindow}:
        raise InvalidRankTable("`window` is calendar_year or rolling_12_months.", field="window")
    month = whole_in(recompute_month, 1, 12)
    day = whole_in(recompute_day, 1, MAX_RECOMPUTE_DAY)
    if month is None or day is None:
        raise InvalidRankTable(
            f"the recompute day is a month 1-12 and a day 1-{MAX_RECOMPUTE_DAY}.",
            field="recompute",
        )
    if effective_from < created_at.replace(microsecond=0):
        raise InvalidRankTable(
            "a rank table starts now or later; the past is not rewritten.", field="effective_from"
        )
    return RankTable(
        version_id,
        effective_from,
        SpendWindow(str(window)),
        month,
        day,
        parse_levels(levels),
        created_at,
        created_by,
    )


def table_in_force(tables: Iterable[RankTable], at: datetime) -> RankTable | None:
    """The version whose `effective_from` is the latest not after `at` (core.in_force)."""
    return in_force(tables, at)


def level_for(table: RankTable, spend_yen: int) -> int:
    """The position of the highest level `spend_yen` reaches (the lowest needs 0 yen)."""
    reached = 0
    for position, level in enumerate(table.levels):
        if level.min_spend_yen <= spend_yen:
            reached = position
    return reached


# -- time ------------------------------------------------------------------------------------


def recompute_moment(table: RankTable, year: int, zone: ZoneInfo) -> datetime:
    return start_of_local_day(date(year, table.recompute_month, table.recompute_day), zone)


def last_recompute(table: RankTable, now: datetime, zone: ZoneInfo) -> datetime:
    """The latest recompute moment not after `now` (by the date rule, whatever the version)."""
    year = now.astimezone(zone).year
    this_year = recompute_moment(table, year, zone)
    return this_year if this_year <= now else recompute_moment(table, year - 1, zone)


def next_recompute(table: RankTable, now: datetime, zone: ZoneInfo) -> datetime:
    last = last_recompute(table, now, zone)
    return recompute_moment(table, last.astimezone(zone).year + 1, zone)


def _year(year: int, zone: ZoneInfo) -> Window:
    return Window(
        start_of_local_day(date(year, 1, 1), zone), start_of_local_day(date(year + 1, 1, 1), zone)
    )


def _rolling(until: datetime, zone: ZoneInfo) -> Window:
    """The 12 months up to `until`: from the start of the same local date a year before."""
    start_day = add_months(until.astimezone(zone).date(), -12)
    return Window(start_of_local_day(start_day, zone), until)


def upgrade_window(window: SpendWindow, now: datetime, zone: ZoneInfo) -> Window:
    """The window whose spend upgrades at once: this calendar year so far, or the last 12
    months."""
    if window is SpendWindow.CALENDAR_YEAR:
        return Window(_year(now.astimezone(zone).year, zone).start, now + _JUST_AFTER)
    return _rolling(now + _JUST_AFTER, zone)


def upgrade_window_end(window: SpendWindow, now: datetime, zone: ZoneInfo) -> datetime | None:
    """When this year's calendar window closes (None for a rolling window: it never closes)."""
    if window is SpendWindow.CALENDAR_YEAR:
        return _year(now.astimezone(zone).year, zone).end
    return None


def placement_windows(table: RankTable, now: datetime, zone: ZoneInfo) -> tuple[Window, ...]:
    """The windows whose best level places a member at a recompute (or a floor's end) at `now`:
    see the module's rule."""
    since = last_recompute(table, now, zone)
    if table.window is SpendWindow.ROLLING_12_MONTHS:
        return (_rolling(since, zone), upgrade_window(table.window, now, zone))
    first = since.astimezone(zone).year - 1
    last = now.astimezone(zone).year
    end = now + _JUST_AFTER
    windows = []
    for year in range(first, last + 1):
        whole_year = _year(year, zone)
        windows.append(Window(whole_year.start, min(whole_year.end, end)))
    return tuple(windows)


# -- decisions -------------------------------------------------------------------------------


def _at(table: RankTable, position: int) -> tuple[int, RankLevel]:
    """The level at `position`, or the top one when a newer table has fewer levels."""
    position = min(position, len(table.levels) - 1)
    return position, table.levels[position]


def held_position(held: MemberRank | None) -> int:
    return 0 if held is None else held.position


def upgrade(
    held: MemberRank | None, table: RankTable, customer_id: str, spend_yen: int, now: datetime
) -> MemberRank | None:
    """The member's new rank when `spend_yen` in the upgrade window reaches a level above the
    rank held; None when it does not (never a step down)."""
    target = level_for(table, spend_yen)
    if target <= held_position(held):
        return None
    level = table.levels[target]
    floor = held.floor if held is not None else None
    return MemberRank(customer_id, level.name, target, level.multiplier_pct, now, floor)


def place(
    held: MemberRank | None,
    table: RankTable,
    customer_id: str,
    spends_yen: Iterable[int],
    now: datetime,
) -> MemberRank:
    """The recompute's placement at `now`: the highest level any of the windows' spends
    reaches, or the floor while it lasts if that is higher. An ended floor is dropped."""
    earned = max((level_for(table, spend) for spend in spends_yen), default=0)
    floor = held.floor_at(now) if held is not None else None
    position, level = _at(table, earned)
    if floor is not None and floor.position > position:
        position, level = _at(table, floor.position)
    unchanged = held is not None and held.name == level.name
    since = held.since if held is not None and unchanged else now
    return MemberRank(customer_id, level.name, position, level.multiplier_pct, since, floor)


@dataclass(frozen=True)
class FloorRequest:
    rank: str
    until_day: date
    reason: str


def grant_floor(
    held: MemberRank | None,
    table: RankTable,
    customer_id: str,
    request: FloorRequest,
    now: datetime,
    zone: ZoneInfo,
) -> MemberRank:
    """The member's rank with the floor `request` asks for (RankFloorNotLower when refused:
    an unknown rank, an end not after today, a floor lower than the rank held, or one that would
    end an earlier floor sooner)."""
    position = table.level_named(request.rank)
    if position is None:
        names = ", ".join(level.name for level in table.levels)
        raise RankFloorNotLower(f"`rank` must be one of the table's ranks: {names}.", field="rank")
    today = now.astimezone(zone).date()
    if request.until_day <= today:
        raise RankFloorNotLower("a floor must end after today.", field="floor_until")
    if request.until_day > add_months(today, 12 * MAX_FLOOR_YEARS):
        raise RankFloorNotLower(
            f"a floor ends within {MAX_FLOOR_YEARS} years.", field="floor_until"
        )
    if position < held_position(held):
        raise RankFloorNotLower(
            "a floor cannot be lower than the rank the member holds now.", field="rank"
        )
    until = end_of_local_day(request.until_day, zone)
    earlier = held.floor_at(now) if held is not None else None
    if earlier is not None and until < earlier.until:
        raise RankFloorNotLower(
            "the member's floor lasts longer; a new floor may not end it sooner.",
            field="floor_until",
        )
    floor = RankFloor(table.levels[position].name, position, until)
    if held is not None and held.position >= position:
        return MemberRank(
            customer_id, held.name, held.position, held.multiplier_pct, held.since, floor
        )
    level = table.levels[position]
    return MemberRank(customer_id, level.name, position, level.multiplier_pct, now, floor)


def progress_to_next(
    table: RankTable, position: int, spend_yen: int
) -> tuple[RankLevel | None, int | None]:
    """The next level above `position` and the yen left to reach it in the upgrade window."""
    if position + 1 >= len(table.levels):
        return None, None
    following = table.levels[position + 1]
    return following, max(0, following.min_spend_yen - spend_yen)
