"""Admin API of lottery campaigns (what `kippu campaign lottery-setup|apply|close-entries|draw|
claim|export-draw` call) and its OpenAPI parts. Thin: each handler reads its body strictly and
calls node/campaigns/lottery_actions.py, which the console and the wallet share."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.campaigns import draw, lottery_actions
from node.campaigns.api import CUSTOMER_ID_CHARS
from node.campaigns.gate_model import SeedMode, WinState
from node.campaigns.lottery_rules import MAX_BEACON_NAME, MAX_CLAIM_DAYS
from node.http import input as body_input
from node.http.caller import api_caller
from node.http.schema_parts import (
    COUNT,
    ID,
    MAYBE_TIME,
    TIME,
    Schema,
    nullable,
    obj,
    op,
    ref,
    text,
    whole,
)
from node.moments import MOMENT_CORE
from node.runtime import NODE, Handler

BASE = "/api/v1/campaigns/{campaign_id}/lottery"
SET_UP_FIELDS = {
    "seed_mode",
    "entries_until",
    "claim_days",
    "commitment",
    "beacon_name",
    "beacon_round",
}
HEX64 = {"type": "string", "pattern": "^[0-9a-fA-F]{64}$"}


def _campaign_id(request: web.Request) -> str:
    return request.match_info["campaign_id"]


async def set_up(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, SET_UP_FIELDS)
    made = await lottery_actions.set_up(
        request.app[NODE],
        _campaign_id(request),
        body.get("seed_mode"),
        body.get("entries_until"),
        body.get("claim_days"),
        commitment=body.get("commitment"),
        beacon_name=body.get("beacon_name"),
        beacon_round=body.get("beacon_round"),
        actor=api_caller(request),
    )
    return web.json_response(made, status=201)


async def status(request: web.Request) -> web.Response:
    answer = await lottery_actions.lottery_status(request.app[NODE], _campaign_id(request))
    return web.json_response(answer)


async def apply(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"customer_id"})
    customer_id = body_input.required_text(body, "customer_id", CUSTOMER_ID_CHARS)
    made = await lottery_actions.apply(request.app[NODE], _campaign_id(request), customer_id)
    return web.json_response(made, status=201)


async def standing(request: web.Request) -> web.Response:
    answer = await lottery_actions.standing(
        request.app[NODE], _campaign_id(request), request.match_info["customer_id"]
    )
    return web.json_response(answer)


async def close_entries(request: web.Request) -> web.Response:
    await body_input.read_body(request, set())
    answer = await lottery_actions.close_entries(request.app[NODE], _campaign_id(request))
    return web.json_response(answer)


async def draw_next(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"secret", "beacon_round", "beacon_value"})
    made = await lottery_actions.draw_round(
        request.app[NODE],
        _campaign_id(request),
        secret=body.get("secret"),
        beacon_round=body.get("beacon_round"),
        beacon_value=body.get("beacon_value"),
        actor=api_caller(request),
    )
    return web.json_response(made, status=201)


async def claim(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"customer_id"})
    customer_id = body_input.required_text(body, "customer_id", CUSTOMER_ID_CHARS)
    made = await lottery_actions.claim(
        request.app[NODE], _campaign_id(request), customer_id, api_caller(request)
    )
    return web.json_response(made, status=201)


async def draw_file(request: web.Request) -> web.Response:
    answer = await lottery_actions.draw_file(request.app[NODE], _campaign_id(request))
    return web.json_response(answer)


LOTTERY_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("PUT", BASE, set_up),
    ("GET", BASE, status),
    ("POST", f"{BASE}/entries", apply),
    ("GET", f"{BASE}/entries/{{customer_id}}", standing),
    ("POST", f"{BASE}/close", close_entries),
    ("POST", f"{BASE}/draws", draw_next),
    ("POST", f"{BASE}/claims", claim),
    ("GET", f"{BASE}/draw-file", draw_file),
)


def lottery_paths() -> dict[str, dict[str, Any]]:
    one = ("campaign_id",)
    return {
        BASE: {
            "put": op(
                "Set up a lottery campaign's draw: the seed's source (the office's committed"
                " secret or a public beacon), the end of applications, the days to claim",
                ref("MunicipalLottery"),
                201,
                params=one,
                body="NewMunicipalLottery",
                errors=(409, 422),
            ),
            "get": op(
                "A lottery's set-up, entries, rounds, winners and claims",
                ref("MunicipalLotteryStatus"),
                params=one,
                errors=(409,),
            ),
        },
        f"{BASE}/entries": {
            "post": op(
                "Apply for a resident (one application per person, within the period, with"
                " the campaign's checks passed)",
                ref("MunicipalLotteryEntry"),
                201,
                params=one,
                body="NewMunicipalGrant",
                errors=(403, 409, 422),
            )
        },
        f"{BASE}/entries/{{customer_id}}": {
            "get": op(
                "A resident's standing: applied, won (claim by), claimed, expired, not won",
                ref("MunicipalLotteryStanding"),
                params=("campaign_id", "customer_id"),
                errors=(409,),
            )
        },
        f"{BASE}/close": {
            "post": op(
                "Close the entries after the application period: their count and hash are"
                " published from now on",
                ref("MunicipalLottery"),
                params=one,
                body="Nothing",
                errors=(409,),
            )
        },
        f"{BASE}/draws": {
            "post": op(
                "Draw the next round: round 1 for the stock, later rounds from the entries not"
                " won for the wins left unclaimed after the claim deadline",
                ref("MunicipalLotteryRound"),
                201,
                params=one,
                body="NewMunicipalDraw",
                errors=(409, 422),
            )
        },
        f"{BASE}/claims": {
            "post": op(
                "A winner's claim: the coupon granted by the campaign's rules",
                ref("MunicipalGrant"),
                201,
                params=one,
                body="NewMunicipalGrant",
                errors=(403, 409, 422),
            )
        },
        f"{BASE}/draw-file": {
            "get": op(
                "The draw file `kippu campaign verify-draw` checks: entries, their hash, the"
                " commitment or beacon, each round's seed and winners",
                ref("MunicipalDrawFile"),
                params=one,
                errors=(409,),
            )
        },
    }


def lottery_schemas() -> dict[str, Schema]:
    moment = {"type": "string", "pattern": f"^{MOMENT_CORE}$"}
    hex_seed = {"type": "string", "pattern": "^[0-9a-fA-F]{32,128}$"}
    set_up_shown: dict[str, Schema] = {
        "campaign_id": ID,
        "seed_mode": {"type": "string", "enum": [m.value for m in SeedMode]},
        "commitment": nullable(HEX64),
        "beacon_name": {"type": "string"},
        "beacon_round": nullable(COUNT),
        "entries_until": TIME,
        "claim_days": COUNT,
        "entries_closed_at": MAYBE_TIME,
        "entry_count": nullable(COUNT),
        "entries_hash": nullable(HEX64),
    }
    round_shown: dict[str, Schema] = {
        "round": COUNT,
        "entries_hash": HEX64,
        "entry_count": COUNT,
        "seed": hex_seed,
        "beacon_round": nullable(COUNT),
        "asked": COUNT,
        "claim_until": TIME,
        "drawn_at": TIME,
        "winners": {"type": "array", "items": ID},
        "claimed": COUNT,
    }
    standing: dict[str, Schema] = {
        "campaign_id": ID,
        "state": {"type": "string", "enum": [s.value for s in WinState]},
        "entry_id": nullable(ID),
        "entries_until": TIME,
        "may_apply": {"type": "boolean"},
        "claim_until": MAYBE_TIME,
        "grant_id": nullable(ID),
        "round": nullable(COUNT),
    }
    status: dict[str, Schema] = {
        **set_up_shown,
        "campaign": ref("MunicipalCampaign"),
        "entries": COUNT,
        "rounds": {"type": "array", "items": ref("MunicipalLotteryRound")},
        "winners": COUNT,
        "claimed": COUNT,
        "to_draw": COUNT,
    }
    return {
        "NewMunicipalLottery": obj(
            ["seed_mode", "entries_until", "claim_days"],
            seed_mode={"type": "string", "enum": [m.value for m in SeedMode]},
            entries_until=moment,
            claim_days=whole(1, MAX_CLAIM_DAYS),
            commitment=nullable(HEX64),
            beacon_name=nullable(text(MAX_BEACON_NAME)),
            beacon_round=nullable(whole(0, 2**53 - 1)),
        ),
        "MunicipalLottery": obj(list(set_up_shown), **set_up_shown),
        "MunicipalLotteryStatus": obj(list(status), **status),
        "MunicipalLotteryEntry": obj(
            ["campaign_id", "customer_id", "entry_id"], campaign_id=ID, customer_id=ID, entry_id=ID
        ),
        "MunicipalLotteryStanding": obj(list(standing), **standing),
        "NewMunicipalDraw": obj(
            [],
            secret=nullable(HEX64),
            beacon_round=nullable(whole(0, 2**53 - 1)),
            beacon_value=nullable(hex_seed),
        ),
        "MunicipalDrawFile": _draw_file_schema(hex_seed),
        "MunicipalLotteryRound": obj(list(round_shown), **round_shown, campaign_id=ID),
    }


def _draw_file_schema(hex_seed: Schema) -> Schema:
    published_round: dict[str, Schema] = {
        "round": COUNT,
        "entries_hash": HEX64,
        "seed": hex_seed,
        "beacon_round": nullable(COUNT),
        "count": COUNT,
        "winners": {"type": "array", "items": ID},
    }
    campaign: dict[str, Schema] = {
        "campaign_id": ID,
        "name": {"type": "string"},
        "stock": nullable(COUNT),
        "face_yen": COUNT,
    }
    shown: dict[str, Schema] = {
        "format": {"type": "string", "enum": [draw.FORMAT]},
        "campaign": obj(list(campaign), **campaign),
        "seed_mode": {"type": "string", "enum": [m.value for m in SeedMode]},
        "commitment": nullable(HEX64),
        "beacon_name": nullable({"type": "string"}),
        "entries_closed_at": MAYBE_TIME,
        "entries_hash": nullable(HEX64),
        "entries": {"type": "array", "items": ID},
        "rounds": {"type": "array", "items": obj(list(published_round), **published_round)},
    }
    return obj(list(shown), **shown)
