"""The waiting room: a bounded number decided at once, a line with tickets, sold out at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import pytest

from node.admission.rooms import (
    Admitted,
    Decided,
    LineFull,
    Pacing,
    SoldOut,
    Waiting,
    WaitingRooms,
)
from tests.conftest import FakeClock, SeededRandomness

ROOM = "cp_rush"


class _Decider:
    """Decisions the test makes by hand: each request waits until `grant` or `refuse`."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self._pending: dict[str, asyncio.Future[str]] = {}
        self._arrivals: asyncio.Queue[str] = asyncio.Queue()

    def __call__(self, room: str, request: str) -> asyncio.Future[str]:
        self.asked.append(request)
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._pending[request] = future
        self._arrivals.put_nowait(request)
        return future

    async def next_asked(self) -> str:
        return await asyncio.wait_for(self._arrivals.get(), timeout=5)

    def grant(self, request: str) -> None:
        self._pending.pop(request).set_result(f"granted:{request}")

    def refuse(self, request: str, error: Exception) -> None:
        self._pending.pop(request).set_exception(error)


RoomsFactory = Callable[..., WaitingRooms[str, str]]


@pytest.fixture
async def make_rooms() -> AsyncIterator[RoomsFactory]:
    """Rooms closed at the end of the test, so no decision outlives it."""
    made: list[WaitingRooms[str, str]] = []

    def make(
        decider: _Decider, clock: FakeClock, **pacing: int | timedelta
    ) -> WaitingRooms[str, str]:
        rooms = WaitingRooms(decider, clock, SeededRandomness(), Pacing(**pacing))
        made.append(rooms)
        return rooms

    yield make
    for rooms in made:
        await rooms.close()


async def test_requests_within_the_bound_are_decided_at_once(make_rooms: RoomsFactory) -> None:
    decider = _Decider()
    rooms = make_rooms(decider, FakeClock(), max_in_flight=2)
    first = rooms.arrive(ROOM, "cu_a", "a")
    assert isinstance(first, Admitted)
    assert await decider.next_asked() == "a"
    decider.grant("a")
    assert await first.decision == "granted:a"
    await asyncio.sleep(0)  # the room's bookkeeping is the decision's done callback
    assert rooms.in_flight(ROOM) == 0


async def test_requests_beyond_the_bound_wait_in_line_and_move_up_by_themselves(
    make_rooms: RoomsFactory,
) -> None:
    decider = _Decider()
    rooms = make_rooms(decider, FakeClock(), max_in_flight=2, retry_ms=100)
    admitted = [rooms.arrive(ROOM, f"cu_{r}", r) for r in "ab"]
    assert all(isinstance(a, Admitted) for a in admitted)
    waiting = [rooms.arrive(ROOM, f"cu_{r}", r) for r in "cde"]
    assert [w.position for w in waiting if isinstance(w, Waiting)] == [1, 2, 3]
    # Asked back after one round of decisions per two ahead (two decided at a time).
    assert [w.retry_after_ms for w in waiting if isinstance(w, Waiting)] == [100, 100, 200]
    assert len({w.ticket for w in waiting if isinstance(w, Waiting)}) == 3
    c, d, e = (w for w in waiting if isinstance(w, Waiting))
    assert sorted([await decider.next_asked(), await decider.next_asked()]) == ["a", "b"]

    decider.grant("a")  # a place frees: the first in line is decided, nobody else moves twice
    assert await decider.next_asked() == "c"
    assert rooms.poll(ROOM, c.ticket, "cu_c") == Waiting(c.ticket, 0, 100)  # being decided
    assert rooms.poll(ROOM, d.ticket, "cu_d") == Waiting(d.ticket, 1, 100)
    assert rooms.poll(ROOM, e.ticket, "cu_e") == Waiting(e.ticket, 2, 100)

    decider.grant("c")
    assert await decider.next_asked() == "d"
    answer = rooms.poll(ROOM, c.ticket, "cu_c")
    assert isinstance(answer, Decided) and answer.decision.result() == "granted:c"
    assert decider.asked == ["a", "b", "c", "d"]  # e still waits: two at a time


