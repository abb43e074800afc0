"""The live wallet: an open voucher page learns within a second that its voucher was used.

Each open page holds one Server-Sent Events stream (`GET /wallet/v/{id}/events`). Nothing polls
the database: the writer tells `VoucherWatch.committed()` after every batch it commits; if any
stream is open, one task reads which vouchers the new journal entries posted to (an indexed
read and a count per wake, however many streams are open) and wakes those vouchers' streams. A suspension,
resumption or extension moves no money, so no journal entry tells of it: when the count of
`voucher_changes` (append-only) grew, every open stream is woken (they are rare). Each woken
stream reads its own voucher and sends it with the entries since the point the page last saw (the
event id: the entry's number in journal_seq, migration 0016, which the browser sends back as
Last-Event-ID when it reconnects).

Bounds: at most STREAMS_PER_ACCOUNT streams per account (a newer one replaces the oldest, which
is told so and does not reconnect), and at most a quarter of the connection guard's total in all
(past it a page gets 503 and keeps its QR refresh). A stream lasts at most STREAM_LIFETIME_S and
no longer than its session; every HEARTBEAT_S it sends a comment line. Every time it wakes
(a heartbeat or a change) it first checks that the session still stands (signed out elsewhere:
`signed_out`, and it ends), so a signed-out page is never sent the voucher again.

The connection guard (node/connections.py): a stream is a request under way, so it counts in the
per-address and total caps like any connection (it holds a descriptor), is never the "waiting"
connection evicted at the total cap, and has neither a head timer (its head is complete) nor
aiohttp's keep-alive timeout (which runs only between requests). The node stopping ends every
stream at once (on_shutdown), so shutdown does not wait for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from aiohttp import web

from node.ledger import live_queries
from node.reads import Reader
from node.runtime import NODE

log = logging.getLogger(__name__)

STREAMS_PER_ACCOUNT = 3
STREAM_LIFETIME_S = 300.0
HEARTBEAT_S = 15.0
RETRY_MS = 2000


@dataclass(eq=False)
class Watcher:
    """One open stream: whose, which voucher, and the event that wakes it."""

    account_id: str
    voucher_id: str
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    ended: str | None = None  # why the stream must end: "replaced" or "closing"

    def end(self, why: str) -> None:
        self.ended = why
        self.wake.set()


class VoucherWatch:
    """Open streams by voucher and by account; wakes them after commits that touch their voucher."""

    def __init__(self, max_streams: int, per_account: int = STREAMS_PER_ACCOUNT) -> None:
        self.max_streams = max_streams
        self.per_account = per_account
        self._by_voucher: dict[str, set[Watcher]] = {}
        self._by_account: dict[str, list[Watcher]] = {}
        self._dirty = asyncio.Event()
        # Read up to here (journal point, voucher_changes count); None: unknown, wake all.
        self._point: tuple[int, int] | None = None
        self.closing = False

    @property
    def open_streams(self) -> int:
        return sum(len(w) for w in self._by_account.values())

    def watch(self, account_id: str, voucher_id: str) -> Watcher | None:
        """A new stream, or None when the node has as many as it allows."""
        if self.closing or self.open_streams >= self.max_streams:
            return None
        if not self._by_account:
            self._point = None  # nobody watched: commits since were not followed
        mine = self._by_account.setdefault(account_id, [])
        while len(mine) >= self.per_account:
            self._forget(mine[0]).end("replaced")
        watcher = Watcher(account_id, voucher_id)
        mine.append(watcher)
        self._by_voucher.setdefault(voucher_id, set()).add(watcher)
        return watcher

    def unwatch(self, watcher: Watcher) -> None:
        self._forget(watcher)

    def _forget(self, watcher: Watcher) -> Watcher:
        mine = self._by_account.get(watcher.account_id, [])
        if watcher in mine:
            mine.remove(watcher)
            if not mine:
                del self._by_account[watcher.account_id]
        same = self._by_voucher.get(watcher.voucher_id, set())
        same.discard(watcher)
        if not same:
            self._by_voucher.pop(watcher.voucher_id, None)
        return watcher

    def committed(self) -> None:
        """The writer committed a batch (called in the event loop)."""
        if self._by_voucher:
            self._dirty.set()

    def close_all(self) -> None:
        self.closing = True
        for mine in list(self._by_account.values()):
            for watcher in list(mine):
                self._forget(watcher).end("closing")

    async def follow(self, reader: Reader) -> None:
        """Forever: after each commit, wake the streams of the vouchers it touched."""
        while True:
            await self._dirty.wait()
            self._dirty.clear()
            try:
                await self._wake_touched(reader)
            except Exception:  # a failed read must not end the live wallet: next commit retries
                log.exception("live wallet: reading the journal failed")
                self._point = None

    async def _wake_touched(self, reader: Reader) -> None:
        changes = await live_queries.changes_count(reader)
        if self._point is None:
            self._point = (await live_queries.journal_end(reader), changes)
            touched = set(self._by_voucher)
        else:
            entry, changes_before = self._point
            entry, touched, more = await live_queries.touched_since(reader, entry)
            self._point = (entry, changes)
            if changes != changes_before:  # a voucher suspended, resumed or extended: rare
                touched = set(self._by_voucher)
            if more:
                self._dirty.set()
        for voucher_id in touched:
            for watcher in self._by_voucher.get(voucher_id, ()):
                watcher.wake.set()


WATCH = web.AppKey("kippu_voucher_watch", VoucherWatch)


async def watch_ctx(app: web.Application) -> AsyncIterator[None]:
    """Start following the writer's commits; end every stream when the node stops."""
    node = app[NODE]
    guard_total = node.connections.total if node.connections is not None else 1024
    watch = VoucherWatch(max(1, guard_total // 4))
    app[WATCH] = watch
    writer = node.require_writer()
    writer.listeners.append(watch.committed)
    task = asyncio.create_task(watch.follow(node.require_reader()), name="kippu-live-wallet")
    try:
        yield
    finally:
        watch.close_all()
        with contextlib.suppress(ValueError):
            writer.listeners.remove(watch.committed)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _end_streams(app: web.Application) -> None:
    """The node stops: streams end now, so aiohttp's shutdown does not wait for them."""
    watch = app.get(WATCH)
    if watch is not None:
        watch.close_all()


def install(app: web.Application) -> None:
    """After the database's context (the writer and reader exist when this one starts)."""
    app.cleanup_ctx.append(watch_ctx)
    app.on_shutdown.append(_end_streams)


def node_watch(request: web.Request) -> VoucherWatch:
    return request.app[WATCH]
