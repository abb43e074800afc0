"""The throttles' rules without HTTP: codes in flight never count, wrong ones do; a name under
attack stays open to clean and known addresses (issue 13, items 2 and 12). Fake clock: numbers."""

from __future__ import annotations

import asyncio

import pytest

from node.errors import Throttled
from node.web.throttle import CodeThrottle, SignInThrottle


async def test_codes_in_flight_wait_for_room_and_never_count() -> None:
    throttle = CodeThrottle(limit=3, window_s=300)
    release, inside = asyncio.Event(), []

    async def valid(n: int) -> None:
        async with throttle.attempt("codes:register", 0.0):
            inside.append(n)
            await release.wait()

    tasks = [asyncio.create_task(valid(n)) for n in range(10)]
    for _ in range(5):
        await asyncio.sleep(0)  # let every task reach the throttle
    assert len(inside) == 3  # no more in flight than failures left: parallel guesses are bounded
    release.set()
    await asyncio.gather(*tasks)  # all ten valid codes went through, none refused
    assert sorted(inside) == list(range(10))
    for _ in range(3):
        async with throttle.attempt("codes:register", 1.0) as attempt:
            attempt.failed = True
    with pytest.raises(Throttled):
        async with throttle.attempt("codes:register", 2.0):
            pass
    async with throttle.attempt("codes:register", 302.0):  # the window has passed
        pass


def test_a_name_under_attack_stays_open_to_clean_and_known_addresses() -> None:
    throttle = SignInThrottle(pair_limit=5, address_limit=30, name_limit=10, window_s=900)
    throttle.attempt("admin", "10.0.0.9", 0.0)
    throttle.succeeded("admin", "10.0.0.9")  # the owner's office: known from now on
    for n in range(5):  # a spread-out guesser: 2 guesses from each of 5 addresses, 10 in all
        for _ in range(2):
            throttle.attempt("admin", f"203.0.113.{n}", 1.0)
    with pytest.raises(Throttled):  # dirty and unknown: refused while the name is under attack
        throttle.attempt("admin", "203.0.113.1", 2.0)
    throttle.attempt("admin", "198.51.100.1", 2.0)  # clean: may try
    for _ in range(4):  # known, even after failures of its own
        throttle.attempt("admin", "10.0.0.9", 3.0)
    throttle.attempt("admin", "10.0.0.9", 3.0)
    throttle.succeeded("admin", "10.0.0.9")
    throttle.attempt("admin", "203.0.113.1", 901.0)  # the window has passed
