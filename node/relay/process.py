"""`kippu serve` keeps its rush relay running: started once the node listens (so its socket is
there), watched, started again if it dies (after 1 s, doubling to 30 s while it keeps dying
within a minute), and stopped before the node stops.

A relay that cannot start the first time (its port taken, a bad address) stops `kippu serve`
with config.invalid, as a node.listen the node cannot bind would.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from pathlib import Path

from node.config import ListenAddress
from node.errors import ConfigError

log = logging.getLogger(__name__)

# The one line the relay prints once it accepts connections (node/relay/__main__.py).
READY = "listening on"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
FIRST_BACKOFF_S = 1.0
MAX_BACKOFF_S = 30.0
STEADY_S = 60.0  # up this long: the next failure starts again from FIRST_BACKOFF_S


class RelayProcess:
    def __init__(self, home: Path, listen: ListenAddress) -> None:
        self._home = home
        self._listen = listen
        self._process: asyncio.subprocess.Process | None = None
        self._watching: asyncio.Task[None] | None = None
        self._draining: asyncio.Task[None] | None = None
        self.starts = 0

    async def start(self) -> None:
        """Start the relay and wait until it listens; ConfigError if it cannot."""
        await self._spawn()
        self._watching = asyncio.create_task(self._watch(), name="kippu-relay-watch")

    async def stop(self) -> None:
        if self._watching is not None:
            self._watching.cancel()
            try:
                await self._watching
            except asyncio.CancelledError:
                pass
            except Exception:  # the watch's own fault must not keep the node from stopping
                log.exception("the rush relay's watch had failed")
            self._watching = None
        await self._end()

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    async def _spawn(self) -> None:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "node.relay",
            "--home",
            str(self._home),
            "--until-stdin-closes",  # the node's end of the pipe closes however the node ends
            stdout=asyncio.subprocess.PIPE,
            stdin=asyncio.subprocess.PIPE,
        )
        self._process = process
        self.starts += 1
        assert process.stdout is not None  # noqa: S101 (asked for above)
        try:
            line = await asyncio.wait_for(process.stdout.readline(), START_TIMEOUT_S)
        except TimeoutError:
            line = b""
        except BaseException:  # stopped while it starts: it must not outlive the node
            await self._end()
            raise
        if not line.decode(errors="replace").startswith(READY):
            await self._end()
            raise ConfigError(
                [
                    f"campaigns.rush.relay_listen: the relay did not start on {self._listen}"
                    " (its reason is logged above)"
                ]
            )
        log.info("rush relay (pid %d) %s", process.pid, line.decode().strip())
        self._draining = asyncio.create_task(_drain(process.stdout))  # a full pipe would block it

    async def _watch(self) -> None:
        backoff = FIRST_BACKOFF_S
        while True:
            process = self._process
            if process is not None:  # None: the last start failed
                started = time.monotonic()
                code = await process.wait()
                if time.monotonic() - started >= STEADY_S:
                    backoff = FIRST_BACKOFF_S
                log.error("the rush relay exited (code %d); starting it again", code)
            await asyncio.sleep(backoff)
            backoff = min(MAX_BACKOFF_S, backoff * 2)
            try:
                await self._spawn()
            except ConfigError as exc:
                log.error("the rush relay did not start again: %s", exc.message)
            except Exception:  # no process now (descriptors, memory), or its start went wrong
                log.exception("the rush relay could not be started again")

    async def _end(self) -> None:
        process, self._process = self._process, None
        if self._draining is not None:
            self._draining.cancel()
            self._draining = None
        if process is None or process.returncode is not None:
            return
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), STOP_TIMEOUT_S)
        except TimeoutError:
            log.error("the rush relay did not stop in %.0f s: killed", STOP_TIMEOUT_S)
            process.kill()
            await process.wait()


async def _drain(stdout: asyncio.StreamReader) -> None:
    """What the relay prints after its ready line (nothing, today), read and dropped."""
    while await stdout.read(65_536):
        pass
