"""Driving the points JSON API of a running node as a POS does (an integration key) and as head
office does (the admin token): keys, members, card codes, and the books' check."""

from __future__ import annotations

from typing import Any

from node.points import tables
from tests.points_helpers import PointsNode

Answer = tuple[int, dict[str, Any]]


async def call(p: PointsNode, method: str, path: str, token: str, body: object = None) -> Answer:
    """One request with `token` (a key or the admin token) as the bearer."""
    headers = {"Authorization": f"Bearer {token}"}
    async with p.http.request(
        method, f"{p.base_url}/api/v1/{path}", json=body, headers=headers
    ) as answer:
        return answer.status, await answer.json()


async def admin_ok(p: PointsNode, method: str, path: str, body: object = None) -> dict[str, Any]:
    status, answer = await p.admin(method, path, body)
    assert status in (200, 201), answer
    return answer


async def new_key(p: PointsNode, name: str, scope: str) -> tuple[str, str]:
    """(the key, its id) of a new integration key made with the keys API."""
    made = await admin_ok(p, "POST", "apikeys", {"name": name, "scope": scope})
    return str(made["key"]), str(made["key_id"])


async def new_member(p: PointsNode, name: str = "山田花子") -> dict[str, Any]:
    """A new customer's membership, made through the API (member_no, card_no, customer_id)."""
    customer_id = await p.customer(name)
    return await admin_ok(p, "POST", f"customers/{customer_id}/member")


async def card_payload(p: PointsNode, customer_id: str) -> str:
    """A fresh one-time code of the customer's card, as the wallet would show it."""
    return str((await admin_ok(p, "GET", f"customers/{customer_id}/member/card"))["payload"])


async def balance(p: PointsNode, member_no: str) -> int:
    return int((await admin_ok(p, "GET", f"members/{member_no}/points"))["balance"])


async def books(p: PointsNode) -> dict[str, int]:
    """Every account of the points journal and its sum, read in the writer."""
    return await p.node.require_writer().submit(tables.account_sums)
