"""Listening for HTTP as the node does: its connection guard (node/connections.py), the
server's timeouts and its TLS. The node (node/server.py) and its rush relay (node/relay/) both
listen this way."""

from __future__ import annotations

import gc
import socket
import ssl
from typing import Any

from aiohttp import web

from node.client_address import is_trusted_proxy
from node.config import Config, ServerConfig
from node.connections import ConnectionGuard, GuardedSite, connection_limit


def connection_guard(config: Config) -> ConnectionGuard:
    """The guard of every connection the node (or its rush relay) accepts."""
    settings, proxies = config.server, config.web.trusted_proxies
    return ConnectionGuard(
        settings.max_connections_per_address,
        connection_limit(settings.max_connections),
        settings.head_timeout_seconds,
        lambda address: is_trusted_proxy(address, proxies),
    )


async def listen_app(
    app: web.Application, settings: ServerConfig, guard: ConnectionGuard, host: str, port: int
) -> tuple[web.AppRunner, int]:
    """Serve `app` on host:port behind `guard`, with the server's timeouts and TLS."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, reuse_port=False)
    options: dict[str, Any] = {
        "access_log": None,
        "keepalive_timeout": settings.idle_timeout_seconds,
    }
    runner = web.AppRunner(app, handle_signals=False, **options)
    try:
        await runner.setup()
        await GuardedSite(runner, sock, guard, options, tls_context(settings)).start()
    except BaseException:
        sock.close()
        await runner.cleanup()
        raise
    return runner, int(sock.getsockname()[1])


def tls_context(settings: ServerConfig) -> ssl.SSLContext | None:
    """The server's TLS context from server.tls_certificate and tls_key, or None for plain HTTP."""
    if not settings.has_tls:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(settings.tls_certificate, settings.tls_key)
    return context


def settle_heap() -> None:
    """Once serving: everything made so far (the modules, their tables, the templates and
    catalogues, the bank-code list) is kept out of the garbage collector's full passes. Left in,
    each full pass walked all of it, about 100 ms with every thread stopped, every few seconds
    in a rush (docs/performance.md); frozen, a full pass takes a few milliseconds."""
    gc.collect()  # what startup left unreachable is freed, not kept for ever
    gc.freeze()