async def test_a_refusal_reaches_its_holder_alone(make_rooms: RoomsFactory) -> None:
    decider = _Decider()
    rooms = make_rooms(decider, FakeClock(), max_in_flight=1)
    first = rooms.arrive(ROOM, "cu_a", "a")
    second = rooms.arrive(ROOM, "cu_b", "b")
    assert isinstance(first, Admitted) and isinstance(second, Waiting)
    await decider.next_asked()
    decider.refuse("a", LookupError("limit reached"))
    with pytest.raises(LookupError):
        await first.decision
    assert await decider.next_asked() == "b"
    decider.grant("b")
    await asyncio.sleep(0)  # the decision's task finishes in the loop's next step
    answer = rooms.poll(ROOM, second.ticket, "cu_b")
    assert isinstance(answer, Decided) and answer.decision.result() == "granted:b"


async def test_asking_again_while_waiting_keeps_the_same_ticket_and_place(
    make_rooms: RoomsFactory,
) -> None:
    decider = _Decider()
    rooms = make_rooms(decider, FakeClock(), max_in_flight=1)
    rooms.arrive(ROOM, "cu_a", "a")
    first = rooms.arrive(ROOM, "cu_b", "b")
    again = rooms.arrive(ROOM, "cu_b", "b-again")
    assert isinstance(first, Waiting) and again == first
    assert rooms.in_line(ROOM) == 1
    admitted_again = rooms.arrive(ROOM, "cu_a", "a-again")  # being decided: told so, not re-run
    assert isinstance(admitted_again, Waiting) and admitted_again.position == 0


async def test_sold_out_answers_the_line_and_newcomers_without_deciding(
    make_rooms: RoomsFactory,
) -> None:
    decider = _Decider()
    rooms = make_rooms(decider, FakeClock(), max_in_flight=1)
    first = rooms.arrive(ROOM, "cu_a", "a")
    line = [rooms.arrive(ROOM, f"cu_{r}", r) for r in "bcd"]
    await decider.next_asked()
    rooms.mark_sold_out(ROOM)  # whoever granted the last one says so
    assert rooms.is_sold_out(ROOM) and rooms.in_line(ROOM) == 0
    for waiting, owner in zip(line, "bcd", strict=True):
        assert isinstance(waiting, Waiting)
        assert rooms.poll(ROOM, waiting.ticket, f"cu_{owner}") == SoldOut()
    assert rooms.arrive(ROOM, "cu_e", "e") == SoldOut()
    assert rooms.arrive("cp_other", "cu_e", "e") != SoldOut()  # one room's stock only
    decider.grant("a")  # what was being decided still gets its own answer
    assert isinstance(first, Admitted) and await first.decision == "granted:a"
    assert decider.asked == ["a", "e"]
    await asyncio.sleep(0)  # the room's bookkeeping is the decision's done callback
    rooms.reopen(ROOM)  # a new round of stock
    assert isinstance(rooms.arrive(ROOM, "cu_f", "f"), Admitted)


async def test_a_ticket_nobody_polls_expires_and_loses_its_place(make_rooms: RoomsFactory) -> None:
    decider, clock = _Decider(), FakeClock()
    rooms = make_rooms(decider, clock, max_in_flight=1, ticket_ttl=timedelta(seconds=30))
    rooms.arrive(ROOM, "cu_a", "a")
    kept = rooms.arrive(ROOM, "cu_b", "b")
    lapsed = rooms.arrive(ROOM, "cu_c", "c")
    behind = rooms.arrive(ROOM, "cu_d", "d")
    assert isinstance(kept, Waiting) and isinstance(lapsed, Waiting)
    assert isinstance(behind, Waiting)
    await decider.next_asked()
    clock.advance(seconds=20)
    assert isinstance(rooms.poll(ROOM, kept.ticket, "cu_b"), Waiting)
    assert isinstance(rooms.poll(ROOM, behind.ticket, "cu_d"), Waiting)
    clock.advance(seconds=15)  # c silent for 35 s; b and d polled 15 s ago
    assert rooms.poll(ROOM, lapsed.ticket, "cu_c") is None
    assert rooms.poll(ROOM, behind.ticket, "cu_d") == Waiting(behind.ticket, 3, 300)  # at most
    decider.grant("a")
    assert await decider.next_asked() == "b"
    decider.grant("b")
    assert await decider.next_asked() == "d"  # c's place skipped: never decided
    assert decider.asked == ["a", "b", "d"]
    answer = rooms.arrive(ROOM, "cu_c", "c-again")  # c may join again, at the back
    assert isinstance(answer, Waiting) and answer.ticket != lapsed.ticket


