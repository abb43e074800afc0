"""`python -m node.relay --home DIR`: the rush relay of the node whose home is DIR, on
[campaigns.rush] relay_listen. `kippu serve` starts it (node/relay/process.py); it prints one
line, `listening on HOST:PORT`, once it accepts connections, and stops on SIGTERM or SIGINT."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import stat
import sys
from pathlib import Path

from node.config import load_config
from node.errors import ConfigError
from node.home import NodeHome
from node.listening import settle_heap
from node.relay.backend import socket_path
from node.relay.front import start_relay
from node.relay.link import NodeLink
from node.relay.process import READY


async def run(home: NodeHome, until_stdin_closes: bool = False) -> None:
    config = load_config(home.config_path)
    listen = config.campaign_rush.relay_listen
    if listen is None:
        raise ConfigError(["campaigns.rush.relay_listen is not set: this node has no relay"])
    watching = await _watch_stdin() if until_stdin_closes else None
    link = NodeLink(socket_path(home.database_path))
    try:
        runner, port = await start_relay(config, link, listen.host, listen.port)
    except OSError as exc:
        raise ConfigError(
            [f"campaigns.rush.relay_listen: cannot listen on {listen}: {exc.strerror}"]
        ) from exc
    settle_heap()
    print(f"{READY} {listen.host}:{port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    ended = None
    if watching is not None:
        ended = asyncio.create_task(_until_closed(watching, stop))
    try:
        await stop.wait()
    finally:
        if ended is not None:
            ended.cancel()
        await runner.cleanup()


async def _watch_stdin() -> asyncio.StreamReader:
    """Standard input, read without blocking: `kippu serve` holds its other end, so a node
    killed without a word (SIGKILL, a crash) takes its relay with it instead of leaving the
    port taken for the next start. Standard input must be a pipe then."""
    reader = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
        if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):  # a file, /dev/null: never ends
            raise ValueError("it is not a pipe")
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    except (ValueError, OSError, AttributeError) as exc:  # AttributeError: no fd 0 at all
        raise ConfigError(
            [f"--until-stdin-closes needs standard input to be a pipe ({exc})"]
        ) from exc
    return reader


async def _until_closed(reader: asyncio.StreamReader, stop: asyncio.Event) -> None:
    try:
        while await reader.read(4096):
            pass
    finally:
        stop.set()


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m node.relay", description=__doc__)
    parser.add_argument("--home", type=Path, required=True, help="the node's home directory")
    parser.add_argument(
        "--until-stdin-closes",
        action="store_true",
        help="also stop when standard input ends (how `kippu serve` runs it)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="relay %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(run(NodeHome(args.home), args.until_stdin_closes))
    except ConfigError as exc:
        print(f"error [{exc.code}]: {exc.message}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
