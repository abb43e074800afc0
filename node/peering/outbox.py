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

import aiohttp

from node.clock import Clock, Randomness
from node.errors import KippuError
from node.peering import operations, queries
from node.peering.batch import (
    MAX_BATCH_MESSAGES,
)
from node.peering.context import NodeContext
from node.peering.envelope import MAX_ENVELOPE_BYTES, open_envelope
from node.peering.keybook import KeyBook
from node.peering.messages import Reply
from node.peering.transport import Answer, Pending, Transport
from node.reads import Reader
from node.writer import GroupCommitWriter

log = logging.getLogger(__name__)

PEER_PATH = "/peer/v1/message"
POLL_S = 1.0
REQUEST_TIMEOUT_S = 10.0


class Outbox:
    def __init__(
        self,
        node_id: str,
        writer: GroupCommitWriter,
        reader: Reader,
        clock: Clock,
        rng: Randomness,
        keybook: KeyBook,
        whoami: Callable[[], NodeContext],
    ) -> None:
        """`whoami` gives our identity of the moment (it changes when our key rotates)."""
        self._keybook = keybook
        self._whoami = whoami
        self._node_id = node_id
        self._writer = writer
        self._reader = reader
        self._clock = clock
        self._rng = rng
        self._wake = asyncio.Event()
        self._nudged: set[str] = set()
        self._answered: dict[str, asyncio.Future[None]] = {}  # msg_id -> someone waits for it
        self._locks: dict[str, asyncio.Lock] = {}
        self._transport: Transport | None = None
        self._stopping = False

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            self._transport = Transport(session, self._node_id, self._keybook)
            task = asyncio.create_task(self._deliver_forever(), name="kippu-outbox")
            try:
                yield
            finally:
                # The flag as well as the cancel: on Python 3.11, wait_for can swallow a
                # cancellation that lands as its timeout fires (CPython gh-86296), and the
                # loop would then run on and keep the node from stopping.
                self._stopping = True
                self._wake.set()
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                self._transport = None

    async def deliver_within(self, peer: str, seconds: float) -> None:
        """Try to reach the partner at once, for a person waiting on the answer; leave the rest
        to the background loop when it takes longer than `seconds`."""
        try:
            await asyncio.wait_for(self.deliver_peer(peer, force=True), seconds)
        except TimeoutError:
            self.wake()

    async def send_and_wait(self, peer: str, msg_id: str, seconds: float) -> None:
        """Have a message just queued sent now, and wait (at most `seconds`) until the partner's
        answer to it, or the failure to get one, is recorded. Many callers can wait at once:
        the delivery loop sends whatever is queued for the partner as one batch."""
        future = asyncio.get_running_loop().create_future()
        self._answered[msg_id] = future
        self.nudge(peer)
        try:
            await asyncio.wait_for(asyncio.shield(future), seconds)
        except TimeoutError:
            pass
        finally:
            self._answered.pop(msg_id, None)

    def _tell_waiters(self, batch: list[Pending]) -> None:
        for pending in batch:
            future = self._answered.get(pending.msg_id)
            if future is not None and not future.done():
                future.set_result(None)

    def nudge(self, peer: str) -> None:
        """The partner just reached us, so it is up: retry what waits for it now, not after its
        backoff (a partner back from an outage gets our queue at once)."""
        self._nudged.add(peer)
        self._wake.set()

    def wake(self) -> None:
        """Something was queued: deliver now rather than at the next poll."""
        self._wake.set()

    async def _deliver_forever(self) -> None:
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), POLL_S)
            if self._stopping:
                return
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
        """Deliver the partner's queue, one batch in flight; stop at a refusal or failure.

        Two batches in flight (the partner accepts them in order, node/peering/endpoint.py)
        were measured no faster: the nodes' CPU, not the round trip, bounds claims/s."""
        lock = self.channel_lock(peer)
        delivered = 0
        async with lock:
            while True:
                batch = await self._next_batch(peer, force and delivered == 0)
                if not batch:
                    return delivered
                done, carry_on = await self._record(batch, asyncio.ensure_future(self._post(batch)))
                delivered += done
                if not carry_on:
                    return delivered

    def channel_lock(self, peer: str) -> asyncio.Lock:
        """Held while a message to `peer` is in flight: one sender per channel at a time."""
        return self._locks.setdefault(peer, asyncio.Lock())

    async def post_alone(self, pending: Pending) -> Answer:
        """Send one message now, outside the queue and before it is stored (a join: kept only
        if the inviter accepts it or cannot be reached). Raises when no answer came."""
        [answer] = await self._post([pending])
        return answer

    async def _post(self, batch: list[Pending]) -> list[Answer]:
        if self._transport is None:
            raise KippuError("the outbox is not running")
        return await self._transport.post_batch(batch)

    async def _peers_with_mail(self, force: bool) -> list[str]:
        now_s = int(self._clock.now().timestamp())
        return await queries.peers_with_mail(self._reader, force, now_s)

    async def _next_batch(self, peer: str, force: bool) -> list[Pending]:
        """The lowest undelivered messages to `peer`, in order, if the first is due (and not
        parked: a parked message stops its channel until the admin acts)."""
        now_s = int(self._clock.now().timestamp())
        rows = await queries.undelivered(self._reader, peer, MAX_BATCH_MESSAGES)
        first = rows[0] if rows else None
        if first is None or first.status not in ("pending", "active"):
            return []
        if first.parked_at is not None:
            return []
        if not force and first.next_attempt_at > now_s:
            return []
        batch: list[Pending] = []
        size = 0
        for row in rows:
            envelope = row.envelope
            if batch and (
                size + len(envelope) > MAX_ENVELOPE_BYTES or row.seq != batch[-1].seq + 1
            ):
                break
            batch.append(Pending(row.peer, row.url, row.seq, row.msg_id, row.msg_type, envelope))
            size += len(envelope)
        return batch

    async def _record(
        self, batch: list[Pending], sent: asyncio.Future[list[Answer]]
    ) -> tuple[int, bool]:
        """Record a batch's replies up to the first refusal in one group commit.
        Returns (messages delivered, whether to go on with the queue)."""
        now_s = int(self._clock.now().timestamp())
        jitter = self._rng.token_bytes(1)[0] / 256
        first = batch[0]
        try:
            answers = await sent
        except (aiohttp.ClientError, TimeoutError, KippuError, OSError) as exc:
            self._log_failure(first, exc)
            await self._writer.submit(
                operations.record_failure(first.peer, first.seq, _reason(exc), now_s, jitter)
            )
            self._tell_waiters(batch)  # nothing will come soon: they show "pending"
            return 0, False
        units: list[Callable[[sqlite3.Connection], None]] = []
        delivered, carry_on = 0, True
        for pending, sent_answer in zip(batch, answers, strict=True):
            answer = self._with_result(pending, sent_answer, now_s)
            if isinstance(answer, KippuError):
                self._log_failure(pending, answer)
                units.append(
                    operations.record_failure(
                        pending.peer, pending.seq, _reason(answer), now_s, jitter
                    )
                )
                carry_on = False
                break
            reply, reply_raw, apply_result = answer
            units.append(
                operations.record_reply(
                    self._whoami().hooks,
                    pending.peer,
                    pending.seq,
                    pending.msg_type,
                    reply,
                    reply_raw,
                    now_s,
                    jitter,
                    apply_result,
                )
            )
            if reply.ok:
                delivered += 1
                continue
            log.info(
                "partner %s refused %s #%d: %s",
                pending.peer[:8],
                pending.msg_type,
                pending.seq,
                reply.code,
            )
            carry_on = reply.code == "peer.sequence_gap"
            break
        # One writer unit for the whole batch, each reply in its own savepoint, in channel order:
        # a reply that cannot be applied stops there, so no later reply is ever applied before
        # it (the partner answers them again when we send them again).
        applied, failure = await self._writer.submit(operations.apply_in_order(units))
        self._tell_waiters(batch)
        if failure is not None:
            # Our side could not apply the partner's answer (a bug, or an answer our rules
            # refuse): nothing of it was written; retry after a backoff, never in a hot loop.
            pending = batch[applied]
            log.error(
                "applying %s's reply to %s #%d failed",
                pending.peer[:8],
                pending.msg_type,
                pending.seq,
                exc_info=failure,
            )
            await self._writer.submit(
                operations.record_failure(
                    pending.peer, pending.seq, _reason(failure), now_s, jitter
                )
            )
            return min(applied, delivered), False
        return delivered, carry_on

    @staticmethod
    def _log_failure(pending: Pending, exc: BaseException) -> None:
        log.info(
            "delivery of %s #%d to %s failed: %s",
            pending.msg_type,
            pending.seq,
            pending.peer[:8],
            _reason(exc),
        )

    def _with_result(
        self, pending: Pending, answer: Answer, now_s: int
    ) -> tuple[Reply, bytes, Callable[[sqlite3.Connection], None] | None] | KippuError:
        """The answer with what applying its typed result takes (None for a refusal or a type
        whose replies carry nothing to apply); a result that does not decode is a failed delivery."""
        if isinstance(answer, KippuError):
            return answer
        reply, reply_raw = answer
        me = self._whoami()
        rule = me.hooks.reply_appliers.get(pending.msg_type)
        if rule is None or not reply.ok:
            return reply, reply_raw, None
        try:
            result = rule.result.decode(reply.result)
        except KippuError as exc:
            return exc
        sent = rule.message.decode(open_envelope(pending.envelope).body)[1]
        return (
            reply,
            reply_raw,
            lambda conn: rule.apply(conn, me, pending.peer, sent, result, now_s),
        )


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "code", None) or type(exc).__name__)
