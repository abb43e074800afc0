"""Running a node: load its home, listen, write the admin token, stop cleanly on SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import ssl
from typing import Any

from aiohttp import web

from node import serving_lock
from node.app import create_app
from node.client_address import is_trusted_proxy
from node.clock import Clock, Randomness, SystemClock, SystemRandomness
from node.config import ServerConfig, load_config
from node.connections import ConnectionGuard, GuardedSite, connection_limit, quiet_accept_errors
from node.errors import ConfigError
from node.home import (
    NodeHome,
    check_writable,
    new_admin_token,
    remove_admin_token,
    write_admin_token,
)
from node.identity import load_identity
from node.peering.rotation import finish_interrupted_rotation
from node.runtime import Node

log = logging.getLogger(__name__)


def load_node(home: NodeHome, clock: Clock | None = None, rng: Randomness | None = None) -> Node:
    """Read config and key from a home; mint this run's admin token (written once listening).

    A rotation left half done is finished or undone only under the serving lock: a node that is
    running holds it, and may be between writing node.key.next and recording it (rotation.py),
    so a second `kippu serve` on the same home is refused (storage.node_running) before it looks
    at the staged key. The lock is let go here and taken again when the node opens its database;
    a node that starts in between finds nothing left to recover, and one of the two is refused.
    """
    config = load_config(home.config_path)
    with serving_lock.held(home.database_path):
        finish_interrupted_rotation(home.key_path, home.database_path)
        identity = load_identity(home.key_path)
    return Node(
        config=config,
        identity=identity,
        database_path=home.database_path,
        admin_token=new_admin_token(),
        clock=clock or SystemClock(),
        rng=rng or SystemRandomness(),
        key_path=home.key_path,
    )


async def start(node: Node, host: str, port: int) -> tuple[web.AppRunner, int]:
    """Start serving; return the runner and the bound port (port 0 picks a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, reuse_port=False)
    settings = node.config.server
    options: dict[str, Any] = {
        "access_log": None,
        "keepalive_timeout": settings.idle_timeout_seconds,
    }
    runner = web.AppRunner(create_app(node), handle_signals=False, **options)
    proxies = node.config.web.trusted_proxies
    guard = ConnectionGuard(
        settings.max_connections_per_address,
        connection_limit(settings.max_connections),
        settings.head_timeout_seconds,
        lambda address: is_trusted_proxy(address, proxies),
    )
    node.connections = guard
    node.metrics.watch_connections(guard)
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


async def serve(home: NodeHome, *, discovery: bool = True) -> None:
    """`kippu serve`: run until interrupted, then finish queued writes and remove the token."""
    check_writable(home)  # before listening: a node that cannot write must not look alive
    node = load_node(home)
    node.advertise = discovery
    listen = node.config.node.listen
    try:
        runner, port = await start(node, listen.host, listen.port)
    except OSError as exc:
        raise ConfigError([f"node.listen: cannot listen on {listen}: {exc.strerror}"]) from exc
    write_admin_token(home, node.admin_token)
    if node.connections is not None:
        log.info(
            "at most %d connections at once, %d per client address (server.max_connections*)",
            node.connections.total,
            node.connections.per_address,
        )
    log.info(
        "node %r (%s) listening on %s:%d",
        node.config.node.name,
        node.identity.fingerprint,
        listen.host,
        port,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    quiet_accept_errors(loop)
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        log.info("stopping")
        await runner.cleanup()
        remove_admin_token(home)