async def test_a_decision_being_made_outlives_the_ticket_lifetime(make_rooms: RoomsFactory) -> None:
    decider, clock = _Decider(), FakeClock()
    rooms = make_rooms(decider, clock, max_in_flight=1, ticket_ttl=timedelta(seconds=30))
    first = rooms.arrive(ROOM, "cu_a", "a")
    assert isinstance(first, Admitted)
    await decider.next_asked()
    clock.advance(seconds=60)
    assert rooms.poll(ROOM, first.ticket, "cu_a") == Waiting(first.ticket, 0, 100)
    decider.grant("a")
    await first.decision
    answer = rooms.poll(ROOM, first.ticket, "cu_a")
    assert isinstance(answer, Decided) and answer.decision.result() == "granted:a"


async def test_a_ticket_answers_only_its_owner(make_rooms: RoomsFactory) -> None:
    decider = _Decider()
    rooms = make_rooms(decider, FakeClock(), max_in_flight=1)
    rooms.arrive(ROOM, "cu_a", "a")
    waiting = rooms.arrive(ROOM, "cu_b", "b")
    assert isinstance(waiting, Waiting)
    assert rooms.poll(ROOM, waiting.ticket, "cu_mallory") is None
    assert rooms.poll(ROOM, "tk_nosuchticket", "cu_b") is None
    assert rooms.poll("cp_other", waiting.ticket, "cu_b") is None
    assert isinstance(rooms.poll(ROOM, waiting.ticket, "cu_b"), Waiting)
    assert isinstance(rooms.poll(ROOM, waiting.ticket, None), Waiting)  # the office


async def test_a_forgotten_ticket_is_no_longer_answered(make_rooms: RoomsFactory) -> None:
    decider = _Decider()
    rooms = make_rooms(decider, FakeClock(), max_in_flight=1)
    first = rooms.arrive(ROOM, "cu_a", "a")
    assert isinstance(first, Admitted)
    await decider.next_asked()
    decider.grant("a")
    await first.decision
    rooms.forget(first.ticket)  # told in the answer to its request
    assert rooms.poll(ROOM, first.ticket, "cu_a") is None


async def test_a_ticket_handed_out_is_not_forgotten(make_rooms: RoomsFactory) -> None:
    decider = _Decider()
    rooms = make_rooms(decider, FakeClock(), max_in_flight=1)
    first = rooms.arrive(ROOM, "cu_a", "a")
    again = rooms.arrive(ROOM, "cu_a", "a")  # asked twice: the second answer is the ticket
    assert isinstance(first, Admitted) and isinstance(again, Waiting)
    slow = rooms.arrive(ROOM, "cu_b", "b")
    assert isinstance(slow, Waiting)
    await decider.next_asked()
    decider.grant("a")
    await first.decision
    rooms.forget(first.ticket)
    answer = rooms.poll(ROOM, again.ticket, "cu_a")
    assert isinstance(answer, Decided) and answer.decision.result() == "granted:a"


async def test_a_full_line_turns_newcomers_away_with_a_time_to_come_back(
    make_rooms: RoomsFactory,
) -> None:
    decider = _Decider()
    rooms = make_rooms(decider, FakeClock(), max_in_flight=1, max_waiting=2, max_retry_ms=3000)
    answers = [rooms.arrive(ROOM, f"cu_{r}", r) for r in "abcd"]
    assert [type(a) for a in answers] == [Admitted, Waiting, Waiting, LineFull]
    assert answers[3] == LineFull(3000)


def test_the_time_to_come_back_grows_with_each_round_ahead() -> None:
    pacing = Pacing(max_in_flight=10, retry_ms=100, max_retry_ms=450)
    assert [pacing.retry_after_ms(p) for p in (0, 1, 10, 11, 25, 1000)] == [
        100,
        100,
        100,
        200,
        300,
        450,
    ]


async def test_closing_cancels_the_decisions_under_way(make_rooms: RoomsFactory) -> None:
    decider = _Decider()
    rooms = make_rooms(decider, FakeClock(), max_in_flight=1)
    first = rooms.arrive(ROOM, "cu_a", "a")
    assert isinstance(first, Admitted)
    await decider.next_asked()
    await rooms.close()
    assert first.decision.cancelled()
