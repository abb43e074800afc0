"""Connection guard: head and idle timeouts, caps per client address and in total, quiet accept errors.

A connection that sends nothing, or half a request line, must not hold a file descriptor for long:
about a thousand of them used to exhaust the descriptor limit and stop the whole node (issue 13).

- Idle: aiohttp's `keepalive_timeout` (server.idle_timeout_seconds) runs from the moment a
  connection opens and from each answer; a connection still waiting for its next request head
  then is closed. aiohttp does not restart it on incoming bytes, so it also bounds a head that
  trickles in.
- Head: aiohttp has no timer for the request head itself. `GuardedRequestHandler` starts one at
  the first byte that arrives while the connection waits for a request; if the head (request
  line and headers) is still incomplete after server.head_timeout_seconds, the connection closes.
- TLS: a connection is admitted (counted and capped) at TCP accept, not once its handshake is
  done, and the handshake must end within server.head_timeout_seconds of the accept
  (GuardedTlsProtocol). A TLS connection over a cap is closed without an answer.
- Per address: more than server.max_connections_per_address open connections from one IP address
  are answered 503 `server.too_many_connections` and closed at once. A trusted reverse proxy
  (web.trusted_proxies) carries every client's connections, so its address has no such cap (its
  connections still count in the total); the sign-in throttles tell its clients apart.
- In total: at server.max_connections (by default the descriptor limit less a reserve) the
  connection that waits for a request (or is still in its TLS handshake) and has been silent
  longest is closed to make room (a client in the middle of its work keeps its connection); if
  none is waiting, the newcomer gets the 503. The node never runs out of descriptors, so it keeps answering.
- `quiet_accept_errors`: asyncio logs a traceback for every failed accept() (EMFILE), up to the
  backlog per loop tick, megabytes a second; these are logged at most once per interval, counted.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import resource
import socket
import ssl
from asyncio import sslproto
from collections import Counter, OrderedDict
from collections.abc import Callable
from typing import Any, cast

from aiohttp import web

from node.errors import TooManyConnections

log = logging.getLogger(__name__)

BACKLOG = 128  # asyncio accepts up to this many connections per loop tick before any is guarded
DESCRIPTOR_RESERVE = BACKLOG + 64  # one tick of accepts, the database, logs, outbound requests
ACCEPT_ERROR = "socket.accept() out of system resource"
ACCEPT_LOG_INTERVAL_S = 60.0


def connection_limit(configured: int) -> int:
    """server.max_connections, or (0) what the process's descriptor limit leaves room for."""
    if configured:
        return configured
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 1_000_000
    return max(16, soft - DESCRIPTOR_RESERVE)


def _refusal(error: TooManyConnections) -> bytes:
    body = json.dumps(error.to_json()).encode()
    head = (
        f"HTTP/1.1 {error.http_status} Service Unavailable\r\n"
        "Content-Type: application/json; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\nRetry-After: 1\r\n\r\n"
    )
    return head.encode() + body


class ConnectionGuard:
    """Counts open connections per address and in total; decides who may stay."""

    def __init__(
        self,
        per_address: int,
        total: int,
        head_timeout_s: float,
        uncapped: Callable[[str], bool] = lambda address: False,
    ) -> None:
        self.per_address = per_address
        self._uncapped = uncapped  # addresses of trusted proxies: no per-address cap
        self.total = total
        self.head_timeout_s = head_timeout_s
        # Least recently active first: a byte received moves a connection to the end.
        self._open: OrderedDict[GuardedRequestHandler, str] = OrderedDict()
        self._by_address: Counter[str] = Counter()
        self.refused = 0
        self.evicted = 0
        self.head_timeouts = 0

    @property
    def open_connections(self) -> int:
        return len(self._open)

    def admit(self, handler: GuardedRequestHandler, address: str) -> bool:
        if self._by_address[address] >= self.per_address and not self._uncapped(address):
            self.refused += 1
            return False
        if len(self._open) >= self.total and not self._evict_one_waiting():
            self.refused += 1
            return False
        self._open[handler] = address
        self._by_address[address] += 1
        return True

    def touch(self, handler: GuardedRequestHandler) -> None:
        """Bytes arrived: this connection is the last to be evicted now."""
        if handler in self._open:
            self._open.move_to_end(handler)

    def release(self, handler: GuardedRequestHandler) -> None:
        address = self._open.pop(handler, None)
        if address is not None:
            self._by_address[address] -= 1
            if not self._by_address[address]:
                del self._by_address[address]

    def close_handshakes(self) -> None:
        """The node stops: close connections still in their TLS handshake (aiohttp, which closes
        the others, does not know them yet)."""
        for handler in list(self._open):
            if handler.is_handshaking:
                handler.force_close()

    def _evict_one_waiting(self) -> bool:
        for handler in self._open:
            if handler.is_waiting_for_request():
                self.release(handler)
                self.evicted += 1
                handler.force_close()
                return True
        return False


