"""A company's node for the points console's tests (not a test module): a web node like
web_flow_helpers.shop (one store, an admin password, a staff member) with its `Node` at hand, so
a test can earn and spend points through node/points/actions.py as a POS would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import aiohttp

from node.points import actions
from node.points.actions import Caller
from node.points.model import Member
from node.runtime import Node
from node.server import load_node, start
from tests.conftest import FakeClock, SeededRandomness, make_home
from tests.web_flow_helpers import (
    ADMIN_PASSWORD,
    API_TIMEOUT,
    STAFF_PASSWORD,
    free_port,
    web_config,
)


@dataclass
class PointsShop:
    base_url: str
    node: Node
    api: aiohttp.ClientSession
    store_id: str
    pos: Caller  # the store's POS, as its integration key's calls are recorded

    async def call(self, method: str, path: str, body: object = None) -> dict[str, object]:
        async with self.api.request(method, f"{self.base_url}/api/v1/{path}", json=body) as r:
            payload = await r.json()
            assert r.status < 300, payload
            return dict(payload)

    async def member(self, name: str, email: str) -> Member:
        made = await self.call("POST", "customers", {"name": name, "email": email})
        return await actions.member_of(self.node, str(made["customer_id"]))


@asynccontextmanager
async def points_shop(root: Path, clock: FakeClock) -> AsyncIterator[PointsShop]:
    home = make_home(root, "居酒屋 さくら")
    port = free_port()
    home.config_path.write_text(
        web_config(home.config_path.read_text(encoding="utf-8"), port, None), encoding="utf-8"
    )
    node = load_node(home, clock, SeededRandomness())
    runner, _ = await start(node, "127.0.0.1", port)
    headers = {"Authorization": f"Bearer {node.admin_token}"}
    try:
        async with aiohttp.ClientSession(headers=headers, timeout=API_TIMEOUT) as api:
            made = PointsShop(f"http://127.0.0.1:{port}", node, api, "", Caller(""))
            made.store_id = str((await made.call("POST", "stores", {"name": "渋谷店"}))["store_id"])
            key = await made.call("POST", "apikeys", {"name": "POS 渋谷店", "scope": "write"})
            made.pos = Caller(f"key:{key['key_id']}")
            await made.call("PUT", "admin/password", {"password": ADMIN_PASSWORD})
            await made.call(
                "POST",
                "staff",
                {"name": "yamada", "stores": [made.store_id], "password": STAFF_PASSWORD},
            )
            yield made
    finally:
        await runner.cleanup()


def typed_local(moment: datetime, node: Node) -> str:
    """A moment as a datetime-local input takes it, in the node's zone."""
    return moment.astimezone(node.config.zone).strftime("%Y-%m-%dT%H:%M")
