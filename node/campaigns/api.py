"""Admin API of municipal campaigns (what `kippu campaign ...` calls) and its OpenAPI parts:
create, list, status (the budget and where each yen granted is), the office's own grant, close,
and a store's class (small local shop: 専用券 accepted).

Thin: each handler reads its body strictly and calls node/campaigns/actions.py, which the console
and the wallet share."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.campaigns import actions, core, rush_api
from node.campaigns.actions import CampaignInput
from node.campaigns.model import MAX_BOOK, MAX_NAME, MAX_ROUNDS, MAX_TERMS, CampaignKind, Method
from node.errors import InvalidCampaign
from node.http import input as body_input
from node.http.caller import api_caller
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
from node.moments import MOMENT_CORE
from node.runtime import NODE, Handler

CAMPAIGN_FIELDS = {
    "kind",
    "name",
    "face_yen",
    "starts_at",
    "ends_at",
    "use_until",
    "price_yen",
    "local_yen",
    "book_count",
    "stock",
    "per_person",
    "budget_yen",
    "terms",
    "eligibility",
    "postcodes",
    "rounds",
}
CUSTOMER_ID_CHARS = 64


async def list_campaigns(request: web.Request) -> web.Response:
    return web.json_response(await actions.list_campaigns(request.app[NODE]))


async def create_campaign(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, CAMPAIGN_FIELDS)
    sent = CampaignInput(**{key: body.get(key) for key in CAMPAIGN_FIELDS})
    made = await actions.create_campaign(request.app[NODE], sent, api_caller(request))
    return web.json_response(made, status=201)


async def campaign_status(request: web.Request) -> web.Response:
    node = request.app[NODE]
    return web.json_response(await actions.campaign_status(node, request.match_info["campaign_id"]))


async def close(request: web.Request) -> web.Response:
    await body_input.read_body(request, set())
    node = request.app[NODE]
    return web.json_response(await actions.close_campaign(node, request.match_info["campaign_id"]))


async def set_store_class(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"local"})
    local = body.get("local")
    if not isinstance(local, bool):
        raise InvalidCampaign("`local` is true or false.", field="local")
    node = request.app[NODE]
    return web.json_response(
        await actions.set_store_local(node, request.match_info["store_id"], local)
    )


BASE = "/api/v1/campaigns"
STORE_CLASS = "/api/v1/campaign-stores/{store_id}"
CAMPAIGN_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", BASE, list_campaigns),
    ("POST", BASE, create_campaign),
    ("GET", f"{BASE}/{{campaign_id}}", campaign_status),
    ("POST", rush_api.GRANTS, rush_api.grant),  # through the waiting room (rush.py)
    ("GET", rush_api.TICKET, rush_api.grant_ticket),
    ("POST", f"{BASE}/{{campaign_id}}/close", close),
    ("PUT", STORE_CLASS, set_store_class),
)


def campaign_paths() -> dict[str, dict[str, Any]]:
    one = ("campaign_id",)
    return {
        BASE: {
            "get": op(
                "Municipal campaigns, latest start first", list_of("campaigns", "MunicipalCampaign")
            ),
            "post": op(
                "Create a campaign: premium vouchers, first-come, lottery, ticket-book or survey"
                " coupons, with its stock and/or budget, period and eligibility checks",
                ref("MunicipalCampaign"),
                201,
                body="NewMunicipalCampaign",
                errors=(422,),
            ),
        },
        f"{BASE}/{{campaign_id}}": {
            "get": op(
                "A campaign's status: budget, granted, used, lapsed, outstanding, remaining",
                ref("MunicipalCampaignStatus"),
                params=one,
            )
        },
        **rush_api.rush_paths(),
        f"{BASE}/{{campaign_id}}/close": {
            "post": op(
                "Close the campaign: nothing more is granted (coupons granted stay usable)",
                ref("MunicipalCampaign"),
                params=one,
                body="Nothing",
            )
        },
        STORE_CLASS: {
            "put": op(
                "Mark a store a small local shop (its 専用券 accepted) or not",
                obj(["store_id", "local"], store_id=ID, local={"type": "boolean"}),
                params=("store_id",),
                body="MunicipalStoreClass",
                errors=(422,),
            )
        },
    }


def campaign_schemas() -> dict[str, Schema]:
    moment = {
        "type": "string",
        "pattern": f"^{MOMENT_CORE}$",
        "description": "ISO 8601 with its offset, in the years 2000-2999",
    }
    yen = whole(0, core.MAX_YEN)
    shown: dict[str, Schema] = {
        "campaign_id": ID,
        "kind": {"type": "string", "enum": [k.value for k in CampaignKind]},
        "name": {"type": "string"},
        "terms": {"type": "string"},
        "face_yen": COUNT,
        "price_yen": COUNT,
        "local_yen": COUNT,
        "book_count": COUNT,
        "grant_face_yen": COUNT,
        "stock": nullable(COUNT),
        "per_person": COUNT,
        "budget_yen": nullable(COUNT),
        "starts_at": TIME,
        "ends_at": TIME,
        "use_until": TIME,
        "eligibility": {"type": "array", "items": {"type": "string"}},
        "postcodes": {"type": "array", "items": {"type": "string"}},
        "rounds": {
            "type": "array",
            "items": obj(
                ["round_no", "opens_at", "stock"], round_no=COUNT, opens_at=TIME, stock=COUNT
            ),
        },
        "released": nullable(COUNT),
        "next_round_at": MAYBE_TIME,
        "granted_sets": COUNT,
        "granted_yen": COUNT,
        "remaining_yen": nullable(COUNT),
        "sold_out": {"type": "boolean"},
        "is_open": {"type": "boolean"},
        "closed_at": MAYBE_TIME,
        "created_at": TIME,
    }
    status: dict[str, Schema] = {
        **shown,
        "used_yen": COUNT,
        "lapsed_yen": COUNT,
        "outstanding_yen": COUNT,
        "paid_by_residents_yen": COUNT,
        "funded_by_budget_yen": COUNT,
        "paid_by_card_yen": COUNT,
        "paid_at_counter_yen": COUNT,
        "sold_by_card_sets": COUNT,
        "held_sets": COUNT,
        "held_yen": COUNT,
        "vouchers": COUNT,
        "reconciled": {"type": "boolean"},
    }
    granted: dict[str, Schema] = {
        "grant_id": ID,
        "campaign_id": ID,
        "customer_id": ID,
        "voucher_id": ID,
        "voucher_ids": {"type": "array", "items": ID},
        "face_yen": COUNT,
        "price_yen": COUNT,
        "seq": COUNT,
        "granted_at": TIME,
    }
    return {
        "NewMunicipalCampaign": obj(
            ["kind", "name", "face_yen", "starts_at", "ends_at"],
            kind={"type": "string", "enum": [k.value for k in CampaignKind]},
            name=text(MAX_NAME),
            face_yen=whole(1, core.MAX_YEN),
            starts_at=moment,
            ends_at=moment,
            use_until=nullable(moment),
            price_yen=nullable(yen),
            local_yen=nullable(yen),
            book_count=nullable(whole(1, MAX_BOOK)),
            stock=nullable(whole(1, core.MAX_STOCK)),
            per_person=nullable(whole(1, core.MAX_PER_PERSON)),
            budget_yen=nullable(whole(1, core.MAX_BUDGET_YEN)),
            terms=nullable({"type": "string", "maxLength": MAX_TERMS}),
            eligibility=nullable(
                {
                    "type": "array",
                    "uniqueItems": True,
                    "items": {"type": "string", "enum": [m.value for m in Method]},
                }
            ),
            postcodes=nullable(
                {
                    "type": "array",
                    "maxItems": core.MAX_POSTCODES,
                    "items": {"type": "string", "pattern": "^[0-9]{3}(-?[0-9]{4})?$"},
                }
            ),
            rounds=nullable(
                {
                    "type": "array",
                    "maxItems": MAX_ROUNDS,
                    "items": obj(
                        ["opens_at", "stock"], opens_at=moment, stock=whole(1, core.MAX_STOCK)
                    ),
                }
            ),
        ),
        "MunicipalCampaign": obj(list(shown), **shown),
        "MunicipalCampaignStatus": obj(list(status), **status),
        **rush_api.rush_schemas(),
        "MunicipalGrant": obj(list(granted), **granted),
        "MunicipalStoreClass": obj(["local"], local={"type": "boolean"}),
    }
