"""Admin API for member ranks (会員ランク): the rank table (GET/PUT /api/v1/points/ranks), a
member's rank (GET /api/v1/members/{member_no}/rank), a manual floor (POST .../rank-floor) and
the recompute run now (POST /api/v1/points/ranks/recompute), with their OpenAPI parts; and the
periodic job that recomputes once the recompute moment has passed and ends floors that ran out,
installed by node/app.py."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web

from node.http import input as body_input
from node.http.schema_parts import (
    COUNT,
    MAYBE_TIME,
    TIME,
    Schema,
    nullable,
    obj,
    op,
    ref,
    text,
    text_matching,
    whole,
)
from node.periodic import every
from node.points import rank_actions
from node.points.model import MAX_REASON_CHARS
from node.points.rank_core import MAX_MIN_SPEND_YEN
from node.points.rank_model import (
    MAX_LEVEL_NAME_CHARS,
    MAX_LEVELS,
    MAX_MULTIPLIER_PCT,
    MIN_MULTIPLIER_PCT,
    ChangeReason,
    SpendWindow,
)
from node.runtime import NODE, Handler

log = logging.getLogger(__name__)

ADMIN_ACTOR = "admin"
SYSTEM_ACTOR = "system"
DAY_CORE = "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
RECOMPUTE_CORE = "(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"


async def show_table(request: web.Request) -> web.Response:
    return web.json_response(await rank_actions.show_table(request.app[NODE]))


async def set_table(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"window", "recompute", "levels", "effective_from"})
    made = await rank_actions.set_table(
        request.app[NODE],
        body.get("window"),
        body.get("recompute"),
        body.get("levels"),
        body.get("effective_from"),
        ADMIN_ACTOR,
    )
    return web.json_response(made)


async def member_rank(request: web.Request) -> web.Response:
    node = request.app[NODE]
    return web.json_response(await rank_actions.member_rank(node, request.match_info["member_no"]))


async def set_floor(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"rank", "floor_until", "reason"})
    answer = await rank_actions.set_floor(
        request.app[NODE],
        request.match_info["member_no"],
        body.get("rank"),
        body.get("floor_until"),
        body.get("reason"),
        ADMIN_ACTOR,
    )
    return web.json_response(answer)


async def recompute(request: web.Request) -> web.Response:
    await body_input.read_body(request, set())
    return web.json_response(await rank_actions.recompute(request.app[NODE], ADMIN_ACTOR))


RANK_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", "/api/v1/points/ranks", show_table),
    ("PUT", "/api/v1/points/ranks", set_table),
    ("POST", "/api/v1/points/ranks/recompute", recompute),
    ("GET", "/api/v1/members/{member_no}/rank", member_rank),
    ("POST", "/api/v1/members/{member_no}/rank-floor", set_floor),
)


# -- the periodic job ------------------------------------------------------------------------


def install(app: web.Application) -> None:
    """Before the app starts: the job that runs the recompute when it is due."""
    app.cleanup_ctx.append(_rank_job_ctx)


async def _rank_job_ctx(app: web.Application) -> AsyncIterator[None]:
    node = app[NODE]

    async def run() -> None:
        await rank_actions.recompute(node, SYSTEM_ACTOR)

    async with every(node.config.ledger.expiry_sweep_seconds, run, "rank-recompute", log):
        yield


# -- the OpenAPI parts -----------------------------------------------------------------------


def rank_paths() -> dict[str, dict[str, Any]]:
    member = ("member_no",)
    return {
        "/api/v1/points/ranks": {
            "get": op(
                "The member rank table (会員ランク) in force, and versions set to start later",
                ref("RankTables"),
            ),
            "put": op(
                "A new version of the rank table from `effective_from` (default now): the spend"
                " window, the recompute day and the levels, lowest (0 yen, 100 %) first",
                ref("RankTable"),
                body="NewRankTable",
                errors=(422,),
            ),
        },
        "/api/v1/points/ranks/recompute": {
            "post": op(
                "Run what is due now: the recompute of the latest recompute moment (once), and"
                " the floors that have ended",
                ref("RankRecompute"),
                body="Nothing",
            )
        },
        "/api/v1/members/{member_no}/rank": {
            "get": op(
                "A member's rank: multiplier, spend in the window, the next rank and the yen"
                " left to it, the manual floor, the next recompute, the changes",
                ref("MemberRank"),
                params=member,
            )
        },
        "/api/v1/members/{member_no}/rank-floor": {
            "post": op(
                "A manual rank: the member holds at least `rank` through `floor_until` (never"
                " lower than the rank held; it ends by itself)",
                ref("MemberRank"),
                params=member,
                body="RankFloor",
                errors=(409, 422),
            )
        },
    }


def rank_schemas() -> dict[str, Schema]:
    window = {"type": "string", "enum": [w.value for w in SpendWindow]}
    level = obj(
        ["name", "min_spend_yen", "multiplier_pct"],
        name=text(MAX_LEVEL_NAME_CHARS),
        min_spend_yen=whole(0, MAX_MIN_SPEND_YEN),
        multiplier_pct=whole(MIN_MULTIPLIER_PCT, MAX_MULTIPLIER_PCT),
    )
    table = obj(
        [
            "version_id",
            "effective_from",
            "window",
            "recompute",
            "levels",
            "created_at",
            "created_by",
        ],
        version_id={"type": "string"},
        effective_from=TIME,
        window=window,
        recompute={"type": "string", "description": "MM-DD, local midnight"},
        levels={"type": "array", "items": ref("RankLevel")},
        created_at=TIME,
        created_by={"type": "string"},
    )
    maybe_int = {"type": ["integer", "null"], "minimum": 0}
    floor = obj(
        ["rank", "until", "reason"],
        rank={"type": "string"},
        until=TIME,
        reason={"type": ["string", "null"]},
    )
    change = obj(
        ["from", "to", "reason", "at", "actor"],
        **{"from": {"type": ["string", "null"]}},
        to={"type": "string"},
        reason={"type": "string", "enum": [r.value for r in ChangeReason]},
        at=TIME,
        actor={"type": "string"},
    )
    return {
        "RankLevel": level,
        "RankTable": table,
        "RankTables": obj(
            ["in_force", "scheduled"],
            in_force=nullable(ref("RankTable")),
            scheduled={"type": "array", "items": ref("RankTable")},
        ),
        "NewRankTable": obj(
            ["window", "recompute", "levels"],
            window=window,
            recompute=text_matching(RECOMPUTE_CORE, 5, "MM-DD (day 1-28), local midnight"),
            levels={"type": "array", "minItems": 1, "maxItems": MAX_LEVELS, "items": level},
            effective_from=nullable(
                text(64, "a day (YYYY-MM-DD, its local midnight) or an ISO 8601 time with offset")
            ),
        ),
        "RankFloor": obj(
            ["rank", "floor_until", "reason"],
            rank=text(MAX_LEVEL_NAME_CHARS),
            floor_until=text_matching(DAY_CORE, 20, "the floor's last day (local), YYYY-MM-DD"),
            reason=text(MAX_REASON_CHARS),
        ),
        "RankRecompute": obj(
            ["period_start", "version_id", "members", "changed", "floors_ended"],
            period_start=MAYBE_TIME,
            version_id={"type": ["string", "null"]},
            members=COUNT,
            changed=COUNT,
            floors_ended=COUNT,
        ),
        "RankChange": change,
        "RankFloorShown": floor,
        "MemberRank": obj(
            [
                "member_no",
                "ranked",
                "rank",
                "multiplier_pct",
                "since",
                "window",
                "window_starts_at",
                "window_ends_at",
                "window_spend_yen",
                "next_rank",
                "yen_to_next",
                "floor",
                "last_recompute_at",
                "next_recompute_at",
                "changes",
            ],
            member_no={"type": "string"},
            ranked={"type": "boolean", "description": "false while no rank table is set"},
            rank={"type": ["string", "null"]},
            multiplier_pct=whole(MIN_MULTIPLIER_PCT, MAX_MULTIPLIER_PCT),
            since=MAYBE_TIME,
            window={"type": ["string", "null"], "enum": [*(w.value for w in SpendWindow), None]},
            window_starts_at=MAYBE_TIME,
            window_ends_at=MAYBE_TIME,
            window_spend_yen=maybe_int,
            next_rank={"type": ["string", "null"]},
            yen_to_next=maybe_int,
            floor=nullable(ref("RankFloorShown")),
            last_recompute_at=MAYBE_TIME,
            next_recompute_at=MAYBE_TIME,
            changes={"type": "array", "items": ref("RankChange")},
        ),
    }
