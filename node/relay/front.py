"""The relay's HTTP side: the two routes it takes, each request passed to the node as a frame
and its answer given back as the node gave it (status, body, Retry-After).

The relay reads what the node's route would read and decides nothing: not the caller's token,
not the body's fields, not the query (a refusal of any of these is the node's, word for word).
Once the node said a campaign is sold out, the relay answers that itself for a second to callers
the node let through (memo.py): the flood after the stock is gone never reaches the node.
Any other path is `request.no_route` (404), another method on its paths 405; a node that cannot
be reached is `node.unavailable` (503). The relay keeps the node's connection guard
(node/connections.py: head and idle timeouts, caps per address and in total) and its TLS.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from node.campaigns import grant_keys, rush_api
from node.config import Config
from node.errors import KippuError, RouteNotFound, ValidationError
from node.http.answers import error_response, not_allowed
from node.http.input import MAX_BODY_BYTES, read_capped
from node.listening import connection_guard, listen_app
from node.relay.frames import MAX_LINE_BYTES, AskFrame
from node.relay.link import NodeLink
from node.relay.memo import AnswerMemo
from node.runtime import Handler

log = logging.getLogger(__name__)

LINK = web.AppKey("relay_link", NodeLink)
MEMO = web.AppKey("relay_memo", AnswerMemo)


@web.middleware
async def _errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except KippuError as exc:  # the relay's own refusals: all actionable (node.unavailable)
        return error_response(exc)
    except web.HTTPNotFound:
        return error_response(RouteNotFound())
    except web.HTTPMethodNotAllowed as exc:
        return not_allowed(request.method, exc.allowed_methods)
    except web.HTTPException:
        raise
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("internal error in the relay's %s %s", request.method, request.path)
        return error_response(KippuError("internal error"))


async def _relay(request: web.Request, route: str) -> web.Response:
    link = request.app[LINK]
    body, is_too_large = b"", False
    if request.method == "POST":
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            is_too_large = True
        else:
            read = await read_capped(request.content, MAX_BODY_BYTES)
            body, is_too_large = read or b"", read is None
    frame = AskFrame(
        id=link.next_id(),
        route=route,
        params=dict(request.match_info),
        authorization=request.headers.get("Authorization", ""),
        idempotency_key=request.headers.get(grant_keys.HEADER),
        query=list(request.query.items()),
        body=body,
        is_body_too_large=is_too_large,
    )
    memo = request.app[MEMO]
    reply = memo.answer(frame)
    if reply is None:
        line = frame.line()
        if len(line) > MAX_LINE_BYTES:  # headers the node takes no such length of
            raise ValidationError("The request's headers are too long.")
        reply = await link.ask(frame, line)
        memo.learn(frame, reply)
    headers = {} if reply.retry_after_s is None else {"Retry-After": str(reply.retry_after_s)}
    return web.json_response(reply.body, status=reply.status, headers=headers)


async def _grant(request: web.Request) -> web.Response:
    return await _relay(request, "grant")


async def _ticket(request: web.Request) -> web.Response:
    return await _relay(request, "ticket")


def relay_app(link: NodeLink) -> web.Application:
    app = web.Application(middlewares=[_errors])
    app[LINK] = link
    app[MEMO] = AnswerMemo()
    app.router.add_post(rush_api.GRANTS, _grant)
    app.router.add_get(rush_api.TICKET, _ticket)

    async def close_link(app: web.Application) -> None:
        await app[LINK].close()

    app.on_cleanup.append(close_link)
    return app


async def start_relay(
    config: Config, link: NodeLink, host: str, port: int
) -> tuple[web.AppRunner, int]:
    """Listen as the node does (its connection guard, its TLS); the runner and the port bound."""
    guard = connection_guard(config)
    return await listen_app(relay_app(link), config.server, guard, host, port)
