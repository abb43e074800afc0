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
    seconds: float,
    run: Callable[[], Awaitable[object]],
    name: str,
    log: logging.Logger,
    first_after: float | None = None,
) -> AsyncIterator[None]:
    """Run `run` every `seconds` while the block lasts, the first time after `first_after`
    seconds (None: one interval); `name` names the task and, in the log, what failed."""

    async def forever() -> None:
        wait = seconds if first_after is None else first_after
        while True:
            await asyncio.sleep(wait)
            wait = seconds
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
