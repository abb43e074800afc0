"""The node's end of the rush relay: a Unix socket in the node's home where the relay's frames
are decided by the very code the node's own routes run (node/campaigns/rush_api.py), in the same
order of checks as the admin API's guard (node/app.py): the caller admitted, the query refused,
then the route's own. Each ask is answered once, as soon as it is decided.

The socket is the owner's alone (0600, in the home beside the admin token): whoever can open it
can already read the node's admin token. A frame that does not read as an ask closes its link
(the relay connects again); an ask's refusal is its answer, like the route's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from aiohttp import web
from multidict import MultiDict

from node.campaigns import rush_api
from node.campaigns.rush import RUSH, GrantRush
from node.errors import ConfigError, InvalidJson, KippuError, shown_to_user
from node.http import input as body_input
from node.relay.frames import (
    MAX_LINE_BYTES,
    AskFrame,
    FrameError,
    ReplyFrame,
    ask_id,
    read_ask,
)
from node.relay.lines import LineWriter
from node.runtime import NODE, Node
from node.web.api_guard import admitted_caller

log = logging.getLogger(__name__)

SOCKET_NAME = "relay.sock"
# Longest path a Unix socket's address holds on Linux (sun_path is 108 bytes, NUL included).
MAX_SOCKET_PATH_BYTES = 107
# Asks taken from the link in one turn of the event loop before the loop serves anything else.
ASKS_PER_TURN = 16


def socket_path(database_path: Path) -> Path:
    """Where the node listens for its relay: beside its database, in its home."""
    return database_path.parent / SOCKET_NAME


class RelayBackend:
    def __init__(self, node: Node, rush: GrantRush, path: Path) -> None:
        self._node = node
        self._rush = rush
        self._path = path
        self._server: asyncio.Server | None = None
        self._links: dict[asyncio.Task[None], asyncio.StreamWriter] = {}
        self._asks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Listen on the socket; ConfigError naming it if the node cannot."""
        path = os.fspath(self._path)
        if len(os.fsencode(path)) > MAX_SOCKET_PATH_BYTES:
            raise ConfigError(
                [
                    f"campaigns.rush.relay_listen: the relay's socket {path} is over"
                    f" {MAX_SOCKET_PATH_BYTES} bytes: move the node's home to a shorter path"
                ]
            )
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            with contextlib.suppress(FileNotFoundError):
                self._path.unlink()  # left by a node that stopped without removing it
            old_mask = os.umask(0o177)  # bound 0600: no moment where another user may connect
            try:
                listener.bind(path)
            finally:
                os.umask(old_mask)
            self._server = await asyncio.start_unix_server(
                self._link, sock=listener, limit=MAX_LINE_BYTES
            )
        except BaseException as exc:
            listener.close()
            with contextlib.suppress(OSError):
                self._path.unlink()
            if not isinstance(exc, OSError):
                raise
            raise ConfigError(
                [f"campaigns.rush.relay_listen: cannot listen on {path}: {exc.strerror or exc}"]
            ) from exc

    async def close(self) -> None:
        """Stop listening, close every link, and end the asks still under way (a grant in the
        writer commits either way; nobody is left to hear of it)."""
        if self._server is not None:
            self._server.close()
            for writer in list(self._links.values()):
                writer.close()  # its reader sees the end: the link's task ends by itself
            await asyncio.gather(*self._links, return_exceptions=True)
            for task in list(self._asks):
                task.cancel()
            await asyncio.gather(*self._asks, return_exceptions=True)
            await self._server.wait_closed()
            self._server = None
        with contextlib.suppress(FileNotFoundError):
            self._path.unlink()

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        link = asyncio.current_task()
        if link is not None:
            self._links[link] = writer
        lines = LineWriter(writer)
        try:
            taken = 0
            while line := await reader.readline():
                self._take(line, lines)
                taken += 1
                if taken % ASKS_PER_TURN == 0:
                    # The relay sends a turn's asks in one write, hundreds in a rush: taken all
                    # at once, their first steps would make one turn of the loop that long, and
                    # a counter's redemption would wait for all of them.
                    await asyncio.sleep(0)
        except FrameError as exc:
            log.warning("the rush relay sent a line that is not an ask (%s): link closed", exc)
        except (ValueError, ConnectionError) as exc:  # ValueError: a line over the limit
            log.warning("the rush relay's link failed: %s", exc)
        finally:
            # Asks under way still finish (a grant in the writer commits either way); their
            # answers have nowhere to go once the link is closed.
            writer.close()
            if link is not None:
                self._links.pop(link, None)

    def _take(self, line: bytes, lines: LineWriter) -> None:
        """Start deciding one ask. A line that is no ask but names one is answered alone
        (internal error: the relay's fault); one that names none ends the link (raised)."""
        try:
            ask = read_ask(line)
        except FrameError:
            named = ask_id(line)
            if named is None:
                raise
            log.error("the rush relay sent ask %d that cannot be read", named)
            hidden = KippuError("internal error")
            lines.send(ReplyFrame(named, hidden.http_status, hidden.to_json()).line())
            return
        task = asyncio.create_task(self._answer(ask, lines))
        self._asks.add(task)
        task.add_done_callback(self._asks.discard)

    async def _answer(self, ask: AskFrame, lines: LineWriter) -> None:
        try:
            answer = await self._decide(ask)
        except KippuError as exc:
            shown = shown_to_user(exc)
            if shown is not exc:
                log.error("relayed %s failed with %s", ask.route, exc.code, exc_info=exc)
            elif shown.http_status >= 500:  # the admin acts on it (a full disk)
                log.error("relayed %s refused: %s", ask.route, exc.code)
            answer = rush_api.Answer(shown.http_status, shown.to_json())
        except Exception:
            log.exception("internal error in a relayed %s", ask.route)
            hidden = KippuError("internal error")
            answer = rush_api.Answer(hidden.http_status, hidden.to_json())
        self._node.metrics.relay_asks.labels(ask.route, str(answer.status)).inc()
        line = ReplyFrame(ask.id, answer.status, answer.body, answer.retry_after_s).line()
        if len(line) > MAX_LINE_BYTES:  # a refusal repeating a huge request back: cut it short
            log.warning("the answer to relayed ask %d was cut to fit a frame", ask.id)
            line = ReplyFrame(ask.id, answer.status, _short(answer.body)).line()
        lines.send(line)

    async def _decide(self, ask: AskFrame) -> rush_api.Answer:
        node, rush = self._node, self._rush
        campaign_id = _param(ask, "campaign_id")
        if ask.route == "ticket":
            ticket = _param(ask, "ticket")
            await self._admit(ask, "GET", rush_api.TICKET)
            return rush_api.ticket_answer(rush, campaign_id, ticket)
        caller = await self._admit(ask, "POST", rush_api.GRANTS)
        rush_api.refuse_before_body(rush, campaign_id, ask.idempotency_key)
        if ask.is_body_too_large:
            raise InvalidJson("The request body is too large.")
        body = body_input.parse_body(ask.body, {"customer_id"})
        return await rush_api.grant_answer(
            node, rush, campaign_id, body, caller, ask.idempotency_key
        )

    async def _admit(self, ask: AskFrame, method: str, route: str) -> str:
        caller = await admitted_caller(self._node, ask.authorization, method, route)
        body_input.only_query_in(MultiDict(ask.query))  # neither route takes a query
        return caller


def _short(body: dict[str, Any]) -> dict[str, Any]:
    """An answer too long for one frame, kept to its error's code and the start of its message
    (only a refusal repeating a request's own text back can be that long)."""
    error = body.get("error")
    if not isinstance(error, dict):
        return KippuError("internal error").to_json()
    message = str(error.get("message", ""))
    return {"error": {"code": str(error.get("code", "internal.error")), "message": message[:500]}}


def _param(ask: AskFrame, name: str) -> str:
    value = ask.params.get(name)
    if value is None:
        raise KippuError(f"the relay's {ask.route} came without its {name}")
    return value


def install(app: web.Application) -> None:
    """After the rush's own install: the relay's socket, while the node serves, when
    [campaigns.rush] relay_listen is set."""
    app.cleanup_ctx.append(_backend_ctx)


async def _backend_ctx(app: web.Application) -> AsyncIterator[None]:
    node = app[NODE]
    if node.config.campaign_rush.relay_listen is None:
        yield
        return
    backend = RelayBackend(node, app[RUSH].require(), socket_path(node.database_path))
    await backend.start()
    try:
        yield
    finally:
        await backend.close()
