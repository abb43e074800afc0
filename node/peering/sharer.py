"""The background task that keeps partners' copies of our store list current (partner_stores.py)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from node.clock import Clock
from node.peering.context import NodeContext
from node.peering.outbox import Outbox
from node.peering.partner_stores import share_stores
from node.writer import GroupCommitWriter

log = logging.getLogger(__name__)
PERIOD_S = 60.0  # catches what no trigger saw, e.g. a partnership activated by a partner's join


class StoreSharer:
    """Runs `share_stores` when woken (a store added, a partnership activated) and every minute."""

    def __init__(
        self,
        writer: GroupCommitWriter,
        outbox: Outbox,
        clock: Clock,
        whoami: Callable[[], NodeContext],
        new_msg_id: Callable[[], str],
    ) -> None:
        self._writer, self._outbox, self._clock = writer, outbox, clock
        self._whoami, self._new_msg_id = whoami, new_msg_id
        self._wake = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        self._wake.set()

    async def share_now(self) -> int:
        """Queue our list where it is out of date and start delivering; how many partners."""
        now_s = int(self._clock.now().timestamp())
        queued = await self._writer.submit(share_stores(self._whoami(), now_s, self._new_msg_id))
        if queued:
            self._outbox.wake()
        return queued

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        task = asyncio.create_task(self._share_forever(), name="kippu-store-lists")
        try:
            yield
        finally:
            # The flag as well as the cancel, as in the outbox: wait_for can swallow a
            # cancellation that lands as its timeout fires (CPython gh-86296).
            self._stopping = True
            self._wake.set()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _share_forever(self) -> None:
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), PERIOD_S)
            if self._stopping:
                return
            self._wake.clear()
            try:
                await self.share_now()
            except Exception:
                log.exception("sharing our store list failed; will retry")
