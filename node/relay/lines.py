"""Both ends of the relay's link write frames the same way: every line sent in one turn of the
event loop goes out in one write (in a rush, hundreds of frames a turn: one system call, not
hundreds)."""

from __future__ import annotations

import asyncio


class LineWriter:
    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self._writer = writer
        self._lines: list[bytes] = []

    def send(self, line: bytes) -> None:
        if self._writer.is_closing():
            return  # the link is gone: whoever waits for an answer is told by its reader
        if not self._lines:
            asyncio.get_running_loop().call_soon(self._flush)
        self._lines.append(line)

    def _flush(self) -> None:
        lines, self._lines = self._lines, []
        if lines and not self._writer.is_closing():
            self._writer.write(b"".join(lines))
