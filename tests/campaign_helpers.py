"""A running node for campaign tests (the points tests' node: a real aiohttp server on 127.0.0.1
over a real SQLite file), and the campaigns' usual terms relative to the fake clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.conftest import FakeClock
from tests.points_helpers import PointsNode, points_node

campaign_node = points_node
CampaignNode = PointsNode


def moment(clock: FakeClock, **delta: float) -> str:
    return (clock.now() + timedelta(**delta)).isoformat()


def terms(clock: FakeClock, kind: str = "first-come", **extra: Any) -> dict[str, Any]:
    """A campaign open from an hour ago for 30 days, usable 60 days."""
    body: dict[str, Any] = {
        "kind": kind,
        "name": "ウェルカム北九州クーポン",
        "face_yen": 1000,
        "starts_at": moment(clock, hours=-1),
        "ends_at": moment(clock, days=30),
        "use_until": moment(clock, days=60),
        "stock": 100,
    }
    body.update(extra)
    return body


async def create(cn: CampaignNode, body: dict[str, Any]) -> dict[str, Any]:
    status, made = await cn.admin("POST", "campaigns", body)
    assert status == 201, made
    return made


async def redeem(cn: CampaignNode, voucher_id: str, store_id: str, amount: int) -> tuple[int, Any]:
    status, code = await cn.admin("GET", f"vouchers/{voucher_id}/code")
    assert status == 200, code
    body = {"payload": code["payload"], "amount": amount, "store_id": store_id}
    return await cn.admin("POST", "redemptions", body)
