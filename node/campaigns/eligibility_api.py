"""Admin API of eligibility (what `kippu campaign serials` calls) and its OpenAPI parts: a batch
of serial codes (answered once, in plain, for printing), the campaign's area for the residence
check, and one resident's proofs."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.campaigns import eligibility_queries, residence_actions, serial_actions
from node.campaigns.residence import MAX_AREA_ENTRIES
from node.campaigns.verification_model import Method
from node.clock import iso
from node.http import input as body_input
from node.http.schema_parts import ID, TIME, Schema, obj, op, ref, text, whole
from node.runtime import NODE, Handler

BASE = "/api/v1/campaigns/{campaign_id}"


async def add_serials(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"count"})
    node, campaign_id = request.app[NODE], request.match_info["campaign_id"]
    answer = await serial_actions.generate_serials(node, campaign_id, body.get("count"))
    printed, used = await eligibility_queries.serial_counts(node.require_reader(), campaign_id)
    return web.json_response({**answer, "printed": printed, "used": used}, status=201)


async def put_area(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"postcodes"})
    node, campaign_id = request.app[NODE], request.match_info["campaign_id"]
    return web.json_response(
        await residence_actions.set_area(node, campaign_id, body.get("postcodes"))
    )


async def get_area(request: web.Request) -> web.Response:
    node, campaign_id = request.app[NODE], request.match_info["campaign_id"]
    return web.json_response(await residence_actions.show_area(node, campaign_id))


@body_input.accepts_query("customer_id")
async def list_proofs(request: web.Request) -> web.Response:
    node, campaign_id = request.app[NODE], request.match_info["campaign_id"]
    customer_id = body_input.required_text({**request.query}, "customer_id")
    proofs = await eligibility_queries.proofs_of(node.require_reader(), campaign_id, customer_id)
    return web.json_response(
        {
            "campaign_id": campaign_id,
            "customer_id": customer_id,
            "verifications": [
                {"method": p.method.value, "verified_at": iso(p.verified_at)} for p in proofs
            ],
        }
    )


ELIGIBILITY_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("POST", f"{BASE}/serials", add_serials),
    ("GET", f"{BASE}/postcodes", get_area),
    ("PUT", f"{BASE}/postcodes", put_area),
    ("GET", f"{BASE}/verifications", list_proofs),
)


def eligibility_paths() -> dict[str, dict[str, Any]]:
    params = ("campaign_id",)
    return {
        f"{BASE}/serials": {
            "post": op(
                "Draw a batch of serial codes for printing: only their hashes are kept, so this"
                " answer is the one place the plain codes exist",
                ref("SerialBatch"),
                201,
                params=params,
                body="NewSerialBatch",
                errors=(422,),
            )
        },
        f"{BASE}/postcodes": {
            "get": op("The campaign's area for the residence check", ref("Area"), params=params),
            "put": op(
                "Replace the campaign's area: 7-digit postcodes and 3-digit prefixes",
                ref("Area"),
                params=params,
                body="NewArea",
                errors=(422,),
            ),
        },
        f"{BASE}/verifications": {
            "get": op(
                "A resident's proofs of eligibility for the campaign, by method",
                ref("Verifications"),
                params=params,
                query={"customer_id": text(64)},
                errors=(400,),
            )
        },
    }


def eligibility_schemas() -> dict[str, Schema]:
    postcode: Schema = {"type": "string", "pattern": "^([0-9]{3}|[0-9]{7})$"}
    return {
        "NewSerialBatch": obj(["count"], count=whole(1, serial_actions.MAX_BATCH)),
        "SerialBatch": obj(
            ["campaign_id", "count", "serials", "printed", "used"],
            campaign_id=ID,
            count=whole(1, serial_actions.MAX_BATCH),
            serials={
                "type": "array",
                "items": {
                    "type": "string",
                    "pattern": "^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$",
                },
            },
            printed={"type": "integer", "minimum": 0},
            used={"type": "integer", "minimum": 0},
        ),
        "NewArea": obj(
            ["postcodes"],
            postcodes={
                "type": "array",
                "maxItems": MAX_AREA_ENTRIES,
                "items": text(20, "123-4567, 1234567 or a prefix 123"),
            },
        ),
        "Area": obj(
            ["campaign_id", "postcodes"],
            campaign_id=ID,
            postcodes={"type": "array", "items": postcode},
        ),
        "Verifications": obj(
            ["campaign_id", "customer_id", "verifications"],
            campaign_id=ID,
            customer_id=ID,
            verifications={
                "type": "array",
                "items": obj(
                    ["method", "verified_at"],
                    method={"type": "string", "enum": [m.value for m in Method]},
                    verified_at=TIME,
                ),
            },
        ),
    }
