"""The relay's end of its link to the node: asks written as frames, answers matched by id.

One connection to the node's socket, made when the first ask comes and made again after a
failure. While the node cannot be reached, an ask is answered `node.unavailable` (503) at once;
asks on a link that breaks are answered the same, and whether such a grant was made is what a
retry with the same Idempotency-Key tells (the node answers the grant it made).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from pathlib import Path

from node.errors import NodeUnavailable
from node.relay.frames import MAX_LINE_BYTES, AskFrame, FrameError, ReplyFrame, read_reply
from node.relay.lines import LineWriter

log = logging.getLogger(__name__)

# The node answers every ask within seconds (a grant it cannot decide in 2 s is answered with
# its ticket): an ask not answered in this long is answered `node.unavailable`, not held open.
ANSWER_TIMEOUT_S = 30.0


class NodeLink:
    def __init__(self, socket_path: Path) -> None:
        self._path = socket_path
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[ReplyFrame]] = {}
        self._lines: LineWriter | None = None
        self._connecting: asyncio.Lock | None = None
        self._reading: asyncio.Task[None] | None = None
        self.asked = 0  # asks sent to the node

    async def ask(self, frame: AskFrame, line: bytes) -> ReplyFrame:
        """The node's answer to `frame`, sent as `line` (its id is this link's to give:
        `next_id`); `node.unavailable` if the node cannot be reached or does not answer within
        ANSWER_TIMEOUT_S."""
        lines = await self._connected()
        self.asked += 1
        future: asyncio.Future[ReplyFrame] = asyncio.get_running_loop().create_future()
        self._waiting[frame.id] = future
        lines.send(line)
        try:
            return await asyncio.wait_for(future, ANSWER_TIMEOUT_S)
        except TimeoutError:
            log.error("the node did not answer ask %d in %.0f s", frame.id, ANSWER_TIMEOUT_S)
            raise NodeUnavailable() from None
        finally:
            self._waiting.pop(frame.id, None)

    def next_id(self) -> int:
        return next(self._ids)

    async def close(self) -> None:
        if self._reading is not None:
            self._reading.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reading
        self._fail_waiting()

    async def _connected(self) -> LineWriter:
        if self._lines is not None:
            return self._lines
        if self._connecting is None:
            self._connecting = asyncio.Lock()
        async with self._connecting:
            if self._lines is None:  # not made meanwhile by another ask
                try:
                    reader, writer = await asyncio.open_unix_connection(
                        self._path, limit=MAX_LINE_BYTES
                    )
                except OSError as exc:
                    log.warning("cannot reach the node at %s: %s", self._path, exc)
                    raise NodeUnavailable() from exc
                self._lines = LineWriter(writer)
                self._reading = asyncio.create_task(self._read(reader, writer))
            return self._lines

    async def _read(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readline():
                reply = read_reply(line)
                future = self._waiting.get(reply.id)
                if future is not None and not future.done():
                    future.set_result(reply)
            log.warning("the node closed the relay's link")
        except (FrameError, ValueError, ConnectionError) as exc:
            log.warning("the relay's link to the node failed: %s", exc)
        finally:
            self._lines = None
            writer.close()
            self._fail_waiting()

    def _fail_waiting(self) -> None:
        waiting = list(self._waiting.values())
        self._waiting.clear()
        for future in waiting:
            if not future.done():
                future.set_exception(NodeUnavailable())
