"""Wires the node together: config, identity, writer, reader, API routes, background sweeps."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from aiohttp import web

from node import database_identity, db, serving_lock
from node.api.input import refuse_unlisted_query
from node.clock import Clock, Randomness, SystemClock, SystemRandomness, new_id
from node.config import Config
from node.connections import ConnectionGuard
from node.errors import (
    InvalidToken,
    KippuError,
    MissingToken,
    RouteNotFound,
    StorageError,
    ValidationError,
)
from node.identity import Identity
from node.ledger.model import LedgerPolicy
from node.ledger.operations import LedgerSettings, expire_due
from node.metrics import NodeMetrics
from node.migrations import MIGRATIONS
from node.peering.discovery import advertised
from node.peering.keys import KeyBook
from node.peering.operations import Self
from node.peering.outbox import Outbox
from node.peering.sharer import StoreSharer
from node.reads import READER_CONNECTIONS, REPORT_CONNECTIONS, ReadPool
from node.writer import GroupCommitWriter

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1/"
PEER_PREFIX = "/peer/v1/"
PUBLIC_PATHS = frozenset({"/api/v1/openapi.json"})


@dataclass
class Node:
    """Everything a request handler may use; one per running node."""

    config: Config
    identity: Identity
    database_path: Path
    admin_token: str
    clock: Clock = field(default_factory=SystemClock)
    rng: Randomness = field(default_factory=SystemRandomness)
    writer: GroupCommitWriter | None = None
    reader: ReadPool | None = None  # the counter's, the wallet's, the API's reads
    reports: ReadPool | None = None  # the console's long reads: never the counter's connections
    outbox: Outbox | None = None
    store_sharer: StoreSharer | None = None
    keybook: KeyBook | None = None
    advertise: bool = False
    connections: ConnectionGuard | None = None  # set by server.start (node/connections.py)
    metrics: NodeMetrics = field(default_factory=NodeMetrics)  # its own registry (node/metrics.py)
    key_path: Path | None = None
    rotation_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # One batch per partner at a time is checked and queued, so batches reach the writer in order.
    inbound_locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    @property
    def me(self) -> Self:
        """How this node introduces itself to partners."""
        return Self(
            self.identity,
            self.config.node.name,
            self.config.node.public_url,
            self.settings,
            self.config.node.currency,
        )

    def require_keybook(self) -> KeyBook:
        if self.keybook is None:
            raise KippuError("the node is not started")
        return self.keybook

    def now_s(self) -> int:
        """The node's clock in whole epoch seconds, as messages and rows store time."""
        return int(self.clock.now().timestamp())

    def share_stores_soon(self) -> None:
        """Our store list changed, or a partnership became active: tell partners (sharer.py)."""
        if self.store_sharer is not None:
            self.store_sharer.wake()

    def require_outbox(self) -> Outbox:
        if self.outbox is None:
            raise KippuError("the node is not started")
        return self.outbox

    @cached_property
    def settings(self) -> LedgerSettings:
        return LedgerSettings(
            node_id=self.identity.node_id,
            policy=LedgerPolicy(
                max_voucher_yen=self.config.ledger.max_voucher_yen,
                void_same_day_only=self.config.ledger.void_same_day_only,
            ),
            zone=self.config.zone,
            step_seconds=self.config.ledger.qr_step_seconds,
            retry_window_s=self.config.ledger.retry_window_seconds,
        )

    def require_writer(self) -> GroupCommitWriter:
        if self.writer is None:
            raise KippuError("the node is not started")
        return self.writer

    def require_reader(self) -> ReadPool:
        if self.reader is None:
            raise KippuError("the node is not started")
        return self.reader

    def require_report_reader(self) -> ReadPool:
        """For the dashboard, exports and record pages: a long read here queues no counter."""
        if self.reports is None:
            raise KippuError("the node is not started")
        return self.reports


NODE = web.AppKey("node", Node)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def error_response(error: KippuError) -> web.Response:
    return web.json_response(error.to_json(), status=error.http_status)


@web.middleware
async def errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure becomes the one JSON error shape; internals are logged, never sent."""
    try:
        return await handler(request)
    except StorageError as exc:  # the disk or the file: the admin can act on it, so say it
        log.error("%s %s refused: %s", request.method, request.path, exc.code)
        return error_response(exc)
    except KippuError as exc:
        if exc.http_status >= 500:  # our own bug or broken state: log it, show nothing of it
            log.exception("%s %s failed with %s", request.method, request.path, exc.code)
            return error_response(KippuError("internal error"))
        return error_response(exc)
    except web.HTTPNotFound:
        return error_response(RouteNotFound())
    except web.HTTPMethodNotAllowed as exc:
        error = ValidationError(
            f"{request.method} is not allowed here.", allowed=sorted(exc.allowed_methods)
        )
        allow = ", ".join(sorted(exc.allowed_methods))
        return web.json_response(error.to_json(), status=405, headers={"Allow": allow})
    except web.HTTPException:
        raise
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("internal error in %s %s", request.method, request.path)
        return error_response(KippuError("internal error"))


@web.middleware
async def admin_auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The admin API needs `Authorization: Bearer <token>` from the node's admin.token file."""
    if request.path.startswith(API_PREFIX) and request.path not in PUBLIC_PATHS:
        header = request.headers.get("Authorization", "")
        if not header:
            raise MissingToken()
        scheme, _, token = header.partition(" ")
        expected = request.app[NODE].admin_token
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            token.strip().encode(), expected.encode()
        ):
            raise InvalidToken()
        if request.match_info.http_exception is None:  # a route, not a 404 or 405 to come
            refuse_unlisted_query(request)  # what each route takes is marked on its handler
    return await handler(request)