class GuardedRequestHandler(web.RequestHandler):
    """aiohttp's request handler with the guard's admission and a timer for the request head."""

    def __init__(self, manager: web.Server, guard: ConnectionGuard, **kwargs: Any) -> None:
        super().__init__(manager, **kwargs)
        self._guard = guard
        self._admitted = False
        self._head_timer: asyncio.TimerHandle | None = None
        # TLS: the TCP transport from accept until the handshake is done (GuardedTlsProtocol).
        self._handshaking: asyncio.Transport | None = None

    def _admit(self, transport: asyncio.BaseTransport) -> bool:
        peer = transport.get_extra_info("peername")
        address = str(peer[0]) if isinstance(peer, tuple) and peer else ""
        self._admitted = self._guard.admit(self, address)
        return self._admitted

    def admit_before_handshake(self, transport: asyncio.Transport) -> bool:
        """TLS, at TCP accept: counted and capped now; the handshake must end in the head time."""
        if not self._admit(transport):
            return False
        self._handshaking = transport
        self._start_head_timer()
        return True

    def handshake_ended(self) -> None:
        """The TCP connection closed; if its handshake was not done, it no longer counts (after
        the handshake, connection_lost releases it)."""
        if self._handshaking is not None:
            self._handshaking = None
            self._stop_head_timer()
            self._guard.release(self)

    def note_bytes_arrived(self) -> None:
        """Handshake bytes count as activity: this connection is the last to be evicted now."""
        self._guard.touch(self)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if self._handshaking is not None:  # TLS: admitted at accept, the handshake is done
            self._handshaking = None
            self._stop_head_timer()  # the request head gets its own time, from its first byte
        elif not self._admit(transport):
            stream = cast(asyncio.WriteTransport, transport)  # a stream server's transport
            stream.write(_refusal(TooManyConnections()))
            stream.close()
            return
        super().connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if not self._admitted:
            return
        self._guard.touch(self)
        waiting = self.is_waiting_for_request()
        super().data_received(data)
        if not waiting:
            return  # body bytes, or the next request pipelined behind one being handled
        if self.is_waiting_for_request():  # the head is incomplete: it has a deadline
            if self._head_timer is None:
                self._start_head_timer()
        else:  # the head is complete: idle time is not head time
            self._stop_head_timer()

    def _start_head_timer(self) -> None:
        loop = asyncio.get_running_loop()
        self._head_timer = loop.call_later(self._guard.head_timeout_s, self._head_overdue)

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_overdue(self) -> None:
        self._head_timer = None
        if self.is_waiting_for_request():  # still no handshake or complete head since it began
            self._guard.head_timeouts += 1
            self.force_close()

    @property
    def is_handshaking(self) -> bool:
        return self._handshaking is not None

    def is_waiting_for_request(self) -> bool:
        """In a TLS handshake, between requests, or part-way through a head: nothing of ours runs."""
        if self._handshaking is not None:
            return True
        return self._waiter is not None and not self._waiter.done()

    def force_close(self) -> None:
        if self._handshaking is not None:  # no HTTP yet: drop the TCP connection itself
            self._handshaking.abort()
        super().force_close()

    def connection_lost(self, exc: BaseException | None) -> None:
        self._stop_head_timer()
        if not self._admitted:
            return
        self._guard.release(self)
        super().connection_lost(exc)


