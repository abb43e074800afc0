"""Member ranks on a real node (SQLite file, writer, reads): an earn that reaches a level
upgrades at once and the next purchase earns at the new multiplier; a return lowers nothing; a
manual floor lifts the rank, is shown with its reason, holds through the recompute and ends by
itself; the recompute runs once per recompute moment, in batches that go on from their cursor,
and the periodic job runs it when it is due."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from datetime import UTC, datetime
from typing import Any

import pytest

from node.errors import InvalidRankTable, RankFloorNotLower
from node.home import NodeHome
from node.points import actions, rank_actions, rank_operations, rank_queries
from node.points.actions import Caller
from node.points.rank_operations import RecomputeStep
from node.runtime import Node
from tests.conftest import FakeClock
from tests.points_helpers import points_node

POS = Caller("key:ak_pos")
LEVELS = [
    {"name": "ブロンズ", "min_spend_yen": 0, "multiplier_pct": 100},
    {"name": "シルバー", "min_spend_yen": 50_000, "multiplier_pct": 150},
    {"name": "ゴールド", "min_spend_yen": 200_000, "multiplier_pct": 200},
]
NEW_YEAR_2027 = datetime(2026, 12, 31, 15, 0, tzinfo=UTC)  # 2027-01-01 00:00 in Tokyo
FEB_2027 = datetime(2027, 1, 31, 15, 0, tzinfo=UTC)  # 2027-02-01 00:00 in Tokyo
NEW_YEAR_2028 = datetime(2027, 12, 31, 15, 0, tzinfo=UTC)


async def set_ranks(node: Node, window: str = "calendar_year") -> dict[str, Any]:
    return await rank_actions.set_table(node, window, "01-01", LEVELS, None, "admin")


async def rank_of(node: Node, member_no: str) -> dict[str, Any]:
    return await rank_actions.member_rank(node, member_no)


async def test_an_upgrade_counts_from_the_next_purchase_and_a_return_lowers_nothing(
    home: NodeHome, clock: FakeClock
) -> None:
    async with points_node(home, clock) as p:
        store = await p.store()
        member = await p.member()
        before = await rank_of(p.node, member.member_no)
        assert (before["ranked"], before["rank"], before["multiplier_pct"]) == (False, None, 100)
        await set_ranks(p.node)
        shown = await rank_of(p.node, member.member_no)
        assert (shown["rank"], shown["next_rank"], shown["yen_to_next"]) == (
            "ブロンズ",
            "シルバー",
            50_000,
        )

        first = await actions.earn(p.node, member.member_no, 60_000, "pos-1", POS, store)
        assert (first["points"], first["rank_pct"]) == (600, 100)  # earned at the rank it had
        silver = await rank_of(p.node, member.member_no)
        assert (silver["rank"], silver["multiplier_pct"], silver["window_spend_yen"]) == (
            "シルバー",
            150,
            60_000,
        )
        assert (silver["next_rank"], silver["yen_to_next"]) == ("ゴールド", 140_000)
        assert silver["window_ends_at"] == "2026-12-31T15:00:00Z"
        assert silver["next_recompute_at"] == "2026-12-31T15:00:00Z"
        assert [(c["from"], c["to"], c["reason"]) for c in silver["changes"]] == [
            ("ブロンズ", "シルバー", "upgrade")
        ]

        second = await actions.earn(p.node, member.member_no, 10_000, "pos-2", POS, store)
        assert (second["points"], second["rank_pct"]) == (150, 150)  # the upgrade, visibly

        await actions.return_txn(p.node, "pos-1", POS)
        kept = await rank_of(p.node, member.member_no)
        assert (kept["rank"], kept["window_spend_yen"]) == ("シルバー", 10_000)
        third = await actions.earn(p.node, member.member_no, 1_000, "pos-3", POS, store)
        assert third["points"] == 15


async def test_a_floor_is_shown_holds_through_the_recompute_and_ends(
    home: NodeHome, clock: FakeClock
) -> None:
    async with points_node(home, clock) as p:
        store = await p.store()
        member = await p.member()
        await set_ranks(p.node)
        await actions.earn(p.node, member.member_no, 60_000, "pos-1", POS, store)
        with pytest.raises(RankFloorNotLower):
            await rank_actions.set_floor(
                p.node, member.member_no, "ブロンズ", "2027-01-31", "誤り", "admin"
            )
        floored = await rank_actions.set_floor(
            p.node, member.member_no, "ゴールド", "2027-01-31", "ご迷惑のお詫び", "admin"
        )
        assert (floored["rank"], floored["multiplier_pct"]) == ("ゴールド", 200)
        assert floored["floor"] == {
            "rank": "ゴールド",
            "until": "2027-01-31T15:00:00Z",
            "reason": "ご迷惑のお詫び",
        }
        earned = await actions.earn(p.node, member.member_no, 1_000, "pos-2", POS, store)
        assert earned["points"] == 20

        clock.set(NEW_YEAR_2027)
        ran = await rank_actions.recompute(p.node, "admin")
        assert ran["period_start"] == "2026-12-31T15:00:00Z"
        assert (ran["members"], ran["changed"]) == (1, 0)  # the floor holds Gold
        assert (await rank_of(p.node, member.member_no))["rank"] == "ゴールド"

        clock.set(FEB_2027)
        unswept = await rank_of(p.node, member.member_no)
        assert (unswept["rank"], unswept["floor"]) == ("シルバー", None)  # what the sweep will set
        ended = await rank_actions.recompute(p.node, "system")
        assert (ended["members"], ended["floors_ended"], ended["changed"]) == (0, 1, 1)
        after = await rank_of(p.node, member.member_no)
        # placed by the period's windows: 2026's 61,000 yen is Silver
        assert (after["rank"], after["multiplier_pct"], after["floor"]) == ("シルバー", 150, None)
        assert [c["reason"] for c in after["changes"]] == ["floor_end", "manual", "upgrade"]


async def test_the_recompute_runs_once_per_moment_and_may_lower_a_rank(
    home: NodeHome, clock: FakeClock
) -> None:
    async with points_node(home, clock) as p:
        store = await p.store()
        silver = await p.member("銀子")
        bronze = await p.member("銅太")
        await set_ranks(p.node)
        await actions.earn(p.node, silver.member_no, 50_000, "pos-1", POS, store)

        clock.set(NEW_YEAR_2027)
        first = await rank_actions.recompute(p.node, "system")
        assert (first["members"], first["changed"]) == (2, 0)  # 2026's spend keeps Silver
        again = await rank_actions.recompute(p.node, "system")
        assert (again["period_start"], again["members"]) == (None, 0)

        clock.set(NEW_YEAR_2028)
        lowered = await rank_actions.recompute(p.node, "system")
        assert (lowered["members"], lowered["changed"]) == (2, 1)
        shown = await rank_of(p.node, silver.member_no)
        assert (shown["rank"], shown["multiplier_pct"]) == ("ブロンズ", 100)
        assert shown["changes"][0]["reason"] == "recompute"
        assert (await rank_of(p.node, bronze.member_no))["changes"] == []


async def test_a_run_goes_on_from_its_cursor_batch_by_batch(
    home: NodeHome, clock: FakeClock
) -> None:
    async with points_node(home, clock) as p:
        store = await p.store()
        members = [await p.member(f"会員{i}") for i in range(3)]
        await set_ranks(p.node)
        for i, member in enumerate(members):
            await actions.earn(p.node, member.member_no, 60_000, f"pos-{i}", POS, store)
        clock.set(NEW_YEAR_2028)  # 2027: nobody spent, all go down
        zone, now = p.node.config.zone, clock.now()

        def step(conn: sqlite3.Connection) -> RecomputeStep:
            return rank_operations.recompute_step(conn, "system", now, zone, p.node.rng, batch=2)

        steps = [await p.node.require_writer().submit(step) for _ in range(4)]
        assert [(s.members, s.changed, s.finished) for s in steps] == [
            (2, 2, False),
            (1, 1, False),  # the rest, from the cursor: the run finishes
            (0, 0, True),  # finished: only floors that ended are looked at
            (0, 0, True),
        ]
        ranks = [await rank_of(p.node, m.member_no) for m in members]
        assert {r["rank"] for r in ranks} == {"ブロンズ"}
        assert all(len(r["changes"]) == 2 for r in ranks)  # one upgrade, one recompute each


async def test_table_versions_apply_from_their_moment(home: NodeHome, clock: FakeClock) -> None:
    async with points_node(home, clock) as p:
        made = await set_ranks(p.node)
        assert made["effective_from"] == "2026-11-24T01:00:00Z"
        with pytest.raises(InvalidRankTable) as same_moment:
            await set_ranks(p.node)
        assert same_moment.value.details["field"] == "effective_from"
        with pytest.raises(InvalidRankTable) as past:
            await rank_actions.set_table(
                p.node, "calendar_year", "01-01", LEVELS, "2026-11-23", "admin"
            )
        assert past.value.details["field"] == "effective_from"
        cheaper = [LEVELS[0], {**LEVELS[1], "min_spend_yen": 30_000}]
        later = await rank_actions.set_table(
            p.node, "rolling_12_months", "04-01", cheaper, "2027-04-01", "admin"
        )
        assert later["effective_from"] == "2027-03-31T15:00:00Z"
        shown = await rank_actions.show_table(p.node)
        assert shown["in_force"]["window"] == "calendar_year"
        assert [t["version_id"] for t in shown["scheduled"]] == [later["version_id"]]

        member = await p.member()
        store = await p.store()
        await actions.earn(p.node, member.member_no, 40_000, "pos-1", POS, store)
        assert (await rank_of(p.node, member.member_no))["rank"] == "ブロンズ"
        clock.set(datetime(2027, 3, 31, 15, 0, 1, tzinfo=UTC))
        await actions.earn(p.node, member.member_no, 1, "pos-2", POS, store)  # the new table
        assert (await rank_of(p.node, member.member_no))["rank"] == "シルバー"


async def test_the_periodic_job_recomputes_when_due(tmp_path: Any, clock: FakeClock) -> None:
    from tests.conftest import make_home

    home = make_home(tmp_path / "node")
    text = home.config_path.read_text(encoding="utf-8")
    fast, found = re.subn(
        r"^expiry_sweep_seconds = .*$", "expiry_sweep_seconds = 1", text, flags=re.M
    )
    assert found == 1
    home.config_path.write_text(fast, encoding="utf-8")
    async with points_node(home, clock) as p:
        store = await p.store()
        member = await p.member()
        await set_ranks(p.node)
        await actions.earn(p.node, member.member_no, 60_000, "pos-1", POS, store)
        clock.set(NEW_YEAR_2028)
        db = p.node.require_reader()
        for _ in range(100):  # the job runs every second; a few runs at most
            held = await rank_queries.member_rank(db, member.customer_id)
            if held is not None and held.name == "ブロンズ":
                break
            await asyncio.sleep(0.05)
        assert held is not None and (held.name, held.multiplier_pct) == ("ブロンズ", 100)
        changes = await rank_queries.changes(db, member.customer_id)
        assert [(c.reason.value, c.actor) for c in changes] == [
            ("recompute", "system"),
            ("upgrade", "system"),
        ]


async def test_a_purchase_after_a_floor_ended_earns_at_the_rank_earned(
    home: NodeHome, clock: FakeClock
) -> None:
    async with points_node(home, clock) as p:
        store = await p.store()
        member = await p.member()
        await set_ranks(p.node)
        await rank_actions.set_floor(
            p.node, member.member_no, "ゴールド", "2026-11-30", "開店記念", "admin"
        )
        during = await actions.earn(p.node, member.member_no, 1_000, "pos-1", POS, store)
        assert (during["points"], during["rank_pct"]) == (20, 200)
        clock.set(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))  # 1 Dec 00:00 in Tokyo: no sweep yet
        after = await actions.earn(p.node, member.member_no, 1_000, "pos-2", POS, store)
        assert (after["points"], after["rank_pct"]) == (10, 100)
        shown = await rank_of(p.node, member.member_no)
        assert (shown["rank"], shown["floor"]) == ("ブロンズ", None)
        assert [(c["to"], c["reason"]) for c in shown["changes"]] == [
            ("ブロンズ", "floor_end"),
            ("ゴールド", "manual"),
        ]


async def test_each_rank_change_queues_a_rank_changed_webhook(
    home: NodeHome, clock: FakeClock
) -> None:
    from node.webhooks import actions as webhook_actions
    from node.webhooks import queries as webhook_queries

    async with points_node(home, clock) as p:
        store = await p.store()
        member = await p.member()
        await set_ranks(p.node)
        hook = await webhook_actions.add(p.node, "http://127.0.0.1:9/hook", ["rank.changed"])
        await actions.earn(p.node, member.member_no, 10_000, "pos-1", POS, store)  # no change
        await actions.earn(p.node, member.member_no, 50_000, "pos-2", POS, store)
        await rank_actions.set_floor(
            p.node, member.member_no, "ゴールド", "2027-01-31", "お詫び", "admin"
        )
        sent = await webhook_queries.deliveries_of(p.node.require_reader(), hook["webhook_id"], 10)
        bodies = [json.loads(d.payload) for d in reversed(sent)]
        assert [d.event_type for d in sent] == ["rank.changed", "rank.changed"]
        assert [
            (b["data"]["from_rank"], b["data"]["to_rank"], b["data"]["reason"]) for b in bodies
        ] == [("ブロンズ", "シルバー", "upgrade"), ("シルバー", "ゴールド", "manual")]
        assert bodies[0]["data"]["member_no"] == member.member_no
