"""The grant route through the waiting room, and its ticket's poll (admin API and integration keys).

POST /api/v1/campaigns/{campaign_id}/grants answers 201 with the grant once durable, a refusal
(409 `campaign.sold_out`, `campaign.limit_reached`, ...), or in a rush 202 with a ticket:
{"campaign_id", "ticket", "position", "retry_after_ms"} (and a Retry-After header). GET
.../grants/tickets/{ticket} then answers the grant (200) once decided, its refusal, or 202 with
the new place.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.campaigns.rush import RUSH, Reply
from node.http import input as body_input
from node.http.caller import api_caller
from node.http.schema_parts import COUNT, ID, Schema, obj, op, ref, text

CUSTOMER_ID_CHARS = 64


def _answer(reply: Reply, made_status: int) -> web.Response:
    if reply.is_queued:
        retry_s = max(1, -(-int(reply.body["retry_after_ms"]) // 1000))
        return web.json_response(reply.body, status=202, headers={"Retry-After": str(retry_s)})
    return web.json_response(reply.body, status=made_status)


async def grant(request: web.Request) -> web.Response:
    """The office's (or an integration's) grant to a customer, by the same rules as a
    resident's, through the campaign's waiting room."""
    rush = request.app[RUSH].require()
    # After the stock is gone this is most of a rush's requests: answered before the body is
    # even read (whatever it says, the answer is the same, and nothing changes).
    rush.refuse_if_sold_out(request.match_info["campaign_id"])
    body = await body_input.read_body(request, {"customer_id"})
    customer_id = body_input.required_text(body, "customer_id", CUSTOMER_ID_CHARS)
    reply = await rush.ask(request.match_info["campaign_id"], customer_id, api_caller(request))
    return _answer(reply, 201)


async def grant_ticket(request: web.Request) -> web.Response:
    rush = request.app[RUSH].require()
    info = request.match_info
    return _answer(rush.poll(info["campaign_id"], info["ticket"], None), 200)


GRANTS = "/api/v1/campaigns/{campaign_id}/grants"
TICKET = f"{GRANTS}/tickets/{{ticket}}"


def rush_paths() -> dict[str, dict[str, Any]]:
    queued = ref("MunicipalGrantTicket")
    return {
        GRANTS: {
            "post": op(
                "The office's own grant to a customer, by the same rules as a resident's,"
                " through the campaign's waiting room: the grant (201), or in a rush a ticket"
                " and its place in line (202) to poll",
                ref("MunicipalGrant"),
                201,
                params=("campaign_id",),
                body="NewMunicipalGrant",
                errors=(403, 409, 422),
                also={202: queued},
            )
        },
        TICKET: {
            "get": op(
                "A waiting ticket: the grant once decided (200), its refusal, or its new place"
                " in line (202)",
                ref("MunicipalGrant"),
                params=("campaign_id", "ticket"),
                errors=(403, 409),
                also={202: queued},
            )
        },
    }


def rush_schemas() -> dict[str, Schema]:
    return {
        "NewMunicipalGrant": obj(["customer_id"], customer_id=text(CUSTOMER_ID_CHARS)),
        "MunicipalGrantTicket": obj(
            ["campaign_id", "ticket", "position", "retry_after_ms"],
            campaign_id=ID,
            ticket=ID,
            position=COUNT,
            retry_after_ms=COUNT,
        ),
    }
