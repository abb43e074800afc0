"""Admin API of eligibility (what `kippu campaign serials` calls) and its OpenAPI parts: a batch
of serial codes (answered once, in plain, for printing), and one resident's proofs."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.campaigns import actions, eligibility_queries, serial_actions
from node.campaigns.model import Method
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


@body_input.accepts_query("customer_id")
async def list_proofs(request: web.Request) -> web.Response:
    node, campaign_id = request.app[NODE], request.match_info["campaign_id"]
    customer_id = body_input.required_text({**request.query}, "customer_id")
    await actions.require_campaign(node, campaign_id)
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
    ("GET", f"{BASE}/verifications", list_proofs),
)


def _proofs_operation() -> dict[str, Any]:
    operation = op(
        "A resident's proofs of eligibility for the campaign, by method",
        ref("Verifications"),
        params=("campaign_id",),
        query={"customer_id": text(64)},
        errors=(400, 404),
    )
    for parameter in operation["parameters"]:
        if parameter["name"] == "customer_id":
            parameter["required"] = True  # whose proofs: there is no listing of everyone's
    return operation


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
                errors=(404, 409, 422),
            )
        },
        f"{BASE}/verifications": {"get": _proofs_operation()},
    }


def eligibility_schemas() -> dict[str, Schema]:
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
