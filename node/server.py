"""Running a node: load its home, listen, write the admin token, stop cleanly on SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket

from aiohttp import web

from node.app import Node, create_app
from node.clock import Clock, Randomness, SystemClock, SystemRandomness
from node.config import load_config
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

log = logging.getLogger(__name__)


def load_node(home: NodeHome, clock: Clock | None = None, rng: Randomness | None = None) -> Node:
    """Read config and key from a home; mint this run's admin token (written once listening)."""
    config = load_config(home.config_path)
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
    runner = web.AppRunner(create_app(node), access_log=None, handle_signals=False)
    try:
        await runner.setup()
        await web.SockSite(runner, sock).start()
    except BaseException:
        sock.close()
        await runner.cleanup()
        raise
    return runner, int(sock.getsockname()[1])


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
    log.info(
        "node %r (%s) listening on %s:%d",
        node.config.node.name,
        node.identity.fingerprint,
        listen.host,
        port,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        log.info("stopping")
        await runner.cleanup()
        remove_admin_token(home)
