"""A webhook receiver for tests: a real aiohttp server on 127.0.0.1 that checks each request's
signature the way docs/operations.md (Webhooks) tells integrators to, written here from the
document rather than imported from the node, and points writer units to make events."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from node.points import operations
from node.points.model import Member
from node.runtime import NODE, Node
from node.webhooks.service import WEBHOOKS
from tests.conftest import AsyncNode, RunningNode, ok
from tests.web_flow_helpers import free_port

TOLERANCE_S = 300


def verify(secret: str, header: str, body: bytes, now: int) -> bool:
    """docs/operations.md, "Checking a webhook's signature", step by step."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    stamp, given = parts.get("t", ""), parts.get("v1", "")
    if not stamp.isdigit() or abs(now - int(stamp)) > TOLERANCE_S:
        return False
    expected = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given)


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    signature_ok: bool

    @property
    def event(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed


@dataclass
class Receiver:
    """Answers each request with the next of `answers` (then 200), after checking it."""

    clock: Any
    secret: str = ""
    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        now = int(self.clock.now().timestamp())
        good = verify(self.secret, request.headers.get("Kippu-Signature", ""), body, now)
        self.received.append(Received(dict(request.headers), body, good))
        self.arrived.set()
        if not good:
            return web.json_response({"error": "bad signature"}, status=400)
        status = self.answers.pop(0) if self.answers else 200
        return web.json_response({"ok": status < 300}, status=status)

    async def next(self, count: int = 1, timeout_s: float = 10) -> list[Received]:
        """Until `count` requests in all have arrived."""
        async with asyncio.timeout(timeout_s):
            while len(self.received) < count:
                self.arrived.clear()
                if len(self.received) >= count:
                    break
                await self.arrived.wait()
        return self.received


@asynccontextmanager
async def receiver(clock: Any, port: int | None = None) -> AsyncIterator[Receiver]:
    made = Receiver(clock)
    app = web.Application()
    app.router.add_post("/hooks", made.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    port = port or free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    made.url = f"http://127.0.0.1:{port}/hooks"
    try:
        yield made
    finally:
        await runner.cleanup()


def node_of(running: RunningNode) -> Node:
    assert running.runner is not None
    return running.runner.app[NODE]


def wake(running: RunningNode) -> None:
    """After moving the fake clock: the service looks at what is due now."""
    assert running.runner is not None
    service = running.runner.app[WEBHOOKS].service
    assert service is not None
    service.wake()


async def subscribe(node: AsyncNode, made: Receiver, *events: str) -> dict[str, Any]:
    hook = await ok(node, "POST", "webhooks", {"url": made.url, "events": list(events)})
    made.secret = hook["secret"]
    return hook


async def member(running: RunningNode, name: str, email: str | None = None) -> Member:
    customer = await ok(running, "POST", "customers", {"name": name, "email": email})
    node = node_of(running)
    now = node.clock.now()
    return await node.require_writer().submit(
        lambda conn: operations.ensure_member(conn, customer["customer_id"], now, node.rng)
    )


async def earn(running: RunningNode, who: Member, purchase_yen: int, txn: str) -> None:
    node = node_of(running)
    now = node.clock.now()
    await node.require_writer().submit(
        lambda conn: operations.earn(
            conn, who, purchase_yen, None, txn, (), "test", now, node.config.zone, node.rng
        )
    )


async def deliveries(running: AsyncNode, hook_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await ok(running, "GET", f"webhooks/{hook_id}/deliveries"))[
        "deliveries"
    ]
    return found


async def settled(running: AsyncNode, hook_id: str, attempts: int) -> dict[str, Any]:
    """The newest delivery once its `attempts`-th attempt is recorded."""
    async with asyncio.timeout(10):
        while True:
            newest = (await deliveries(running, hook_id))[0]
            if newest["attempts"] >= attempts:
                return newest
            await asyncio.sleep(0.02)  # the outcome is written right after the answer
