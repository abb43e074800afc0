"""A running node for points tests, with its `Node` at hand: customers, stores, members."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp

from node.home import NodeHome
from node.points import actions
from node.points.model import Member
from node.runtime import Node
from node.server import load_node, start
from tests.conftest import FakeClock, SeededRandomness, loop_watchdog


@dataclass
class PointsNode:
    node: Node
    base_url: str
    http: aiohttp.ClientSession

    async def admin(
        self, method: str, path: str, body: object = None
    ) -> tuple[int, dict[str, object]]:
        headers = {"Authorization": f"Bearer {self.node.admin_token}"}
        async with self.http.request(
            method, f"{self.base_url}/api/v1/{path}", json=body, headers=headers
        ) as answer:
            return answer.status, await answer.json()

    async def customer(self, name: str = "山田花子", email: str | None = None) -> str:
        status, made = await self.admin("POST", "customers", {"name": name, "email": email})
        assert status == 201, made
        return str(made["customer_id"])

    async def store(self, name: str = "本店") -> str:
        status, made = await self.admin("POST", "stores", {"name": name})
        assert status == 201, made
        return str(made["store_id"])

    async def member(self, name: str = "山田花子") -> Member:
        return await actions.member_of(self.node, await self.customer(name))


@asynccontextmanager
async def points_node(home: NodeHome, clock: FakeClock) -> AsyncIterator[PointsNode]:
    with loop_watchdog():
        node = load_node(home, clock, SeededRandomness())
        runner, port = await start(node, "127.0.0.1", 0)
        try:
            async with aiohttp.ClientSession() as http:
                yield PointsNode(node, f"http://127.0.0.1:{port}", http)
        finally:
            await runner.cleanup()
