"""Member ranks through the admin API and `kippu rank ...` against a real node: the table set
and shown, a member's rank with its progress, a manual floor, the recompute run now; refusals
with their stable codes and the field at fault, changing nothing."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from click.testing import CliRunner, Result

from cli import main
from node.config import ListenAddress, render_config
from node.home import NodeHome
from node.points import actions
from node.points.actions import Caller
from tests.conftest import FakeClock
from tests.points_helpers import PointsNode, points_node

POS = Caller("key:ak_pos")
LEVELS = [
    {"name": "ブロンズ", "min_spend_yen": 0, "multiplier_pct": 100},
    {"name": "シルバー", "min_spend_yen": 50_000, "multiplier_pct": 150},
    {"name": "ゴールド", "min_spend_yen": 200_000, "multiplier_pct": 200},
]
TABLE = {"window": "calendar_year", "recompute": "01-01", "levels": LEVELS}


async def test_the_rank_api_round_trip_and_its_refusals(home: NodeHome, clock: FakeClock) -> None:
    async with points_node(home, clock) as p:
        assert await p.admin("GET", "points/ranks") == (200, {"in_force": None, "scheduled": []})
        for body, field in [
            ({**TABLE, "window": "weekly"}, "window"),
            ({**TABLE, "recompute": "02-30"}, "recompute"),
            ({**TABLE, "levels": [LEVELS[1]]}, "levels"),
            ({**TABLE, "effective_from": "yesterday"}, "effective_from"),
            ({**TABLE, "effective_from": "2020-01-01"}, "effective_from"),
        ]:
            status, refused = await p.admin("PUT", "points/ranks", body)
            assert (status, refused["error"]["code"], refused["error"]["field"]) == (
                422,
                "rank.invalid",
                field,
            )
        status, extra = await p.admin("PUT", "points/ranks", {**TABLE, "tiers": []})
        assert status == 400, extra
        assert (await p.admin("GET", "points/ranks"))[1]["in_force"] is None  # nothing changed

        status, made = await p.admin("PUT", "points/ranks", TABLE)
        assert status == 200 and made["recompute"] == "01-01" and made["created_by"] == "admin"
        status, shown = await p.admin("GET", "points/ranks")
        assert shown["in_force"] == made

        member = await p.member()
        store = await p.store()
        await actions.earn(p.node, member.member_no, 120_000, "pos-1", POS, store)
        status, rank = await p.admin("GET", f"members/{member.member_no}/rank")
        assert status == 200
        assert (rank["rank"], rank["yen_to_next"], rank["window_spend_yen"]) == (
            "シルバー",
            80_000,
            120_000,
        )
        assert (await p.admin("GET", "members/0000000000/rank"))[0] == 404

        floor = {"rank": "ゴールド", "floor_until": "2027-03-31", "reason": "VIP移行"}
        for body, status_code, code, field in [
            ({**floor, "rank": "ブロンズ"}, 409, "rank.floor_refused", "rank"),
            ({**floor, "rank": "ダイヤ"}, 409, "rank.floor_refused", "rank"),
            ({**floor, "floor_until": "2026-11-24"}, 409, "rank.floor_refused", "floor_until"),
            ({**floor, "floor_until": "2027-02-30"}, 422, "points.invalid", "floor_until"),
            ({**floor, "reason": "  "}, 422, "points.invalid", "reason"),
        ]:
            status, refused = await p.admin("POST", f"members/{member.member_no}/rank-floor", body)
            assert (status, refused["error"]["code"], refused["error"]["field"]) == (
                status_code,
                code,
                field,
            ), refused
        unchanged = (await p.admin("GET", f"members/{member.member_no}/rank"))[1]
        assert unchanged == rank

        status, floored = await p.admin("POST", f"members/{member.member_no}/rank-floor", floor)
        assert status == 200
        assert (floored["rank"], floored["multiplier_pct"], floored["floor"]["reason"]) == (
            "ゴールド",
            200,
            "VIP移行",
        )
        status, ran = await p.admin("POST", "points/ranks/recompute")
        assert status == 200
        assert ran == {
            "period_start": None,  # the table began after this year's recompute day
            "version_id": None,
            "members": 0,
            "changed": 0,
            "floors_ended": 0,
        }


def _serve_cli(p: PointsNode, home: NodeHome) -> None:
    """The CLI finds the node through config.toml and admin.token, as in production."""
    port = int(p.base_url.rsplit(":", 1)[1])
    home.config_path.write_text(
        render_config(
            p.node.config.node.name,
            ListenAddress("127.0.0.1", port),
            registration_number=p.node.config.issuer.registration_number,
        ),
        encoding="utf-8",
    )
    home.token_path.write_text(p.node.admin_token + "\n", encoding="ascii")
    home.token_path.chmod(0o600)


async def kippu(home: NodeHome, *args: str) -> Result:
    """`kippu ...` in a thread, so the node in this loop can answer it."""
    return await asyncio.to_thread(
        CliRunner().invoke, main, [*args, "--home", str(home.root)], catch_exceptions=False
    )


async def refused(home: NodeHome, *args: str) -> dict[str, Any]:
    result = await kippu(home, *args, "--json")
    assert result.exit_code == 1, result.output
    error: dict[str, Any] = json.loads(result.stderr)["error"]
    return error


async def test_kippu_rank_commands(home: NodeHome, clock: FakeClock) -> None:
    async with points_node(home, clock) as p:
        _serve_cli(p, home)
        levels = ("--level", "ブロンズ:0:100", "--level", "シルバー:50000:150")
        setting = ("rank", "set", "--window", "rolling_12_months", "--recompute", "04-01")
        made = await kippu(home, *setting, *levels, "--json")
        assert made.exit_code == 0, made.output
        table = json.loads(made.stdout)
        assert (table["window"], [lv["name"] for lv in table["levels"]]) == (
            "rolling_12_months",
            ["ブロンズ", "シルバー"],
        )
        shown = await kippu(home, "rank", "show")
        assert shown.exit_code == 0 and "シルバー" in shown.stdout and "04-01" in shown.stdout

        bad = await refused(home, *setting, "--level", "ブロンズ:0:100", "--level", "金:10:90")
        assert (bad["code"], bad["field"]) == ("rank.invalid", "levels")
        later = ("--effective-from", "2026-11-24")  # today's midnight: already past
        past = await refused(home, *setting, *levels, *later)
        assert (past["code"], past["field"]) == ("rank.invalid", "effective_from")
        malformed = await kippu(home, *setting, "--level", "ブロンズ-0-100")
        assert malformed.exit_code == 2 and "NAME:MIN_YEN:MULTIPLIER_PCT" in malformed.output

        member = await p.member()
        store = await p.store()
        await actions.earn(p.node, member.member_no, 50_000, "pos-1", POS, store)
        rank = await kippu(home, "rank", "member", member.member_no)
        assert rank.exit_code == 0 and "rank: シルバー" in rank.stdout
        floor = ("rank", "floor", member.member_no, "--rank", "シルバー", "--until", "2027-06-30")
        floored = await kippu(home, *floor, "--reason", "引継ぎ", "--json")
        assert floored.exit_code == 0, floored.output
        assert json.loads(floored.stdout)["floor"]["until"] == "2027-06-30T15:00:00Z"
        lower = await refused(home, *floor[:4], "ブロンズ", *floor[5:], "--reason", "x")
        assert (lower["code"], lower["field"]) == ("rank.floor_refused", "rank")
        missing = await refused(home, "rank", "member", "0000000000")
        assert missing["code"] == "member.not_found"

        clock.set(clock.now().replace(year=2027, month=4, day=1))
        ran = await kippu(home, "rank", "recompute", "--json")
        assert ran.exit_code == 0, ran.output
        summary = json.loads(ran.stdout)
        assert (summary["period_start"], summary["members"]) == ("2027-03-31T15:00:00Z", 1)
