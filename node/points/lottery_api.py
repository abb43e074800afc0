"""Admin API of point lotteries (what `kippu points lottery ...` calls) and its OpenAPI parts:
set up (the 景品表示法 limits checked), list, show (hash, commitment, seed once drawn, winners),
enter for a member by number, close, draw, cancel, and the draw file."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.errors import InvalidPoints
from node.http import input as body_input
from node.http.schema_parts import (
    COUNT,
    ID,
    MAYBE_TIME,
    TIME,
    Schema,
    list_of,
    nullable,
    obj,
    op,
    ref,
    text,
    whole,
)
from node.moments import MOMENT_CORE, parse_moment
from node.points import lottery_actions
from node.points.exchange_api import TXN, caller_txn
from node.points.lottery_model import LotteryState, LotteryTerms
from node.points.lottery_rules import (
    MAX_ENTRIES_PER_MEMBER,
    MAX_PRIZE_COUNT,
    MAX_PRIZES,
    MAX_RELATED_SALES_YEN,
    NAME_MAX,
    PRIZE_CEILING_YEN,
    prizes_from,
)
from node.points.model import MAX_POINTS
from node.runtime import NODE, Handler

ADMIN_ACTOR = "admin"
LOTTERY_FIELDS = {
    "name",
    "entry_points",
    "max_entries",
    "opens_at",
    "closes_at",
    "related_sales_yen",
    "prizes",
}


def terms_from(body: dict[str, Any]) -> LotteryTerms:
    return LotteryTerms(
        name=body.get("name", ""),  # checked by lottery_rules.check_terms
        entry_points=body.get("entry_points", 0),
        max_entries=1 if body.get("max_entries") is None else body["max_entries"],
        opens_at=parse_moment(body.get("opens_at"), "opens_at", error=InvalidPoints),
        closes_at=parse_moment(body.get("closes_at"), "closes_at", error=InvalidPoints),
        related_sales_yen=body.get("related_sales_yen", 0),
        prizes=prizes_from(body.get("prizes")),
    )


async def list_lotteries(request: web.Request) -> web.Response:
    return web.json_response(await lottery_actions.list_lotteries(request.app[NODE]))


async def add_lottery(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, LOTTERY_FIELDS)
    added = await lottery_actions.add_lottery(request.app[NODE], terms_from(body), ADMIN_ACTOR)
    return web.json_response(added, status=201)


async def show_lottery(request: web.Request) -> web.Response:
    node = request.app[NODE]
    return web.json_response(
        await lottery_actions.show_lottery(node, request.match_info["lottery_id"])
    )


async def enter(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"member_no", "txn"})
    member_no = body_input.required_text(body, "member_no", 20)
    node = request.app[NODE]
    made = await lottery_actions.enter_by_number(
        node, request.match_info["lottery_id"], member_no, ADMIN_ACTOR, caller_txn(body)
    )
    return web.json_response(made, status=201)


async def close(request: web.Request) -> web.Response:
    await body_input.read_body(request, set())
    node = request.app[NODE]
    return web.json_response(await lottery_actions.close(node, request.match_info["lottery_id"]))


async def draw(request: web.Request) -> web.Response:
    await body_input.read_body(request, set())
    node = request.app[NODE]
    return web.json_response(await lottery_actions.draw(node, request.match_info["lottery_id"]))


async def cancel(request: web.Request) -> web.Response:
    await body_input.read_body(request, set())
    node = request.app[NODE]
    return web.json_response(
        await lottery_actions.cancel(node, request.match_info["lottery_id"], ADMIN_ACTOR)
    )


async def export(request: web.Request) -> web.Response:
    node = request.app[NODE]
    return web.json_response(await lottery_actions.export(node, request.match_info["lottery_id"]))


BASE = "/api/v1/points/lotteries"
LOTTERY_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", BASE, list_lotteries),
    ("POST", BASE, add_lottery),
    ("GET", f"{BASE}/{{lottery_id}}", show_lottery),
    ("POST", f"{BASE}/{{lottery_id}}/entries", enter),
    ("POST", f"{BASE}/{{lottery_id}}/close", close),
    ("POST", f"{BASE}/{{lottery_id}}/draw", draw),
    ("POST", f"{BASE}/{{lottery_id}}/cancel", cancel),
    ("GET", f"{BASE}/{{lottery_id}}/export", export),
)


def lottery_paths() -> dict[str, dict[str, Any]]:
    one = ("lottery_id",)
    return {
        BASE: {
            "get": op("Point lotteries, latest opening first", list_of("lotteries", "Lottery")),
            "post": op(
                "Set a point lottery up: prizes checked against 景品表示法 (each at most 20x the"
                " entry's yen value and ¥100,000; all at most 2 % of the related sales); a secret"
                " seed drawn, its SHA-256 commitment published",
                ref("Lottery"),
                201,
                body="NewLottery",
                errors=(422,),
            ),
        },
        f"{BASE}/{{lottery_id}}": {
            "get": op(
                "One lottery with its winners (and their member numbers)",
                ref("LotteryShown"),
                params=one,
            )
        },
        f"{BASE}/{{lottery_id}}/entries": {
            "post": op(
                "Enter a member by number: the entry's points taken, a ticket numbered next",
                ref("LotteryTicket"),
                201,
                params=one,
                body="NewLotteryEntry",
                errors=(409, 422),
            )
        },
        **{
            f"{BASE}/{{lottery_id}}/{action}": {
                "post": op(
                    summary, ref("LotteryShown"), params=one, body="Nothing", errors=(409, 422)
                )
            }
            for action, summary in (
                ("close", "Close after its period: the entries' canonical hash published"),
                ("draw", "Draw after the close: the seed revealed, the winners recorded"),
                ("cancel", "Cancel before the draw: every entry's points given back"),
            )
        },
        f"{BASE}/{{lottery_id}}/export": {
            "get": op(
                "The draw file `kippu points verify-draw` checks: terms, entries, hash,"
                " commitment, seed, winners",
                ref("DrawFile"),
                params=one,
                errors=(409,),
            )
        },
    }


def lottery_schemas() -> dict[str, Schema]:
    moment_text = {
        "type": "string",
        "pattern": f"^{MOMENT_CORE}$",
        "description": "ISO 8601 with its offset, in the years 2000-2999",
    }
    prize = obj(
        ["name", "value_yen", "count"],
        name=text(NAME_MAX),
        value_yen=whole(1, PRIZE_CEILING_YEN * 10),
        count=whole(1, MAX_PRIZE_COUNT),
    )
    terms: dict[str, Schema] = {
        "lottery_id": ID,
        "name": {"type": "string"},
        "entry_points": whole(1, MAX_POINTS),
        "max_entries": whole(1, MAX_ENTRIES_PER_MEMBER),
        "opens_at": TIME,
        "closes_at": TIME,
        "related_sales_yen": COUNT,
        "point_value_yen": COUNT,
        "prizes": {"type": "array", "items": prize},
    }
    shown: dict[str, Schema] = {
        **terms,
        "state": {"type": "string", "enum": [s.value for s in LotteryState]},
        "entry_value_yen": COUNT,
        "prize_limit_yen": COUNT,
        "prize_total_yen": COUNT,
        "prize_total_limit_yen": COUNT,
        "commitment": {"type": "string", "description": "SHA-256 of the seed, hex"},
        "entries_hash": {"type": ["string", "null"], "description": "set at the close, hex"},
        "seed": {"type": ["string", "null"], "description": "revealed at the draw, hex"},
        "entry_count": COUNT,
        "created_at": TIME,
        "closed_at": MAYBE_TIME,
        "drawn_at": MAYBE_TIME,
        "cancelled_at": MAYBE_TIME,
    }
    winner: dict[str, Schema] = {
        "place": COUNT,
        "ticket": ID,
        "prize": COUNT,
        "prize_name": {"type": "string"},
        "value_yen": COUNT,
        "member_no": {"type": "string"},
    }
    winners = {"type": "array", "items": obj(list(winner), **winner)}
    drawn = obj(["place", "ticket", "prize"], place=COUNT, ticket=ID, prize=COUNT)
    return {
        "NewLottery": obj(
            ["name", "entry_points", "opens_at", "closes_at", "related_sales_yen", "prizes"],
            name=text(NAME_MAX),
            entry_points=whole(1, MAX_POINTS),
            max_entries=nullable(whole(1, MAX_ENTRIES_PER_MEMBER)),
            opens_at=moment_text,
            closes_at=moment_text,
            related_sales_yen=whole(1, MAX_RELATED_SALES_YEN),
            prizes={"type": "array", "minItems": 1, "maxItems": MAX_PRIZES, "items": prize},
        ),
        "Lottery": obj(list(shown), **shown),
        "LotteryShown": obj(
            [*shown, "winners"],
            **shown,
            winners=winners,
            refunded={"type": "integer", "minimum": 0, "description": "cancel only"},
        ),
        "NewLotteryEntry": obj(["member_no"], member_no=text(20), txn=nullable(TXN)),
        "LotteryTicket": obj(
            ["lottery_id", "ticket", "seq", "member_no", "balance"],
            lottery_id=ID,
            ticket=ID,
            seq={"type": "integer", "minimum": 1},
            member_no={"type": "string"},
            balance=COUNT,
            replayed={"type": "boolean", "description": "with `txn`: the first answer again"},
        ),
        "DrawFile": obj(
            ["format", "lottery", "entries", "entries_hash", "commitment", "seed", "winners"],
            format={"type": "string"},
            lottery=obj(list(terms), **terms),
            entries={"type": "array", "items": ID},
            entries_hash={"type": "string"},
            commitment={"type": "string"},
            seed={"type": "string"},
            winners={"type": "array", "items": drawn},
        ),
    }
