"""The waiting room: first-come requests beyond what is being decided wait in line with a ticket.

A first-come release (先着) is a rush: thousands ask in the same second for a stock of hundreds.
Refusing the surplus with errors makes them retry harder; letting them all through piles work on
the writer. So each room (one per campaign) decides at most `max_in_flight` requests at a time
and gives everyone beyond a ticket and their place in line (`Waiting`); the line moves by itself
as decisions finish, and a holder polls with the ticket to learn the decision or the new place.

Once the room is told the stock is gone (`mark_sold_out`, by whoever saw the durable grant that
took the last one), everyone in line and everyone arriving is answered `SoldOut` at once, without
touching the writer. A ticket nobody polled for `ticket_ttl` is forgotten: if it was still in
line it loses its place, if its decision was made it is no longer told (a grant stays granted).

One person holds at most one undecided ticket per room: asking again while waiting answers the
same ticket, so a holder cannot crowd the line. The room knows nothing of what it admits: the
`decide` function given to it starts the work and hands back the future of its outcome (or of
the request's refusal), and an arrival or poll answers that future, once finished, to read. No
task per request: a rush admits thousands a second on the loop the counters share.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from node.clock import Clock, Randomness, new_id

log = logging.getLogger(__name__)
R = TypeVar("R")
D = TypeVar("D")

# Starts deciding one request of the room named by the first argument: the future resolves to
# the outcome, or to the request's refusal (an exception). Cancelled when the rooms close.
Decide = Callable[[str, R], "asyncio.Future[D]"]


@dataclass(frozen=True)
class Admitted(Generic[D]):
    """Being decided now. `decision` resolves to its outcome; `ticket` polls it later if the
    caller would rather not hold its request open that long."""

    ticket: str
    decision: asyncio.Future[D]


@dataclass(frozen=True)
class Waiting:
    """In line: `position` people ahead and including this one (0: being decided now)."""

    ticket: str
    position: int
    retry_after_ms: int


@dataclass(frozen=True)
class Decided(Generic[D]):
    """The decision: `decision.result()` is the value or raises the refusal."""

    decision: asyncio.Future[D]


@dataclass(frozen=True)
class SoldOut:
    """The stock is gone: answered without asking anyone."""


@dataclass(frozen=True)
class LineFull:
    """The line holds `max_waiting` people already: come back after `retry_after_ms`."""

    retry_after_ms: int


@dataclass(frozen=True)
class Pacing:
    """How the room paces a line. `max_in_flight`: requests decided at once per room;
    `max_waiting`: the longest line (memory); a poll is asked to come back after `retry_ms` per
    round of `max_in_flight` ahead, between `retry_ms` and `max_retry_ms`."""

    max_in_flight: int = 256
    max_waiting: int = 100_000
    ticket_ttl: timedelta = timedelta(seconds=30)
    retry_ms: int = 100
    max_retry_ms: int = 5_000

    def retry_after_ms(self, position: int) -> int:
        rounds = max(1, -(-position // self.max_in_flight))
        return min(self.max_retry_ms, self.retry_ms * rounds)


@dataclass(eq=False)
class _Ticket(Generic[R, D]):
    ticket: str
    room: str
    owner: str
    request: R
    seq: int
    touched: datetime
    decision: asyncio.Future[D] | None = None
    is_sold_out: bool = False
    is_dropped: bool = False
    is_handed_out: bool = False  # given as a ticket to poll: `forget` leaves it


@dataclass(eq=False)
class _Room(Generic[R, D]):
    line: deque[_Ticket[R, D]] = field(default_factory=deque)
    waiting_by_owner: dict[str, _Ticket[R, D]] = field(default_factory=dict)
    in_flight: int = 0
    joined: int = 0  # the seq of the last ticket to join the line
    taken: int = 0  # the seq of the last ticket to leave it (decided or dropped)
    is_sold_out: bool = False


class WaitingRooms(Generic[R, D]):
    """Every room of the node (keyed by campaign id), in memory, in the event loop."""

    def __init__(
        self, decide: Decide[R, D], clock: Clock, rng: Randomness, pacing: Pacing | None = None
    ) -> None:
        self._decide = decide
        self._clock = clock
        self._rng = rng
        self.pacing = pacing or Pacing()
        self._rooms: dict[str, _Room[R, D]] = {}
        # Least recently touched first: pruning reads from the front and stops at the first
        # ticket still fresh, so it costs what it forgets, not what the rooms hold.
        self._tickets: OrderedDict[str, _Ticket[R, D]] = OrderedDict()
        self._deciding: set[asyncio.Future[D]] = set()
        self._is_closed = False

    def arrive(
        self, room_key: str, owner: str, request: R
    ) -> Admitted[D] | Waiting | SoldOut | LineFull:
        """Take `owner`'s request into the room: decided now, in line, or answered sold out."""
        if self._is_closed:
            raise RuntimeError("the waiting rooms are closed")
        now = self._clock.now()
        self._prune(now)
        room = self._rooms.setdefault(room_key, _Room())
        if room.is_sold_out:
            return SoldOut()
        held = room.waiting_by_owner.get(owner)
        if held is not None:
            self._touch(held, now)
            held.is_handed_out = True
            return self._place(room, held)  # undecided: a decided ticket leaves waiting_by_owner
        if room.in_flight < self.pacing.max_in_flight and not room.line:
            entry = self._new_ticket(room_key, owner, request, now, seq=0)
            room.waiting_by_owner[owner] = entry
            return Admitted(entry.ticket, self._start(room, entry))
        if len(room.line) >= self.pacing.max_waiting:
            return LineFull(self.pacing.max_retry_ms)
        room.joined += 1
        entry = self._new_ticket(room_key, owner, request, now, seq=room.joined)
        room.line.append(entry)
        room.waiting_by_owner[owner] = entry
        return self._place(room, entry)

    def poll(
        self, room_key: str, ticket: str, owner: str | None
    ) -> Waiting | Decided[D] | SoldOut | None:
        """The decision for `ticket` once made, else its place; None for a ticket this room does
        not know for `owner` (never issued, another room's or someone else's, or expired).
        `owner` None: whoever may see every ticket (the office)."""
        now = self._clock.now()
        self._prune(now)
        entry = self._tickets.get(ticket)
        if entry is None or entry.room != room_key or owner not in (None, entry.owner):
            return None
        self._touch(entry, now)
        return self._status(self._rooms[entry.room], entry)

    def forget(self, ticket: str) -> None:
        """The caller told an admitted request's decision itself (it came in time): nobody will
        poll for it, unless the ticket was handed out too (its owner asked again meanwhile)."""
        entry = self._tickets.get(ticket)
        if entry is not None and not entry.is_handed_out:
            del self._tickets[ticket]

    def hand_out(self, ticket: str) -> None:
        """An admitted request's caller gives its ticket to poll (the decision is slow)."""
        entry = self._tickets.get(ticket)
        if entry is not None:
            entry.is_handed_out = True

    def mark_sold_out(self, room_key: str) -> None:
        """The stock is gone (a durable grant took the last one): answer the line now."""
        room = self._rooms.setdefault(room_key, _Room())
        room.is_sold_out = True
        while room.line:
            entry = room.line.popleft()
            entry.is_sold_out = True
            room.waiting_by_owner.pop(entry.owner, None)
        room.taken = room.joined

    def reopen(self, room_key: str) -> None:
        """A new round of stock: arrivals are decided again."""
        room = self._rooms.get(room_key)
        if room is not None:
            room.is_sold_out = False

    def is_sold_out(self, room_key: str) -> bool:
        room = self._rooms.get(room_key)
        return room is not None and room.is_sold_out

    def in_line(self, room_key: str) -> int:
        room = self._rooms.get(room_key)
        return 0 if room is None else len(room.line)

    def in_flight(self, room_key: str) -> int:
        room = self._rooms.get(room_key)
        return 0 if room is None else room.in_flight

    async def close(self) -> None:
        """Stop deciding: decisions under way are cancelled (what reached the writer still
        commits: the writer does not withdraw a unit whose caller gave up)."""
        self._is_closed = True
        for decision in list(self._deciding):
            decision.cancel()

    def _new_ticket(
        self, room_key: str, owner: str, request: R, now: datetime, seq: int
    ) -> _Ticket[R, D]:
        entry: _Ticket[R, D] = _Ticket(new_id(self._rng, "tk"), room_key, owner, request, seq, now)
        self._tickets[entry.ticket] = entry
        return entry

    def _touch(self, entry: _Ticket[R, D], now: datetime) -> None:
        entry.touched = now
        if entry.ticket in self._tickets:
            self._tickets.move_to_end(entry.ticket)

    def _status(self, room: _Room[R, D], entry: _Ticket[R, D]) -> Waiting | Decided[D] | SoldOut:
        if entry.is_sold_out:
            return SoldOut()
        if entry.decision is not None and entry.decision.done():
            return Decided(entry.decision)
        return self._place(room, entry)

    def _place(self, room: _Room[R, D], entry: _Ticket[R, D]) -> Waiting:
        position = 0 if entry.decision is not None else entry.seq - room.taken
        return Waiting(entry.ticket, position, self.pacing.retry_after_ms(position))

    def _start(self, room: _Room[R, D], entry: _Ticket[R, D]) -> asyncio.Future[D]:
        try:
            decision = self._decide(entry.room, entry.request)
        except Exception as exc:  # a decider that refuses at once: its holder is told the same
            decision = asyncio.get_running_loop().create_future()
            decision.set_exception(exc)
        entry.decision = decision
        room.in_flight += 1
        self._deciding.add(decision)
        decision.add_done_callback(lambda _: self._decided(room, entry, decision))
        return decision

    def _decided(
        self, room: _Room[R, D], entry: _Ticket[R, D], decision: asyncio.Future[D]
    ) -> None:
        self._deciding.discard(decision)
        if not decision.cancelled():
            # Its holder may never ask (an expired ticket, a closed connection): marked read,
            # so asyncio does not log a refusal as an error nobody retrieved.
            decision.exception()
        room.in_flight -= 1
        if room.waiting_by_owner.get(entry.owner) is entry:
            del room.waiting_by_owner[entry.owner]
        self._touch(entry, max(entry.touched, self._clock.now()))
        self._admit_from_line(room)

    def _admit_from_line(self, room: _Room[R, D]) -> None:
        while not self._is_closed and room.in_flight < self.pacing.max_in_flight and room.line:
            entry = room.line.popleft()
            room.taken = entry.seq
            if not entry.is_dropped:
                self._start(room, entry)

    def _prune(self, now: datetime) -> None:
        """Forget tickets nobody polled for `ticket_ttl`."""
        deadline = now - self.pacing.ticket_ttl
        while self._tickets:
            ticket, entry = next(iter(self._tickets.items()))
            if entry.touched > deadline:
                return
            if entry.decision is not None and not entry.decision.done():
                self._touch(entry, now)  # being decided: its outcome is still to come
                continue
            del self._tickets[ticket]
            entry.is_dropped = True
            room = self._rooms[entry.room]
            if room.waiting_by_owner.get(entry.owner) is entry:
                del room.waiting_by_owner[entry.owner]
