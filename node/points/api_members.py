"""Members in the JSON API: a POS reads a member's points and history by member number (a key
of scope read); head office adjusts a balance with a reason, and makes or shows a customer's
membership and its card's rotating code (the admin token only: node/web/api_key_model.py)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.http import input as body_input
from node.http.schema_parts import op, ref
from node.points import actions, queries
from node.points.api import MEMBER_LINKS, caller_of, required_text
from node.points.model import MAX_REASON_CHARS, Member
from node.runtime import NODE, Handler, Node


async def _member(request: web.Request) -> Member:
    return await actions.member_by_number(request.app[NODE], request.match_info["member_no"])


async def _member_of_customer(node: Node, customer_id: str) -> Member:
    """The customer's membership: read when it exists, made on first need otherwise."""
    found = await queries.member(node.require_reader(), customer_id)
    return found if found is not None else await actions.member_of(node, customer_id)


async def show_member(request: web.Request) -> web.Response:
    node = request.app[NODE]
    return web.json_response(await actions.member_answer(node, await _member(request)))


async def member_points(request: web.Request) -> web.Response:
    node = request.app[NODE]
    return web.json_response(await actions.balance_answer(node, await _member(request)))


async def member_history(request: web.Request) -> web.Response:
    node = request.app[NODE]
    return web.json_response(await actions.history_answer(node, await _member(request)))


async def adjust(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"points", "reason", "txn"})
    reason = required_text(body, "reason", MAX_REASON_CHARS)
    answer = await actions.adjust(
        request.app[NODE],
        request.match_info["member_no"],
        body.get("points"),
        reason,
        caller_of(request),
        body.get("txn"),
    )
    return web.json_response(answer, status=201)


async def customer_member(request: web.Request) -> web.Response:
    await body_input.read_body(request, set())
    node = request.app[NODE]
    member = await _member_of_customer(node, request.match_info["customer_id"])
    return web.json_response(await actions.member_answer(node, member))


async def customer_card(request: web.Request) -> web.Response:
    node = request.app[NODE]
    member = await _member_of_customer(node, request.match_info["customer_id"])
    response = web.json_response(actions.card_code(node, member))
    response.headers["Cache-Control"] = "no-store"  # a code that spends points, once
    return response


MEMBER_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("GET", "/api/v1/members/{member_no}", show_member),
    ("GET", "/api/v1/members/{member_no}/points", member_points),
    ("GET", "/api/v1/members/{member_no}/history", member_history),
    ("POST", "/api/v1/members/{member_no}/adjust", adjust),
    ("POST", "/api/v1/customers/{customer_id}/member", customer_member),
    ("GET", "/api/v1/customers/{customer_id}/member/card", customer_card),
)


def member_paths() -> dict[str, dict[str, Any]]:
    """The members' routes of the node's OpenAPI document."""
    by_number = ("member_no",)
    return {
        "/api/v1/members/{member_no}": {
            "get": op(
                "A member by member number: numbers, points now, rank",
                ref("Member"),
                params=by_number,
            )
            | {"operationId": "showMember"}
        },
        "/api/v1/members/{member_no}/points": {
            "get": op(
                "A member's live balance and its lots (remaining, expires_at), soonest expiry"
                " first: the order points are spent in",
                ref("MemberPoints"),
                params=by_number,
            )
            | {"operationId": "memberPoints"}
        },
        "/api/v1/members/{member_no}/history": {
            "get": op(
                "A member's latest points entries, newest first",
                ref("MemberHistory"),
                params=by_number,
            )
            | {"operationId": "memberHistory"}
        },
        "/api/v1/members/{member_no}/adjust": {
            "post": op(
                "Head office's correction (±points, not 0) with its reason; a debit never takes"
                " the balance below zero (409 points.insufficient)",
                ref("PointsAdjusted"),
                201,
                params=by_number,
                body="AdjustPoints",
                errors=(409, 422),
            )
            | {"operationId": "adjustPoints"}
        },
        "/api/v1/customers/{customer_id}/member": {
            "post": op(
                "The customer's membership (会員), made on first need: every customer is a member",
                ref("Member"),
                params=("customer_id",),
                body="Nothing",
                links=MEMBER_LINKS,
            )
            | {"operationId": "customerMember"}
        },
        "/api/v1/customers/{customer_id}/member/card": {
            "get": op(
                "The code the customer's membership card (会員証) shows now: one-time, about a"
                " minute, spends points (like a voucher's code)",
                ref("MemberCard"),
                params=("customer_id",),
            )
        },
    }
