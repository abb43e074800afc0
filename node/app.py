"""Wires the node together: config, identity, writer, reader, API routes, background sweeps."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web

from node import database_identity, db, serving_lock
from node.api.routes import add_routes
from node.campaigns import rush as campaign_rush
from node.clock import new_id
from node.crm import analytics_actions, report_process
from node.errors import (
    KippuError,
    PageNotFound,
    RouteNotFound,
    ValidationError,
    shown_to_user,
)
from node.health import add_health_routes, metrics_middleware
from node.http.answers import error_response, not_allowed
from node.http.caller import API_CALLER
from node.http.input import refuse_unlisted_query
from node.ledger.operations import expire_due
from node.migrations import MIGRATIONS
from node.payments import service as payments
from node.peering.context import Hooks
from node.peering.discovery import advertised
from node.peering.keybook import KeyBook
from node.peering.outbox import Outbox
from node.peering.sharer import StoreSharer
from node.periodic import every
from node.points import rank_api
from node.points import sweep as points_sweep
from node.reads import READER_CONNECTIONS, REPORT_CONNECTIONS, ReadPool
from node.relay import backend as relay_backend
from node.runtime import NODE, Handler, Node
from node.settlement.audit import alarms, witness
from node.settlement.audit import log as settlement_log
from node.settlement.inbound import REPLY_APPLIERS, SETTLEMENT_ROUTES
from node.web import crm_mail, points_mail
from node.web.api_guard import admitted_caller
from node.web.guard import answers_html, error_page, is_page_path
from node.web.routes import add_web_routes
from node.webhooks import service as webhooks
from node.writer import GroupCommitWriter

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1/"
PEER_PREFIX = "/peer/v1/"
PUBLIC_PATHS = frozenset({"/api/v1/openapi.json"})

# Peering knows nothing of settlement or the audit log: it is given settlement's message types,
# what to do with the answers to ours, and the log that keeps every signed envelope it stores.
PEERING_HOOKS = Hooks(
    routes=SETTLEMENT_ROUTES,
    reply_appliers=REPLY_APPLIERS,
    message_stored=settlement_log.record,
    partner_forked=witness.raise_alarm,
    fork_reported=alarms.record_reported,
)


def shown_error(request: web.Request, error: KippuError) -> KippuError:
    """The error as the caller sees it; what is hidden from them is logged in full here."""
    shown = shown_to_user(error)
    if shown is not error:  # our own bug or broken state: log it, show nothing of it
        log.error("%s %s failed with %s", request.method, request.path, error.code, exc_info=error)
    elif error.http_status >= 500:  # the admin acts on it (a full disk, a missing font)
        log.error("%s %s refused: %s", request.method, request.path, error.code)
    return shown


@web.middleware
async def errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure becomes the one JSON error shape, or on a page path an HTML page in the
    reader's words (a person never sees JSON); internals are logged, never sent."""
    is_page = answers_html(request.path)
    try:
        return await handler(request)
    except KippuError as exc:
        shown = shown_error(request, exc)
        return error_page(request, shown) if is_page else error_response(shown)
    except web.HTTPNotFound:
        if is_page_path(request.path):  # a mistyped page address: a page, in the reader's words
            return error_page(request, PageNotFound())
        return error_response(RouteNotFound())
    except web.HTTPMethodNotAllowed as exc:
        allow = ", ".join(sorted(exc.allowed_methods))
        if is_page:  # a form's address opened as a page (a bookmark, a reload): no page here
            page = error_page(request, PageNotFound())
            page.set_status(405)
            page.headers["Allow"] = allow
            return page
        return not_allowed(request.method, exc.allowed_methods)
    except web.HTTPClientError as exc:
        if not is_page:
            raise
        # aiohttp's own refusals (a body over client_max_size, a malformed form): a page.
        page = error_page(request, ValidationError())
        page.set_status(exc.status)
        return page
    except web.HTTPException:
        raise
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("internal error in %s %s", request.method, request.path)
        hidden = KippuError("internal error")
        return error_page(request, hidden) if is_page else error_response(hidden)


@web.middleware
async def admin_auth_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The admin API needs `Authorization: Bearer <token>`: the node's admin.token, or an
    integration key (node/web/api_keys.py) for the routes its scope allows."""
    if request.path.startswith(API_PREFIX) and request.path not in PUBLIC_PATHS:
        route = request.match_info.route.resource
        pattern = None if route is None else route.canonical
        header = request.headers.get("Authorization", "")
        node = request.app[NODE]
        request[API_CALLER] = await admitted_caller(node, header, request.method, pattern)
        if request.match_info.http_exception is None:  # a route, not a 404 or 405 to come
            refuse_unlisted_query(request)  # what each route takes is marked on its handler
    return await handler(request)


async def _database_ctx(app: web.Application) -> AsyncIterator[None]:
    node = app[NODE]
    with serving_lock.held(node.database_path):  # `kippu restore` refuses while it is held
        node.writer = GroupCommitWriter(
            node.database_path,
            MIGRATIONS,
            node.config.writer.max_batch,
            node.metrics.observe_batch,
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
            report_process.shutdown(
                node.database_path
            )  # the analytics' worker (node/crm/report_process.py)
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
        lambda: node.me,
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


async def _report_warm_ctx(app: web.Application) -> AsyncIterator[None]:
    """Makes, and keeps to each new day, the report worker's figures behind the analytics
    (node/crm/analytics_actions.py `warm`), so no report waits for them to be made."""
    node = app[NODE]
    async with every(analytics_actions.WARM_EVERY_S, lambda: analytics_actions.keep_ready(node),
                     "report-warm", log,
                     first_after=analytics_actions.WARM_FIRST_S):  # fmt: skip
        yield


async def _expiry_sweeper_ctx(app: web.Application) -> AsyncIterator[None]:
    node = app[NODE]

    async def sweep() -> None:
        result = await node.require_writer().submit(expire_due(node.settings, node.clock.now()))
        if result.expired:
            log.info("expired %d vouchers, %d yen to breakage", result.expired, result.breakage_yen)

    async with every(node.config.ledger.expiry_sweep_seconds, sweep, "expiry-sweep", log):
        yield


def create_app(node: Node) -> web.Application:
    """The aiohttp application for one node. The caller runs it (AppRunner or web.run_app)."""
    app = web.Application(
        middlewares=[metrics_middleware, errors_middleware, admin_auth_middleware]
    )
    app[NODE] = node
    node.hooks = PEERING_HOOKS
    app.cleanup_ctx.append(_database_ctx)
    app.cleanup_ctx.append(_outbox_ctx)
    app.cleanup_ctx.append(_store_sharer_ctx)
    app.cleanup_ctx.append(_expiry_sweeper_ctx)
    app.cleanup_ctx.append(_report_warm_ctx)
    app.cleanup_ctx.append(_discovery_ctx)
    payments.install(app)  # the Stripe gateway, its sweep and POST /stripe/webhook
    points_sweep.install(app)  # lots past their expiry to breakage, every expiry sweep interval
    webhooks.install(app)  # posting the webhooks' outbox (node/webhooks/service.py)
    points_mail.install(app)  # points-expiring notices and their mails, hourly
    crm_mail.install(app)  # campaign mail: started when due, sent at its rate (node/crm/)
    rank_api.install(app)  # the member ranks' recompute once due, and floors that ended
    campaign_rush.install(app)  # first-come grants' waiting rooms (node/campaigns/rush.py)
    relay_backend.install(app)  # the rush relay's socket, when configured (node/relay/)
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