async def _database_ctx(app: web.Application) -> AsyncIterator[None]:
    node = app[NODE]
    with serving_lock.held(node.database_path):  # `kippu restore` refuses while it is held
        node.writer = GroupCommitWriter(
            node.database_path, node.config.writer.max_batch, node.metrics.observe_batch
        )
        await node.writer.start()  # checks the database and applies migrations before any read
        node.reader = ReadPool(node.database_path, READER_CONNECTIONS)
        node.reports = ReadPool(node.database_path, REPORT_CONNECTIONS)
        try:
            await node.writer.submit(database_identity.claim_for(node.identity.node_id))
            await node.reader.open()
            await node.reports.open()
            node.keybook = KeyBook(node.reader)
            yield
        finally:
            await node.reports.close()
            await node.reader.close()
            node.reader = node.reports = None
            await node.writer.stop()
            node.writer = None


async def _outbox_ctx(app: web.Application) -> AsyncIterator[None]:
    node = app[NODE]
    node.outbox = Outbox(
        node.identity.node_id,
        node.require_writer(),
        node.require_reader(),
        node.clock,
        node.rng,
        node.require_keybook(),
        lambda: node.me,
    )
    async with node.outbox.running():
        node.outbox.wake()  # whatever was queued before a restart goes out now
        yield
    node.outbox = None


async def _store_sharer_ctx(app: web.Application) -> AsyncIterator[None]:
    node = app[NODE]
    node.store_sharer = StoreSharer(
        node.require_writer(),
        node.require_outbox(),
        node.clock,
        lambda: node.identity,
        lambda: new_id(node.rng, "msg"),
    )
    async with node.store_sharer.running():
        node.store_sharer.wake()  # a list changed while the node was down goes out now
        yield
    node.store_sharer = None


async def _discovery_ctx(app: web.Application) -> AsyncIterator[None]:
    node = app[NODE]
    listen = node.config.node.listen
    async with contextlib.AsyncExitStack() as stack:
        if node.advertise and node.config.discovery.enabled:
            try:
                await stack.enter_async_context(
                    advertised(
                        node.config.node.name,
                        node.identity.node_id,
                        node.config.node.public_url,
                        listen.host,
                        listen.port,
                        node.config.discovery.interfaces,
                    )
                )
            except OSError as exc:  # no multicast here: the node works, just not discoverable
                log.warning("LAN discovery is off: %s", exc)
        yield


async def _expiry_sweeper_ctx(app: web.Application) -> AsyncIterator[None]:
    node = app[NODE]

    async def sweep_forever() -> None:
        while True:
            await asyncio.sleep(node.config.ledger.expiry_sweep_seconds)
            try:
                result = await node.require_writer().submit(
                    expire_due(node.settings, node.clock.now())
                )
                if result.expired:
                    log.info(
                        "expired %d vouchers, %d yen to breakage",
                        result.expired,
                        result.breakage_yen,
                    )
            except Exception:
                log.exception("expiry sweep failed; will retry")

    task = asyncio.create_task(sweep_forever(), name="kippu-expiry-sweep")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def create_app(node: Node) -> web.Application:
    """The aiohttp application for one node. The caller runs it (AppRunner or web.run_app)."""
    from node.api.routes import add_routes
    from node.health import add_health_routes, metrics_middleware
    from node.web.routes import add_web_routes

    app = web.Application(
        middlewares=[metrics_middleware, errors_middleware, admin_auth_middleware]
    )
    app[NODE] = node
    app.cleanup_ctx.append(_database_ctx)
    app.cleanup_ctx.append(_outbox_ctx)
    app.cleanup_ctx.append(_store_sharer_ctx)
    app.cleanup_ctx.append(_expiry_sweeper_ctx)
    app.cleanup_ctx.append(_discovery_ctx)
    add_routes(app)
    add_web_routes(app)
    add_health_routes(app)
    return app


def prepare_database(path: Path) -> None:
    """Create the database and apply migrations (used by `kippu init`)."""
    conn = db.connect(path)
    try:
        db.migrate(conn, MIGRATIONS)
    finally:
        conn.close()