class GuardedTlsProtocol(sslproto.SSLProtocol):
    """TLS for one connection, under the guard from TCP accept rather than from the handshake.

    asyncio's own TLS server (create_server(ssl=...)) calls the handler, and so the guard, only
    once the handshake is done: until then a connection is neither counted nor capped, and
    sockets that never send a ClientHello could exhaust the descriptors again. This is the
    protocol asyncio would put under the handler, with admission first. A connection over a cap
    is closed without an answer: a 503 would need the very handshake the cap is there to avoid.
    """

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        handler: GuardedRequestHandler,
        context: ssl.SSLContext,
        head_timeout_s: int,
    ) -> None:
        outcome = loop.create_future()  # a failed handshake ends in connection_lost, handled there
        outcome.add_done_callback(lambda done: done.cancelled() or done.exception())
        # The handler's head timer closes a slow handshake (and counts it); asyncio's own
        # handshake timeout, at twice that, is only the backstop.
        super().__init__(
            loop,
            handler,
            context,
            outcome,
            server_side=True,
            ssl_handshake_timeout=2 * head_timeout_s,
        )
        self._handler = handler

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        stream = cast(asyncio.Transport, transport)  # a stream server's transport
        if not self._handler.admit_before_handshake(stream):
            stream.close()
            return
        super().connection_made(transport)

    def buffer_updated(self, nbytes: int) -> None:
        self._handler.note_bytes_arrived()
        super().buffer_updated(nbytes)

    def connection_lost(self, exc: BaseException | None) -> None:
        self._handler.handshake_ended()
        super().connection_lost(exc)


class GuardedSite(web.BaseSite):
    """Serves a bound socket through GuardedRequestHandler (plain or TLS)."""

    __slots__ = ("_guard", "_handler_options", "_sock")

    def __init__(
        self,
        runner: web.BaseRunner,
        sock: socket.socket,
        guard: ConnectionGuard,
        handler_options: dict[str, Any],
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(runner, ssl_context=ssl_context, backlog=BACKLOG)
        self._sock = sock
        self._guard = guard
        self._handler_options = handler_options

    @property
    def name(self) -> str:
        host, port = self._sock.getsockname()[:2]
        return f"{'https' if self._ssl_context else 'http'}://{host}:{port}"

    async def start(self) -> None:
        await super().start()
        loop = asyncio.get_running_loop()
        server = self._runner.server
        if server is None:
            raise RuntimeError("call runner.setup() before starting a site")

        context = self._ssl_context
        head_timeout_s = math.ceil(self._guard.head_timeout_s)

        def protocol() -> asyncio.BaseProtocol:
            handler = GuardedRequestHandler(server, self._guard, loop=loop, **self._handler_options)
            if context is None:
                return handler
            return GuardedTlsProtocol(loop, handler, context, head_timeout_s)

        # TLS is layered here, per connection, not by asyncio (see GuardedTlsProtocol).
        self._server = await loop.create_server(protocol, sock=self._sock, backlog=self._backlog)

    async def stop(self) -> None:
        await super().stop()
        self._guard.close_handshakes()


class AcceptErrorLog:
    """The loop's exception handler: failed accepts logged once per interval, others as usual."""

    def __init__(self, interval_s: float = ACCEPT_LOG_INTERVAL_S) -> None:
        self.interval_s = interval_s
        self.suppressed = 0
        self._last_logged: float | None = None

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if context.get("message") != ACCEPT_ERROR:
            loop.default_exception_handler(context)
            return
        now = loop.time()
        if self._last_logged is not None and now - self._last_logged < self.interval_s:
            self.suppressed += 1
            return
        self._last_logged = now
        log.error(
            "cannot accept connections: %s (%d more like it since the last report); raise the "
            "descriptor limit (LimitNOFILE) or lower server.max_connections",
            context.get("exception"),
            self.suppressed,
        )
        self.suppressed = 0


def quiet_accept_errors(loop: asyncio.AbstractEventLoop) -> None:
    """Install AcceptErrorLog on the loop that runs `kippu serve`."""
    loop.set_exception_handler(AcceptErrorLog())
