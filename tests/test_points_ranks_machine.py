"""The rank rule as a state machine over purchases, returns, floors and years of time passing,
driven the way the node drives it (node/points/rank_operations.py: an ended floor settled before
a purchase, the upgrade after it, the recompute once per recompute moment): a rank goes down only
at a recompute or a floor's end, a floor holds while it lasts, a purchase's spend is reached at
once, and the multiplier is always the level's."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from node.errors import RankFloorNotLower
from node.points.rank_core import (
    FloorRequest,
    grant_floor,
    last_recompute,
    level_for,
    place,
    placement_windows,
    upgrade,
    upgrade_window,
)
from node.points.rank_model import MemberRank, RankTable
from tests.test_points_ranks_rules import NOW, TOKYO, Bought, spend, table

CUSTOMER = "cu_1"


class RankMachine(RuleBasedStateMachine):
    ranks: RankTable

    @initialize(
        window=st.sampled_from(["calendar_year", "rolling_12_months"]),
        month=st.integers(1, 12),
        day=st.integers(1, 28),
    )
    def setup(self, window: str, month: int, day: int) -> None:
        self.ranks = table(window, month, day)
        self.now = NOW
        self.bought: list[Bought] = []
        self.held: MemberRank | None = None
        self.last_run = last_recompute(self.ranks, self.now, TOKYO)  # before the table: not run
        self.may_go_down = False
        self.before = 0

    def _position(self) -> int:
        return 0 if self.held is None else self.held.position

    def _placed(self) -> MemberRank:
        windows = placement_windows(self.ranks, self.now, TOKYO)
        return place(
            self.held, self.ranks, CUSTOMER, [spend(self.bought, w) for w in windows], self.now
        )

    def _settle_floor(self) -> None:
        held = self.held
        if held is not None and held.floor is not None and held.floor_at(self.now) is None:
            self.held = self._placed()
            self.may_go_down = True

    @rule(yen=st.integers(0, 150_000))
    def buy(self, yen: int) -> None:
        self.before, self.may_go_down = self._position(), False
        self._settle_floor()
        self.bought.append(Bought(self.now, yen))
        reached = spend(self.bought, upgrade_window(self.ranks.window, self.now, TOKYO))
        self.held = upgrade(self.held, self.ranks, CUSTOMER, reached, self.now) or self.held
        assert self._position() >= level_for(self.ranks, reached)  # upgraded at once

    @rule(pick=st.integers(0, 1000))
    def give_back(self, pick: int) -> None:
        self.before, self.may_go_down = self._position(), False
        if self.bought:
            index = pick % len(self.bought)
            self.bought[index] = replace(self.bought[index], returned=True)

    @rule(hours=st.integers(1, 24 * 200))
    def wait_and_sweep(self, hours: int) -> None:
        self.before, self.may_go_down = self._position(), False
        self.now += timedelta(hours=hours)
        moment = last_recompute(self.ranks, self.now, TOKYO)
        if moment > self.last_run:
            self.last_run = moment
            self.held = self._placed()
            self.may_go_down = True
        self._settle_floor()

    @rule(level=st.integers(0, 2), days=st.integers(-2, 400))
    def grant(self, level: int, days: int) -> None:
        self.before, self.may_go_down = self._position(), False
        self._settle_floor()
        held_now = self._position()
        wanted = self.ranks.levels[level].name
        until = self.now.astimezone(TOKYO).date() + timedelta(days=days)
        try:
            self.held = grant_floor(
                self.held,
                self.ranks,
                CUSTOMER,
                FloorRequest(wanted, until, "理由"),
                self.now,
                TOKYO,
            )
        except RankFloorNotLower:
            assert level < held_now or days <= 0 or self._cut_short(until)
            return
        assert self.held.floor is not None and self.held.position >= level

    def _cut_short(self, until: date) -> bool:
        floor = None if self.held is None else self.held.floor_at(self.now)
        return floor is not None and floor.until.astimezone(TOKYO).date() > until

    @invariant()
    def down_only_at_a_recompute_or_a_floors_end(self) -> None:
        if not self.may_go_down:
            assert self._position() >= self.before

    @invariant()
    def a_floor_holds_while_it_lasts(self) -> None:
        floor = None if self.held is None else self.held.floor_at(self.now)
        if floor is not None:
            assert self._position() >= floor.position

    @invariant()
    def the_multiplier_is_the_levels(self) -> None:
        if self.held is not None:
            level = self.ranks.levels[self.held.position]
            assert (self.held.name, self.held.multiplier_pct) == (level.name, level.multiplier_pct)


RankMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
TestRankMachine = RankMachine.TestCase
