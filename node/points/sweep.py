"""The points expiry sweep: every lot past its expiry has its remainder moved to breakage.

A lot past its expiry already counts for nothing (the balance reads only live lots), so the sweep
changes no balance; it makes the books say what happened (Dr the member, Cr breakage) and closes
the lot. It runs in writer units of at most EXPIRY_BATCH lots, each its own transaction, so a node
with a year's worth of lapsed points never holds the writer for long, until none is due. It runs
on the voucher sweep's interval (`[ledger] expiry_sweep_seconds`), and on demand from
POST /api/v1/points/expire.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web

from node.http import input as body_input
from node.http.schema_parts import obj, op, ref
from node.periodic import every
from node.points import operations
from node.runtime import NODE, Handler, Node

log = logging.getLogger(__name__)


async def expire_points(node: Node) -> int:
    """Sweep every lot due at this moment; the points moved to breakage."""
    now = node.clock.now()
    moved = 0
    while True:
        batch = await node.require_writer().submit(
            lambda conn: operations.expire_due(conn, now, node.rng)
        )
        if batch == 0:
            return moved
        moved += batch


async def points_sweeper_ctx(app: web.Application) -> AsyncIterator[None]:
    """The sweep, every `[ledger] expiry_sweep_seconds`, for as long as the node serves."""
    node = app[NODE]

    async def sweep() -> None:
        moved = await expire_points(node)
        if moved:
            log.info("expired %d points to breakage", moved)

    async with every(node.config.ledger.expiry_sweep_seconds, sweep, "points-expiry-sweep", log):
        yield


def install(app: web.Application) -> None:
    """Before the app starts: the periodic sweep (its routes come with SWEEP_ROUTES)."""
    app.cleanup_ctx.append(points_sweeper_ctx)


async def expire_now(request: web.Request) -> web.Response:
    await body_input.read_body(request, set())
    return web.json_response({"expired_points": await expire_points(request.app[NODE])})


SWEEP_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("POST", "/api/v1/points/expire", expire_now),
)


def sweep_paths() -> dict[str, dict[str, Any]]:
    return {
        "/api/v1/points/expire": {
            "post": op(
                "Expire points past their date; their remainder to breakage",
                ref("PointsExpirySweep"),
            )
        }
    }


def sweep_schemas() -> dict[str, Any]:
    return {
        "PointsExpirySweep": obj(
            ["expired_points"], expired_points={"type": "integer", "minimum": 0}
        )
    }
