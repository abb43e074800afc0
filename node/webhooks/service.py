"""Posting the outbox's deliveries while the node runs: each due delivery signed and posted,
its outcome recorded, failures tried again with backoff (node/webhooks/core.py).

Nothing polls often: the writer tells the service after every batch it commits (its
`listeners`, as the live wallet is told), and while any live endpoint exists that wakes the
loop, which reads what is due. Between wakes it sleeps until the soonest retry is due, at most
IDLE_S. Deliveries are rows, so a restart loses none: the loop's first pass sends what was due.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

import node as node_package
from node.runtime import NODE, Node
from node.webhooks import operations, queries
from node.webhooks.core import signature_header
from node.webhooks.model import Delivery, Endpoint, Outcome

log = logging.getLogger(__name__)

BATCH = 50
PARALLEL = 8
TIMEOUT_S = 10
IDLE_S = 60.0
MIN_SLEEP_S = 0.05
ANSWER_BYTES = 4096  # read of an answer, then the connection is let go
USER_AGENT = f"Kippu-Webhooks/{node_package.__version__}"


class DeliveryService:
    """The one loop that posts deliveries for a node; `wake()` when something may be due."""

    def __init__(self, node: Node, session: aiohttp.ClientSession) -> None:
        self.node = node
        self.session = session
        self.has_endpoints = False
        self.attempts = 0
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    def committed(self) -> None:
        """The writer committed a batch: it may have queued events (only if anyone listens)."""
        if self.has_endpoints:
            self._wake.set()

    async def run(self) -> None:
        while True:
            self._wake.clear()  # before reading: a commit meanwhile sets it again
            try:
                self.has_endpoints = await queries.has_live_endpoint(self.node.require_reader())
                while await self.deliver_due() == BATCH:
                    pass
                timeout = await self._sleep_for()
            except Exception:
                log.exception("webhook deliveries failed; will retry")
                timeout = IDLE_S
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)

    async def _sleep_for(self) -> float:
        soonest = await queries.next_due_at(self.node.require_reader())
        if soonest is None:
            return IDLE_S
        wait = (soonest - self.node.clock.now()).total_seconds()
        return min(max(wait, MIN_SLEEP_S), IDLE_S)

    async def deliver_due(self) -> int:
        """One pass: post every delivery due now (at most BATCH); how many were tried."""
        now = self.node.clock.now()
        due = await queries.due(self.node.require_reader(), now, BATCH)
        gate = asyncio.Semaphore(PARALLEL)

        async def one(delivery: Delivery, endpoint: Endpoint) -> None:
            async with gate:
                outcome = await self.post(delivery, endpoint)
            self.attempts += 1
            await self.node.require_writer().submit(
                operations.record(delivery, outcome, self.node.clock.now(), self.node.rng)
            )

        await asyncio.gather(*(one(d, e) for d, e in due))
        return len(due)

    async def post(self, delivery: Delivery, endpoint: Endpoint) -> Outcome:
        """One signed POST of the delivery's exact body; any answer but 2xx is a failure."""
        body = delivery.payload.encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Kippu-Event": delivery.event_type,
            "Kippu-Event-Id": delivery.event_id,
            "Kippu-Delivery": delivery.delivery_id,
            "Kippu-Signature": signature_header(endpoint.secret, self.node.now_s(), body),
        }
        try:
            async with self.session.post(
                endpoint.url,
                data=body,
                headers=headers,
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(total=TIMEOUT_S),
            ) as answer:
                await answer.content.read(ANSWER_BYTES)
                ok = 200 <= answer.status < 300
                return Outcome(answer.status, None if ok else f"HTTP {answer.status}")
        except TimeoutError:
            return Outcome(None, f"no answer within {TIMEOUT_S} s")
        except aiohttp.ClientError as exc:
            return Outcome(None, f"{type(exc).__name__}: {exc}")


class ServiceSlot:
    """The running service, once the node's database is open (None before and after)."""

    service: DeliveryService | None = None


WEBHOOKS = web.AppKey("webhooks", ServiceSlot)


def install(app: web.Application) -> None:
    """Before the app starts: the service's slot and its life (after the database's)."""
    app[WEBHOOKS] = ServiceSlot()
    app.cleanup_ctx.append(webhooks_ctx)


def wake(app: web.Application) -> None:
    """Something was queued or changed by a request (a new endpoint, a ping, a retry)."""
    service = app[WEBHOOKS].service
    if service is not None:
        service.wake()


async def webhooks_ctx(app: web.Application) -> AsyncIterator[None]:
    node = app[NODE]
    writer = node.require_writer()
    connector = aiohttp.TCPConnector(limit=PARALLEL * 2)
    async with aiohttp.ClientSession(connector=connector, trust_env=False) as session:
        service = DeliveryService(node, session)
        app[WEBHOOKS].service = service
        writer.listeners.append(service.committed)
        task = asyncio.create_task(service.run(), name="kippu-webhooks")
        try:
            yield
        finally:
            writer.listeners.remove(service.committed)
            app[WEBHOOKS].service = None
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
