"""Running a node: load its home, listen, write the admin token, stop cleanly on SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal

from aiohttp import web

from node import serving_lock
from node.app import create_app
from node.clock import Clock, Randomness, SystemClock, SystemRandomness
from node.config import load_config
from node.connections import quiet_accept_errors
from node.errors import ConfigError
from node.home import (
    NodeHome,
    check_writable,
    new_admin_token,
    remove_admin_token,
    write_admin_token,
)
from node.identity import load_identity
from node.listening import connection_guard, listen_app, settle_heap
from node.peering.rotation import finish_interrupted_rotation
from node.relay.process import RelayProcess
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
    guard = connection_guard(node.config)
    node.connections = guard
    node.metrics.watch_connections(guard)
    return await listen_app(create_app(node), node.config.server, guard, host, port)


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
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    quiet_accept_errors(loop)
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    relay_listen, relay = node.config.campaign_rush.relay_listen, None
    try:
        if relay_listen is not None:  # once the node listens: its socket is there
            relay = RelayProcess(home.root, relay_listen)
            await relay.start()
        write_admin_token(home, node.admin_token)  # ready: the relay too, if there is one
        settle_heap()
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
        await stop.wait()
    finally:
        log.info("stopping")
        if relay is not None:
            await relay.stop()
        await runner.cleanup()
        remove_admin_token(home)
