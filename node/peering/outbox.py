"""Delivering the outbox: per partner in sequence order, one message in flight, retries with backoff.

A message leaves the outbox only when the partner's signed reply is recorded. A partner that is
down keeps its messages queued (they are in SQLite, so a restart loses nothing); when it answers
again everything queued goes out in order. A partner that lost messages answers `sequence_gap`
and we send again from where it asks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import aiosqlite

from node.api.input import read_capped
from node.clock import Clock, Randomness
from node.errors import KippuError
from node.peering import operations
from node.peering.envelope import open_envelope
from node.peering.keys import KeyBook, require_newest, verify_with
from node.peering.messages import REPLY_TYPE, RESULT_FIELDS, Reply, decode_reply, decode_result
from node.settlement.inbound import REPLY_APPLIERS
from node.writer import GroupCommitWriter

log = logging.getLogger(__name__)

PEER_PATH = "/peer/v1/message"
CONTENT_TYPE = "application/x-msgpack"
POLL_S = 1.0
REQUEST_TIMEOUT_S = 10.0
MAX_REPLY_BYTES = 64 * 1024


@dataclass(frozen=True)
class Pending:
    peer: str
    url: str
    seq: int
    msg_id: str
    msg_type: str
    envelope: bytes


class Outbox:
    def __init__(
        self,
        node_id: str,
        writer: GroupCommitWriter,
        reader: aiosqlite.Connection,
        clock: Clock,
        rng: Randomness,
        keybook: KeyBook,
    ) -> None:
        self._keybook = keybook
        self._node_id = node_id
        self._writer = writer
        self._reader = reader
        self._clock = clock
        self._rng = rng
        self._wake = asyncio.Event()
        self._nudged: set[str] = set()
        self._locks: dict[str, asyncio.Lock] = {}
        self._session: aiohttp.ClientSession | None = None

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            self._session = session
            task = asyncio.create_task(self._deliver_forever(), name="kippu-outbox")
            try:
                yield
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                self._session = None

    async def deliver_within(self, peer: str, seconds: float) -> None:
        """Try to reach the partner at once, for a person waiting on the answer; leave the rest
        to the background loop when it takes longer than `seconds`."""
        try:
            await asyncio.wait_for(self.deliver_peer(peer, force=True), seconds)
        except TimeoutError:
            self.wake()

    def nudge(self, peer: str) -> None:
        """The partner just reached us, so it is up: retry what waits for it now, not after its
        backoff (a partner back from an outage gets our queue at once)."""
        self._nudged.add(peer)
        self._wake.set()

    def wake(self) -> None:
        """Something was queued: deliver now rather than at the next poll."""
        self._wake.set()

    async def _deliver_forever(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), POLL_S)
            self._wake.clear()
            nudged, self._nudged = self._nudged, set()
            try:
                await asyncio.gather(*(self.deliver_peer(p, force=True) for p in nudged))
                await self.deliver_due(force=False)
            except Exception:
                log.exception("outbox delivery round failed; will retry")

    async def deliver_due(self, *, force: bool) -> int:
        """Deliver what is due (everything queued, if `force`); return how many were delivered."""
        peers = await self._peers_with_mail(force)
        counts = await asyncio.gather(*(self.deliver_peer(p, force=force) for p in peers))
        return sum(counts)

    async def deliver_peer(self, peer: str, *, force: bool) -> int:
        lock = self._locks.setdefault(peer, asyncio.Lock())
        delivered = 0
        async with lock:
            while True:
                pending = await self._next(peer, force and delivered == 0)
                if pending is None:
                    return delivered
                if not await self._deliver(pending):
                    return delivered
                delivered += 1

    async def _peers_with_mail(self, force: bool) -> list[str]:
        now_s = int(self._clock.now().timestamp())
        rows = await self._reader.execute_fetchall(
            "SELECT DISTINCT d.peer FROM deliveries d JOIN peers p ON p.node_id = d.peer"
            " WHERE d.delivered_at IS NULL AND p.status IN ('pending', 'active')"
            " AND (? OR d.next_attempt_at <= ?)",
            (int(force), now_s),
        )
        return [str(row[0]) for row in rows]

    async def _next(self, peer: str, force: bool) -> Pending | None:
        """The lowest undelivered message to `peer`, if due (claims wait for an active partner)."""
        now_s = int(self._clock.now().timestamp())
        rows = list(
            await self._reader.execute_fetchall(
                "SELECT o.peer, p.url, o.seq, o.msg_id, o.msg_type, o.envelope, d.next_attempt_at,"
                " p.status FROM deliveries d JOIN outbox o USING (peer, seq)"
                " JOIN peers p ON p.node_id = o.peer"
                " WHERE d.peer = ? AND d.delivered_at IS NULL ORDER BY d.seq LIMIT 1",
                (peer,),
            )
        )
        if not rows:
            return None
        row = rows[0]
        status, msg_type = row[7], row[4]
        if status not in ("pending", "active"):
            return None
        if not force and row[6] > now_s:
            return None
        return Pending(row[0], row[1], row[2], row[3], msg_type, bytes(row[5]))

    async def _deliver(self, pending: Pending) -> bool:
        now_s = int(self._clock.now().timestamp())
        jitter = self._rng.token_bytes(1)[0] / 256
        try:
            reply, reply_raw, result = await self._post(pending)
        except (aiohttp.ClientError, TimeoutError, KippuError, OSError) as exc:
            reason = getattr(exc, "code", None) or type(exc).__name__
            log.info(
                "delivery of %s #%d to %s failed: %s",
                pending.msg_type,
                pending.seq,
                pending.peer[:8],
                reason,
            )
            await self._writer.submit(
                operations.record_failure(pending.peer, pending.seq, str(reason), now_s, jitter)
            )
            return False
        await self._writer.submit(
            operations.record_reply(
                pending.peer,
                pending.seq,
                pending.msg_type,
                reply,
                reply_raw,
                now_s,
                jitter,
                self._applier(pending, result, now_s),
            )
        )
        if not reply.ok:
            log.info(
                "partner %s refused %s #%d: %s",
                pending.peer[:8],
                pending.msg_type,
                pending.seq,
                reply.code,
            )
        return reply.ok or reply.code == "peer.sequence_gap"

    def _applier(
        self, pending: Pending, result: dict[str, Any] | None, now_s: int
    ) -> Callable[[sqlite3.Connection], None] | None:
        applier = REPLY_APPLIERS.get(pending.msg_type)
        if applier is None or result is None:
            return None
        node_id = self._node_id
        return lambda conn: applier(conn, node_id, pending.peer, result, now_s)

    async def _post(self, pending: Pending) -> tuple[Reply, bytes, dict[str, Any] | None]:
        if self._session is None:
            raise KippuError("the outbox is not running")
        async with self._session.post(
            pending.url + PEER_PATH, data=pending.envelope, headers={"Content-Type": CONTENT_TYPE}
        ) as response:
            body = await read_capped(response.content, MAX_REPLY_BYTES)
        if body is None:
            raise KippuError("the partner's reply is too large")
        raw = body
        envelope = open_envelope(raw)
        if envelope.msg_type != REPLY_TYPE or envelope.sender != pending.peer:
            raise KippuError("the answer is not the partner's reply")
        keys = await self._keybook.keys(pending.peer)
        used = verify_with(envelope, keys)
        reply = decode_reply(envelope.body)
        require_newest(keys, used)
        if reply.in_reply_to != pending.msg_id or reply.recipient != self._node_id:
            raise KippuError("the reply answers another message")
        result = None
        if reply.ok and pending.msg_type in RESULT_FIELDS:
            result = decode_result(pending.msg_type, reply.result)  # a bad one is a failed delivery
        return reply, raw, result
