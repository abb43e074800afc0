"""A background job run every so often for as long as a block (a cleanup context) lasts.

A failed run is logged and tried again at the next interval, never ends the job; leaving the
block cancels the job and waits for it, so the node stops cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager


@asynccontextmanager
async def every(
    seconds: float, run: Callable[[], Awaitable[object]], name: str, log: logging.Logger
) -> AsyncIterator[None]:
    """Run `run` every `seconds` (first after one interval) while the block lasts; `name` names
    the task and, in the log, what failed."""

    async def forever() -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                await run()
            except Exception:
                log.exception("%s failed; will retry", name)

    task = asyncio.create_task(forever(), name=f"kippu-{name}")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
