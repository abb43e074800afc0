"""Points JSON API: what a POS or an EC site calls (earn, use, returns: an integration key of
scope write, or the admin token) and head office's program settings (the admin token only).

Thin: each handler reads its body strictly and calls node/points/actions.py or
program_actions.py, which every other surface shares. Earn, use and return are idempotent by the
caller's `txn`: the first answer is 201 with `replayed: false`; the same `txn` with the same body
answers the stored answer again, 201 with `replayed: true`, and changes nothing; the same `txn`
with another body is refused (409 points.txn_conflict). The caller (`admin` or `key:<key name>`)
is recorded beside each entry.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.errors import InvalidPoints
from node.http import input as body_input
from node.http.caller import api_caller
from node.http.input import MAX_TEXT_CHARS
from node.http.schema_parts import op, ref
from node.points import actions, program_actions
from node.points.actions import Caller
from node.points.core import require_caller_txn
from node.points.program_actions import CampaignInput, ProgramInput
from node.runtime import NODE, Handler
from node.text import require_printable

MEMBER_CHARS = MAX_TEXT_CHARS  # a card code, a member or card number, or a voucher's QR code
STORE_ID_CHARS = MAX_TEXT_CHARS

EARN_FIELDS = {"member", "purchase_yen", "txn", "store_id", "lines"}
USE_FIELDS = {"member", "points", "txn", "store_id"}
PROGRAM_FIELDS = {
    "earn_points",
    "earn_per_yen",
    "rounding",
    "expiry",
    "expiry_days",
    "point_value_yen",
    "min_use_points",
    "effective_from",
}
STORE_RATE_FIELDS = {"store_id", "earn_points", "earn_per_yen", "effective_from"}
CAMPAIGN_FIELDS = {"name", "multiplier_pct", "starts_at", "ends_at", "store_id"}


def caller_of(request: web.Request) -> Caller:
    return Caller(api_caller(request))


def text_field(body: dict[str, Any], key: str, max_chars: int, required: bool = True) -> str | None:
    """Printable text, 1 to `max_chars` characters as sent, trimmed; points.invalid otherwise."""
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > max_chars:
        raise InvalidPoints(f"`{key}` must be text of 1-{max_chars} characters.", field=key)
    return require_printable(value, key).strip()


def required_text(body: dict[str, Any], key: str, max_chars: int) -> str:
    value = text_field(body, key, max_chars)
    if value is None:  # unreachable: a required field is never None here
        raise InvalidPoints(f"`{key}` is required.", field=key)
    return value


def moment_field(body: dict[str, Any], key: str) -> object:
    """A moment as sent: program_actions reads it (node/moments.py parse_moment)."""
    return body.get(key)


def created(answer: dict[str, Any]) -> web.Response:
    """201 for a first answer and for its replay alike: a retry reads what the first call read."""
    return web.json_response(answer, status=201)


# -- POS and EC ------------------------------------------------------------------------------


async def earn(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, EARN_FIELDS)
    answer = await actions.earn(
        request.app[NODE],
        required_text(body, "member", MEMBER_CHARS),
        body.get("purchase_yen"),
        require_caller_txn(body.get("txn")),
        caller_of(request),
        text_field(body, "store_id", STORE_ID_CHARS, required=False),
        body.get("lines"),
    )
    return created(answer)


async def use(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, USE_FIELDS)
    answer = await actions.use(
        request.app[NODE],
        required_text(body, "member", MEMBER_CHARS),
        body.get("points"),
        require_caller_txn(body.get("txn")),
        caller_of(request),
        text_field(body, "store_id", STORE_ID_CHARS, required=False),
    )
    return created(answer)


async def return_txn(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"txn"})
    answer = await actions.return_txn(request.app[NODE], body.get("txn"), caller_of(request))
    return created(answer)


# -- head office's program -------------------------------------------------------------------


async def show_program(request: web.Request) -> web.Response:
    return web.json_response(await program_actions.show_program(request.app[NODE]))


async def set_program(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, PROGRAM_FIELDS)
    sent = ProgramInput(
        earn_points=body.get("earn_points"),
        earn_per_yen=body.get("earn_per_yen"),
        rounding=body.get("rounding"),
        expiry=body.get("expiry"),
        expiry_days=body.get("expiry_days"),
        point_value_yen=body.get("point_value_yen"),
        min_use_points=body.get("min_use_points"),
        effective_from=moment_field(body, "effective_from"),
    )
    node = request.app[NODE]
    return web.json_response(await program_actions.set_program(node, sent, api_caller(request)))


async def list_store_rates(request: web.Request) -> web.Response:
    rates = await program_actions.list_store_rates(request.app[NODE])
    return web.json_response({"store_rates": rates})


async def set_store_rate(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, STORE_RATE_FIELDS)
    store_id = required_text(body, "store_id", STORE_ID_CHARS)
    effective_from = moment_field(body, "effective_from")
    answer = await program_actions.set_store_rate(
        request.app[NODE],
        store_id,
        body.get("earn_points"),
        body.get("earn_per_yen"),
        effective_from,
        api_caller(request),
    )
    return web.json_response(answer, status=201)


async def list_campaigns(request: web.Request) -> web.Response:
    campaigns = await program_actions.list_campaigns(request.app[NODE])
    return web.json_response({"campaigns": campaigns})


async def add_campaign(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, CAMPAIGN_FIELDS)
    sent = CampaignInput(
        name=required_text(body, "name", program_actions.MAX_CAMPAIGN_NAME),
        multiplier_pct=body.get("multiplier_pct"),
        starts_at=moment_field(body, "starts_at"),
        ends_at=moment_field(body, "ends_at"),
        store_id=text_field(body, "store_id", STORE_ID_CHARS, required=False),
    )
    if sent.ends_at is None:
        raise InvalidPoints("`ends_at` is required: when the campaign ends.", field="ends_at")
    answer = await program_actions.add_campaign(request.app[NODE], sent, api_caller(request))
    return web.json_response(answer, status=201)


async def cancel_campaign(request: web.Request) -> web.Response:
    await body_input.read_body(request, set())
    node = request.app[NODE]
    return web.json_response(
        await program_actions.cancel_campaign(node, request.match_info["campaign_id"])
    )


POINTS_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("POST", "/api/v1/points/earn", earn),
    ("POST", "/api/v1/points/use", use),
    ("POST", "/api/v1/points/returns", return_txn),
    ("GET", "/api/v1/points/program", show_program),
    ("PUT", "/api/v1/points/program", set_program),
    ("GET", "/api/v1/points/store-rates", list_store_rates),
    ("POST", "/api/v1/points/store-rates", set_store_rate),
    ("GET", "/api/v1/points/campaigns", list_campaigns),
    ("POST", "/api/v1/points/campaigns", add_campaign),
    ("POST", "/api/v1/points/campaigns/{campaign_id}/cancel", cancel_campaign),
)

# Where a member number in an answer leads (schemathesis' stateful test follows these).
MEMBER_LINKS = {
    name: {"operationId": target, "parameters": {"member_no": "$response.body#/member_no"}}
    for name, target in (
        ("ShowMember", "showMember"),
        ("MemberPoints", "memberPoints"),
        ("MemberHistory", "memberHistory"),
        ("AdjustPoints", "adjustPoints"),
    )
}

IDEMPOTENT = (
    " Idempotent by `txn`: the same `txn` and body answers the first answer again (201,"
    " `replayed`: true) and changes nothing; the same `txn` with another body is refused"
    " (409 points.txn_conflict)."
)


def points_paths() -> dict[str, dict[str, Any]]:
    """The points routes of the node's OpenAPI document (members: api_members.py)."""
    return {
        "/api/v1/points/earn": {
            "post": op(
                "Points for a purchase (member: card code, member number, printed card number"
                " or a voucher's QR code of ours)." + IDEMPOTENT,
                ref("PointsEarned"),
                201,
                body="EarnPoints",
                errors=(404, 409, 422),
                links=MEMBER_LINKS,
            )
        },
        "/api/v1/points/use": {
            "post": op(
                "Points taken as a discount, with the card's fresh one-time code (the member"
                " number or printed card cannot spend: 403)." + IDEMPOTENT,
                ref("PointsUsed"),
                201,
                body="UsePoints",
                errors=(403, 404, 409, 422),
            )
        },
        "/api/v1/points/returns": {
            "post": op(
                "Undo the transaction `txn`: a purchase's points taken back (what was spent"
                " since is a shortfall, never a negative balance) or a use's points given back."
                " Once: asking again answers the first answer (`replayed`: true).",
                ref("PointsReturned"),
                201,
                body="ReturnPoints",
                errors=(404, 409, 422),
            )
        },
        "/api/v1/points/program": {
            "get": op("The points program in force and the versions scheduled", ref("Program")),
            "put": op(
                "A new version of the program from `effective_from` (now if null; never the"
                " past): a field left out keeps the value in force then",
                ref("Program"),
                body="SetProgram",
                errors=(422,),
            ),
        },
        "/api/v1/points/store-rates": {
            "get": op("Every store's own earn rates", ref("StoreRateList")),
            "post": op(
                "A store's own earn rate from `effective_from` (now if null)",
                ref("StoreRate"),
                201,
                body="SetStoreRate",
                errors=(404, 422),
            ),
        },
        "/api/v1/points/campaigns": {
            "get": op("Points campaigns, latest start first", ref("CampaignList")),
            "post": op(
                "A campaign multiplier (e.g. 200: double points) at one store or all",
                ref("Campaign"),
                201,
                body="NewCampaign",
                errors=(404, 422),
            ),
        },
        "/api/v1/points/campaigns/{campaign_id}/cancel": {
            "post": op(
                "Stop a campaign from now on (purchases made while it ran keep their points)",
                ref("Campaign"),
                params=("campaign_id",),
                body="Nothing",
            )
        },
    }
