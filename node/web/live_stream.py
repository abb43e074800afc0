"""The voucher page's event stream (Server-Sent Events), fed by node/web/live.py.

Events, each with the journal point it brings the page to as its id:
- `voucher`: {"balance", "status", "usable", "paid", "changes"}: the voucher now; `paid` is
  what was spent (at our counter or a partner's) since the point the page had, 0 if nothing;
- `signed_out`: the session ended (signed out, expired); the page shows how to sign in again;
- `replaced`: a newer page of the same account took this stream's place; the page stops it.
A page's first request carries `?after=<point>` (the point it was rendered at); a reconnect
carries Last-Event-ID, so a payment made while the phone was offline is still announced.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from node.errors import VoucherNotFound
from node.ledger import live_queries, queries
from node.ledger.model import Voucher, VoucherStatus
from node.runtime import Node
from node.web.guard import current_session, requires
from node.web.live import HEARTBEAT_S, RETRY_MS, STREAM_LIFETIME_S, Watcher, node_watch
from node.web.model import Role, Session

SPENDING = ("redeem", "claim")  # a use at our counter, or a partner's claim on our voucher


def _point(request: web.Request) -> int | None:
    text = request.headers.get("Last-Event-ID") or request.query.get("after", "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


def _event(name: str, point: int | None, data: dict[str, Any]) -> bytes:
    head = f"event: {name}\n" + ("" if point is None else f"id: {point}\n")
    return (head + f"data: {json.dumps(data, separators=(',', ':'))}\n\n").encode()


async def _voucher_event(node: Node, voucher: Voucher, after: int | None) -> tuple[bytes, int]:
    """The voucher's event and the point it brings the page to."""
    reader = node.require_reader()
    changes = (
        []
        if after is None
        else await live_queries.voucher_changes(reader, voucher.voucher_id, after)
    )
    point = (
        changes[-1].seq if changes else await live_queries.voucher_point(reader, voucher.voucher_id)
    )
    paid = -sum(c.amount_yen for c in changes if c.kind in SPENDING)
    usable = (
        voucher.status == VoucherStatus.ACTIVE
        and voucher.suspended_at is None
        and not voucher.is_expired_at(node.clock.now())
    )
    data = {
        "balance": voucher.balance_yen,
        "status": str(voucher.status),
        "usable": usable,
        "paid": paid,
        "changes": [{"kind": c.kind, "amount": c.amount_yen} for c in changes],
    }
    return _event("voucher", point, data), point


async def _holders_voucher(node: Node, session: Session, voucher_id: str) -> Voucher:
    voucher = await queries.get_voucher(node.require_reader(), voucher_id)
    if voucher is None or voucher.holder_id != session.account.customer_id:
        raise VoucherNotFound()
    return voucher


def _lifetime(node: Node, session: Session) -> float:
    left = session.expires_at - node.clock.now().timestamp()
    return max(1.0, min(STREAM_LIFETIME_S, left))


@requires(Role.CUSTOMER)
async def events(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    voucher_id = request.match_info["voucher_id"]
    voucher = await _holders_voucher(node, session, voucher_id)
    watch = node_watch(request)
    watcher = watch.watch(session.account.account_id, voucher_id)
    if watcher is None:  # as many streams as the node allows: the page keeps its QR refresh
        return web.Response(status=503, headers={"Retry-After": "30", "Cache-Control": "no-store"})
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream",
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",  # a reverse proxy must pass events on at once
        }
    )
    try:
        await response.prepare(request)
        await response.write(f"retry: {RETRY_MS}\n\n".encode())
        first, after = await _voucher_event(node, voucher, _point(request))
        await response.write(first)
        await _stream(request, node, session, watcher, response, after)
    except (ConnectionResetError, ConnectionError):
        pass  # the page went away
    finally:
        watch.unwatch(watcher)
    return response


async def _stream(
    request: web.Request,
    node: Node,
    session: Session,
    watcher: Watcher,
    response: web.StreamResponse,
    after: int,
) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + _lifetime(node, session)
    while (left := deadline - loop.time()) > 0:
        try:
            await asyncio.wait_for(watcher.wake.wait(), timeout=min(HEARTBEAT_S, left))
        except TimeoutError:
            if await _signed_out(request, node, response):
                return
            await response.write(b": keep-alive\n\n")
            continue
        watcher.wake.clear()
        if watcher.ended is not None:
            if watcher.ended == "replaced":
                await response.write(_event("replaced", None, {}))
            return
        if await _signed_out(request, node, response):  # since the last wake: tell nothing more
            return
        voucher = await queries.get_voucher(node.require_reader(), watcher.voucher_id)
        if voucher is None or voucher.holder_id != session.account.customer_id:
            return
        event, after = await _voucher_event(node, voucher, after)
        await response.write(event)
    await _signed_out(request, node, response)


async def _signed_out(request: web.Request, node: Node, response: web.StreamResponse) -> bool:
    """Whether the stream's session has ended (signed out, expired); if so the page is told."""
    if await current_session(request, node) is not None:
        return False
    await response.write(_event("signed_out", None, {}))
    return True
