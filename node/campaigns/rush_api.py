"""The grant route through the waiting room, and its ticket's poll (admin API and integration keys).

POST /api/v1/campaigns/{campaign_id}/grants answers 201 with the grant once durable, a refusal
(409 `campaign.sold_out`, `campaign.limit_reached`, ...), or in a rush 202 with a ticket:
{"campaign_id", "ticket", "position", "retry_after_ms"} (and a Retry-After header). GET
.../grants/tickets/{ticket} then answers the grant (200) once decided, its refusal, or 202 with
the new place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web

from node.campaigns import actions, grant_keys
from node.campaigns.grant_keys import GrantKey
from node.campaigns.rush import RUSH, GrantRush, Reply
from node.errors import CampaignSoldOut
from node.http import input as body_input
from node.http.caller import api_caller
from node.http.schema_parts import COUNT, ID, Schema, obj, op, ref, text
from node.runtime import NODE, Node

CUSTOMER_ID_CHARS = 64


@dataclass(frozen=True)
class Answer:
    """What a grant or a ticket's poll answers, whichever way it came (this route, or the rush
    relay's link: node/relay/backend.py): the status, the JSON body, and for a ticket the
    Retry-After header's seconds."""

    status: int
    body: dict[str, Any]
    retry_after_s: int | None = None

    def response(self) -> web.Response:
        headers = {} if self.retry_after_s is None else {"Retry-After": str(self.retry_after_s)}
        return web.json_response(self.body, status=self.status, headers=headers)


def _answer(reply: Reply, made_status: int) -> Answer:
    if reply.is_queued:
        retry_s = max(1, -(-int(reply.body["retry_after_ms"]) // 1000))
        return Answer(202, reply.body, retry_s)
    return Answer(made_status, reply.body)


async def grant(request: web.Request) -> web.Response:
    """The office's (or an integration's) grant to a customer, by the same rules as a
    resident's, through the campaign's waiting room; with an Idempotency-Key, at most once."""
    rush = request.app[RUSH].require()
    campaign_id = request.match_info["campaign_id"]
    sent_key = request.headers.get(grant_keys.HEADER)
    refuse_before_body(rush, campaign_id, sent_key)
    body = await body_input.read_body(request, {"customer_id"})
    node, caller = request.app[NODE], api_caller(request)
    return (await grant_answer(node, rush, campaign_id, body, caller, sent_key)).response()


def refuse_before_body(rush: GrantRush, campaign_id: str, sent_key: str | None) -> None:
    """What a grant is refused before its body is read: once the stock is gone, most of a rush's
    requests (whatever the body says, the answer is the same, and nothing changes); or a
    malformed Idempotency-Key."""
    if sent_key is None:
        rush.refuse_if_sold_out(campaign_id)
    else:
        grant_keys.require_key(sent_key)


async def grant_answer(
    node: Node,
    rush: GrantRush,
    campaign_id: str,
    body: dict[str, Any],
    caller: str,
    sent_key: str | None,
) -> Answer:
    """The grant asked for by `body` (read by `body_input`), once `refuse_before_body` let it by."""
    customer_id = body_input.required_text(body, "customer_id", CUSTOMER_ID_CHARS)
    if sent_key is None:
        return _answer(await rush.ask(campaign_id, customer_id, caller), 201)
    key = grant_keys.grant_key(sent_key, caller, campaign_id, customer_id)
    return await _keyed_grant(node, rush, campaign_id, customer_id, key)


async def _keyed_grant(
    node: Node, rush: GrantRush, campaign_id: str, customer_id: str, key: GrantKey
) -> Answer:
    """A key's grant made already is answered again before the waiting room (which may know
    the stock is gone by now); a new key asks through it, and is stored with its grant."""
    earlier = await actions.keyed_grant(node, key)
    if earlier is None:
        try:
            return _answer(await rush.ask(campaign_id, customer_id, key.caller, key), 201)
        except CampaignSoldOut:
            # This very key's grant, sent a moment ago, may be what took the last of the stock.
            earlier = await actions.keyed_grant(node, key)
            if earlier is None:
                raise
    return Answer(201, earlier)


async def grant_ticket(request: web.Request) -> web.Response:
    rush = request.app[RUSH].require()
    info = request.match_info
    return ticket_answer(rush, info["campaign_id"], info["ticket"]).response()


def ticket_answer(rush: GrantRush, campaign_id: str, ticket: str) -> Answer:
    """The office's poll of a waiting ticket."""
    return _answer(rush.poll(campaign_id, ticket, None), 200)


GRANTS = "/api/v1/campaigns/{campaign_id}/grants"
TICKET = f"{GRANTS}/tickets/{{ticket}}"


KEY_PARAMETER: dict[str, Any] = {
    "name": grant_keys.HEADER,
    "in": "header",
    "required": False,
    "description": (
        "Makes a retry safe: the same key with the same campaign and customer answers the grant"
        " it made (201, the same body), even after the stock is gone; the same key with another"
        " request is refused (409 campaign.idempotency_conflict). The CLI sends one per"
        " invocation (`--idempotency-key` to choose it)."
    ),
    "schema": {"type": "string", "pattern": grant_keys.KEY.pattern.join("^$")},
}


def rush_paths() -> dict[str, dict[str, Any]]:
    queued = ref("MunicipalGrantTicket")
    grant_op = op(
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
    grant_op["parameters"] = [*grant_op["parameters"], KEY_PARAMETER]
    return {
        GRANTS: {"post": grant_op},
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
