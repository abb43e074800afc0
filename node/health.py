"""GET /healthz and GET /metrics, and the middleware that counts every request by route template.

/healthz needs no sign-in and shows no secrets: the database takes a real write through the single
writer (one row, `health_checks`; at most one write a second, shared by every request: see
DatabaseProbe), the writer runs, and the outbox backlog is reported (a partner being offline is
not this node's failure, so the backlog never fails the check; alert on
`kippu_outbox_oldest_seconds`). /metrics answers only clients whose address is in
server.metrics_networks (loopback by default). That address is the TCP peer's, except that behind
a proxy in web.trusted_proxies it is the client the proxy names in X-Forwarded-For
(node/client_address.py): every request through a reverse proxy on the same host arrives from
loopback, and must not make the metrics public.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from node.client_address import request_client_address
from node.errors import Forbidden
from node.health_table import touch
from node.peering.backlog_queries import outbox_backlog
from node.runtime import NODE, Handler, Node
from node.settlement.queries import claim_counts

log = logging.getLogger(__name__)

WRITE_CHECK_TIMEOUT_S = 5.0
REDEMPTION_ROUTES = {
    ("POST", "/api/v1/redemptions"): "api",
    ("POST", "/staff/redeem"): "counter",
}
CLIENT_CLOSED = 499  # the client went away before the answer (as nginx counts it)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class DatabaseProbe:
    """The /healthz write, shared: one in flight at a time, its result reused for the rest of the
    second of the node's clock it was taken in. Anyone may ask /healthz, so asking many times
    must not make the node write many times: at most one health write a second, however many ask.
    """

    def __init__(self) -> None:
        self._in_flight: asyncio.Task[dict[str, Any]] | None = None
        self._last: tuple[int, dict[str, Any]] | None = None  # (node second, result)

    async def check(self, node: Node) -> dict[str, Any]:
        writer = node.writer
        if writer is None or not writer.is_running:  # never from the cache: it costs nothing
            return {"ok": False, "reason": "the writer is not running"}
        now_s = node.now_s()
        if self._last is not None and self._last[0] == now_s:
            return self._last[1]
        if self._in_flight is None:
            self._in_flight = asyncio.create_task(self._probe(node, now_s))
        # A client that leaves cancels only its own wait, never the probe the others share.
        return await asyncio.shield(self._in_flight)

    async def _probe(self, node: Node, now_s: int) -> dict[str, Any]:
        try:
            result = await _database_write(node, now_s)
            self._last = (now_s, result)
            return result
        finally:
            self._in_flight = None


async def _database_write(node: Node, now_s: int) -> dict[str, Any]:
    try:
        await asyncio.wait_for(node.require_writer().submit(touch(now_s)), WRITE_CHECK_TIMEOUT_S)
    except TimeoutError:
        return {"ok": False, "reason": f"no commit within {WRITE_CHECK_TIMEOUT_S:.0f} s"}
    except Exception as exc:  # the cause goes to the log; the answer names only its kind
        log.warning("health check: the database refused a write: %r", exc)
        return {"ok": False, "reason": f"the write failed ({type(exc).__name__})"}
    return {"ok": True}


DATABASE_PROBE = web.AppKey("kippu_database_probe", DatabaseProbe)


async def healthz(request: web.Request) -> web.Response:
    node = request.app[NODE]
    writer_ok = node.writer is not None and node.writer.is_running
    checks: dict[str, dict[str, Any]] = {
        "writer": {"ok": writer_ok},
        "database": await request.app[DATABASE_PROBE].check(node),
    }
    try:
        backlog = await outbox_backlog(node.require_reader(), node.now_s())
        checks["outbox"] = {
            "ok": True,
            "messages": sum(b.messages for b in backlog),
            "partners": len(backlog),
            "oldest_seconds": max((b.oldest_s for b in backlog), default=0),
        }
    except Exception as exc:
        log.warning("health check: the outbox backlog could not be read: %r", exc)
        checks["outbox"] = {"ok": False, "reason": f"unreadable ({type(exc).__name__})"}
    failing = sorted(name for name, check in checks.items() if not check["ok"])
    body = {"status": "failing" if failing else "ok", "failing": failing, "checks": checks}
    return web.json_response(body, status=503 if failing else 200)


def _may_read_metrics(request: web.Request, networks: tuple[str, ...]) -> bool:
    try:
        address = ipaddress.ip_address(
            request_client_address(request, request.app[NODE].config.web.trusted_proxies)
        )
    except ValueError:  # a peer without an IP address (a Unix socket): not in any network
        return False
    return any(address in ipaddress.ip_network(network) for network in networks)


async def metrics(request: web.Request) -> web.Response:
    node = request.app[NODE]
    if not _may_read_metrics(request, node.config.server.metrics_networks):
        raise Forbidden("Metrics are readable only from server.metrics_networks.")
    reader = node.require_reader()
    backlog = await outbox_backlog(reader, node.now_s())
    node.metrics.set_backlog((b.peer, b.messages, b.oldest_s) for b in backlog)
    node.metrics.set_claims(await claim_counts(reader))
    return web.Response(
        body=node.metrics.exposition(),
        headers={"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"},
    )


@web.middleware
async def metrics_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Counts each answer by its route's template (never the raw path, which may hold ids)."""
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    except asyncio.CancelledError:
        status = CLIENT_CLOSED
        raise
    finally:
        resource = request.match_info.route.resource
        route = resource.canonical if resource is not None else "unmatched"
        node_metrics = request.app[NODE].metrics
        method = request.method if request.method in METHODS else "other"  # bounded labels
        node_metrics.requests.labels(route, method, str(status)).inc()
        channel = REDEMPTION_ROUTES.get((request.method, route))
        if channel is not None:
            node_metrics.redemption_seconds.labels(channel).observe(time.perf_counter() - started)


def add_health_routes(app: web.Application) -> None:
    app[DATABASE_PROBE] = DatabaseProbe()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
