"""The rank rule, pure (node/points/rank_core.py): the table's checks name the field at fault;
windows and recompute moments fall on local midnights in Asia/Tokyo; spend reaching a level
upgrades at once and nothing lowers a rank until the recompute; the recompute places a member by
the windows of the period; a floor holds through a recompute and its end places the member by
what they spent."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from node.errors import InvalidRankTable, RankFloorNotLower
from node.points.rank_core import (
    FloorRequest,
    grant_floor,
    last_recompute,
    level_for,
    new_table,
    next_recompute,
    place,
    placement_windows,
    progress_to_next,
    upgrade,
    upgrade_window,
)
from node.points.rank_model import MemberRank, RankTable, SpendWindow, Window

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 10:00 in Tokyo
LEVELS = [
    {"name": "ブロンズ", "min_spend_yen": 0, "multiplier_pct": 100},
    {"name": "シルバー", "min_spend_yen": 50_000, "multiplier_pct": 150},
    {"name": "ゴールド", "min_spend_yen": 200_000, "multiplier_pct": 200},
]


def table(window: str = "calendar_year", month: int = 1, day: int = 1) -> RankTable:
    return new_table("rt_1", NOW, window, month, day, LEVELS, NOW, "admin")


def tokyo(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=TOKYO)  # type: ignore[misc]


@dataclass(frozen=True)
class Bought:
    at: datetime
    yen: int
    returned: bool = False


def spend(bought: list[Bought], window: Window) -> int:
    """What rank_tables.spend sums, over a list: not returned, made in [start, end)."""
    return sum(b.yen for b in bought if not b.returned and window.start <= b.at < window.end)


# -- the table's checks ----------------------------------------------------------------------


def _level(**change: Any) -> list[dict[str, Any]]:
    return [LEVELS[0], {**LEVELS[1], **change}, LEVELS[2]]


@pytest.mark.parametrize(
    ("window", "month", "day", "levels", "field"),
    [
        ("yearly", 1, 1, LEVELS, "window"),
        ("calendar_year", 13, 1, LEVELS, "recompute"),
        ("calendar_year", 2, 29, LEVELS, "recompute"),
        ("calendar_year", 1, 1, [], "levels"),
        ("calendar_year", 1, 1, "ブロンズ", "levels"),
        ("calendar_year", 1, 1, [{**LEVELS[0], "min_spend_yen": 1}], "levels"),
        ("calendar_year", 1, 1, [{**LEVELS[0], "multiplier_pct": 110}], "levels"),
        ("calendar_year", 1, 1, _level(min_spend_yen=0), "levels"),
        ("calendar_year", 1, 1, _level(min_spend_yen=300_000), "levels"),
        ("calendar_year", 1, 1, _level(multiplier_pct=250), "levels"),
        ("calendar_year", 1, 1, _level(multiplier_pct=1001), "levels"),
        ("calendar_year", 1, 1, _level(name="ブロンズ"), "levels"),
        ("calendar_year", 1, 1, _level(name="  "), "levels"),
        ("calendar_year", 1, 1, _level(name="a\u200bb"), "levels"),
        ("calendar_year", 1, 1, _level(min_spend_yen=True), "levels"),
        ("calendar_year", 1, 1, [{**LEVELS[0], "extra": 1}], "levels"),
    ],
)
def test_a_bad_table_is_refused_naming_the_field(
    window: str, month: int, day: int, levels: object, field: str
) -> None:
    with pytest.raises(InvalidRankTable) as refused:
        new_table("rt_1", NOW, window, month, day, levels, NOW, "admin")
    assert refused.value.details["field"] == field


def test_a_table_cannot_start_in_the_past() -> None:
    with pytest.raises(InvalidRankTable) as refused:
        new_table("rt_1", NOW - timedelta(seconds=1), "calendar_year", 1, 1, LEVELS, NOW, "a")
    assert refused.value.details["field"] == "effective_from"


def test_levels_reached_and_what_is_left() -> None:
    ranks = table()
    assert [level_for(ranks, y) for y in (0, 49_999, 50_000, 199_999, 200_000, 10**9)] == [
        0,
        0,
        1,
        1,
        2,
        2,
    ]
    following, left = progress_to_next(ranks, 0, 12_000)
    assert following is not None and (following.name, left) == ("シルバー", 38_000)
    assert progress_to_next(ranks, 2, 500_000) == (None, None)


# -- windows and moments in Asia/Tokyo -------------------------------------------------------


def test_the_calendar_year_turns_at_local_midnight() -> None:
    ranks = table()
    last_second = tokyo(2026, 12, 31, 23, 59, 59)
    new_year = tokyo(2027, 1, 1, 0, 0, 0)
    bought = [Bought(last_second, 60_000)]
    assert spend(bought, upgrade_window(ranks.window, last_second, TOKYO)) == 60_000
    assert spend(bought, upgrade_window(ranks.window, new_year, TOKYO)) == 0
    assert last_recompute(ranks, last_second, TOKYO) == tokyo(2026, 1, 1)
    assert last_recompute(ranks, new_year, TOKYO) == new_year
    assert next_recompute(ranks, last_second, TOKYO) == new_year
    # 00:00 in Tokyo is 15:00 UTC the day before
    assert new_year.astimezone(UTC) == datetime(2026, 12, 31, 15, 0, tzinfo=UTC)


def test_the_rolling_window_is_the_last_12_months_by_local_dates() -> None:
    ranks = table("rolling_12_months", 4, 1)
    now = tokyo(2027, 3, 15, 14, 0)
    window = upgrade_window(ranks.window, now, TOKYO)
    assert window.start == tokyo(2026, 3, 15)
    bought = [Bought(tokyo(2026, 3, 14, 23, 59, 59), 40_000), Bought(tokyo(2026, 3, 15), 30_000)]
    assert spend(bought, window) == 30_000
    (before, so_far) = placement_windows(ranks, now, TOKYO)
    assert (before.start, before.end) == (tokyo(2025, 4, 1), tokyo(2026, 4, 1))
    assert so_far == window


def test_a_calendar_recompute_not_on_new_year_counts_every_year_of_the_period() -> None:
    ranks = table("calendar_year", 4, 1)
    now = tokyo(2028, 2, 10)
    windows = placement_windows(ranks, now, TOKYO)
    # recompute 1 Apr 2027: 2026 whole, 2027 whole (Jan-Mar before it and the rest since), 2028
    assert [w.start for w in windows] == [tokyo(2026, 1, 1), tokyo(2027, 1, 1), tokyo(2028, 1, 1)]
    assert windows[1].end == tokyo(2028, 1, 1) and windows[2].end > now


@given(
    st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
    )
)
def test_a_purchase_counts_in_the_local_year_it_was_made(at: datetime) -> None:
    ranks = table()
    year = at.astimezone(TOKYO).year
    bought = [Bought(at.replace(microsecond=0), 1)]
    year_end = tokyo(year, 12, 31, 23, 59, 59)
    assert spend(bought, upgrade_window(ranks.window, year_end, TOKYO)) == 1
    assert spend(bought, upgrade_window(ranks.window, tokyo(year + 1, 1, 1), TOKYO)) == 0


@given(
    st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
    ),
    st.integers(1, 12),
    st.integers(1, 28),
)
def test_the_last_recompute_is_the_latest_local_midnight_of_the_day_not_after_now(
    now: datetime, month: int, day: int
) -> None:
    ranks = table(month=month, day=day)
    last = last_recompute(ranks, now, TOKYO)
    following = next_recompute(ranks, now, TOKYO)
    assert last <= now < following
    local = last.astimezone(TOKYO)
    assert (local.month, local.day, local.hour, local.minute) == (month, day, 0, 0)
    assert following.astimezone(TOKYO).year == local.year + 1


# -- upgrade at once, never down until the recompute -----------------------------------------


@st.composite
def year_of_events(draw: st.DrawFn) -> list[tuple[str, int, int]]:
    """Purchases, returns of an earlier purchase, and time passing, all inside 2027."""
    return draw(
        st.lists(
            st.one_of(
                st.tuples(st.just("buy"), st.integers(0, 120_000), st.integers(0, 0)),
                st.tuples(st.just("return"), st.integers(0, 50), st.integers(0, 0)),
                st.tuples(st.just("wait"), st.integers(0, 0), st.integers(1, 40)),
            ),
            max_size=40,
        )
    )


@settings(max_examples=200, deadline=None)
@given(year_of_events(), st.sampled_from(["calendar_year", "rolling_12_months"]))
def test_upgrade_at_once_and_never_down_until_the_recompute(
    events: list[tuple[str, int, int]], window: str
) -> None:
    ranks = table(window)
    now = tokyo(2027, 1, 1, 9)
    end = tokyo(2028, 1, 1)
    held: MemberRank | None = None
    bought: list[Bought] = []
    for kind, amount, days in events:
        before = 0 if held is None else held.position
        if kind == "wait":
            now = min(now + timedelta(days=days), end - timedelta(hours=1))
        elif kind == "return" and bought:
            index = amount % len(bought)
            bought[index] = replace(bought[index], returned=True)
        elif kind == "buy":
            bought.append(Bought(now, amount))
            reached = spend(bought, upgrade_window(ranks.window, now, TOKYO))
            held = upgrade(held, ranks, "cu_1", reached, now) or held
            assert (0 if held is None else held.position) >= level_for(ranks, reached)
        assert (0 if held is None else held.position) >= before  # never down
    if held is None:
        return
    # the recompute on 1 Jan 2028 places the member by the windows of the period, maybe lower
    spends = [spend(bought, w) for w in placement_windows(ranks, end, TOKYO)]
    placed = place(held, ranks, "cu_1", spends, end)
    assert placed.position == max(level_for(ranks, s) for s in spends)
    assert placed.multiplier_pct == ranks.levels[placed.position].multiplier_pct


def test_last_years_spend_sets_this_years_rank() -> None:
    ranks = table()
    bought = [Bought(tokyo(2026, 6, 1), 210_000), Bought(tokyo(2027, 2, 1), 60_000)]
    at_new_year = tokyo(2027, 1, 1)
    spends = [spend(bought, w) for w in placement_windows(ranks, at_new_year, TOKYO)]
    gold = place(None, ranks, "cu_1", spends, at_new_year)
    assert (gold.name, gold.multiplier_pct) == ("ゴールド", 200)
    next_new_year = tokyo(2028, 1, 1)
    spends = [spend(bought, w) for w in placement_windows(ranks, next_new_year, TOKYO)]
    assert place(gold, ranks, "cu_1", spends, next_new_year).name == "シルバー"


# -- floors ----------------------------------------------------------------------------------


def _silver(since: datetime = NOW) -> MemberRank:
    return MemberRank("cu_1", "シルバー", 1, 150, since, None)


def test_a_floor_lifts_holds_through_the_recompute_and_ends() -> None:
    ranks = table()
    floored = grant_floor(
        _silver(), ranks, "cu_1", FloorRequest("ゴールド", date(2027, 3, 31), "お詫び"), NOW, TOKYO
    )
    assert (floored.name, floored.multiplier_pct) == ("ゴールド", 200)
    assert floored.floor is not None and floored.floor.until == tokyo(2027, 4, 1)
    new_year = tokyo(2027, 1, 1)
    assert place(floored, ranks, "cu_1", [0, 0], new_year).name == "ゴールド"
    ended = place(floored, ranks, "cu_1", [60_000], tokyo(2027, 4, 1))
    assert (ended.name, ended.floor) == ("シルバー", None)


def test_a_floor_at_the_rank_held_guards_it_without_changing_it() -> None:
    ranks = table()
    held = _silver()
    guarded = grant_floor(
        held, ranks, "cu_1", FloorRequest("シルバー", date(2027, 12, 31), "移行"), NOW, TOKYO
    )
    assert (guarded.name, guarded.since) == ("シルバー", held.since)
    assert place(guarded, ranks, "cu_1", [0], tokyo(2027, 1, 1)).name == "シルバー"


@pytest.mark.parametrize(
    ("rank", "until", "field"),
    [
        ("プラチナ", date(2027, 1, 1), "rank"),
        ("ブロンズ", date(2027, 1, 1), "rank"),  # below the Silver held: no downgrade by hand
        ("ゴールド", date(2026, 11, 24), "floor_until"),  # today: a floor ends after today
        ("ゴールド", date(2032, 1, 1), "floor_until"),
    ],
)
def test_a_bad_floor_is_refused(rank: str, until: date, field: str) -> None:
    with pytest.raises(RankFloorNotLower) as refused:
        grant_floor(_silver(), table(), "cu_1", FloorRequest(rank, until, "x"), NOW, TOKYO)
    assert refused.value.details["field"] == field


def test_a_floor_is_not_cut_short_by_a_new_one() -> None:
    ranks = table()
    first = grant_floor(
        _silver(), ranks, "cu_1", FloorRequest("ゴールド", date(2027, 6, 30), "a"), NOW, TOKYO
    )
    with pytest.raises(RankFloorNotLower):
        grant_floor(
            first, ranks, "cu_1", FloorRequest("ゴールド", date(2027, 3, 31), "b"), NOW, TOKYO
        )
    longer = grant_floor(
        first, ranks, "cu_1", FloorRequest("ゴールド", date(2027, 9, 30), "c"), NOW, TOKYO
    )
    assert longer.floor is not None and longer.floor.until == tokyo(2027, 10, 1)


def test_upgrade_only_goes_up() -> None:
    ranks = table()
    assert upgrade(None, ranks, "cu_1", 49_999, NOW) is None
    silver = upgrade(None, ranks, "cu_1", 50_000, NOW)
    assert silver is not None and (silver.name, silver.position) == ("シルバー", 1)
    assert upgrade(silver, ranks, "cu_1", 60_000, NOW) is None
    assert upgrade(silver, ranks, "cu_1", 0, NOW) is None


def test_spend_window_kinds() -> None:
    assert {w.value for w in SpendWindow} == {"calendar_year", "rolling_12_months"}
