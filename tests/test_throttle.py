"""The throttles' rules without HTTP: codes in flight never count, wrong ones do; a name under
attack stays open to clean and known addresses (issue 13, items 2 and 12); IPv6 by /64 and /48,
clean addresses taking turns, eviction and taking an attempt back (REVIEW items 3 and 15). Fake
clock: numbers."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from node.errors import Throttled
from node.web.throttle import CodeThrottle, SignInThrottle, Throttle


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


def allowed(throttle: SignInThrottle, tries: list[tuple[str, str, float]]) -> int:
    """How many of the (name, address, time) attempts the throttle let through."""
    passed = 0
    for name, address, now_s in tries:
        try:
            throttle.attempt(name, address, now_s)
        except Throttled:
            continue
        passed += 1
    return passed


def test_ipv6_addresses_count_by_their_64_and_a_48_shares_one_address_limit() -> None:
    # REVIEW item 3: 10,000 of 10,000 guesses at admin from 2001:db8::/64 passed in one window.
    throttle = SignInThrottle(pair_limit=5, address_limit=30, name_limit=10, window_s=900)
    one_64 = [("admin", f"2001:db8::{n:x}", 1.0) for n in range(10_000)]
    assert allowed(throttle, one_64) == 5
    # Many /64s of one /48, each guessing other names: the /48 has one address limit.
    spread = SignInThrottle(pair_limit=5, address_limit=30, name_limit=10, window_s=900)
    many_64s = [(f"user{n}", f"2001:db8:1:{n:x}::1", 1.0) for n in range(1_000)]
    assert allowed(spread, many_64s) == 30
    # Another /48 is another site, and IPv4 is counted per address as before.
    assert allowed(spread, [("user1", "2001:db8:2::1", 1.0), ("user1", "192.0.2.1", 1.0)]) == 2


def test_a_name_under_attack_takes_one_guess_per_interval_from_all_clean_addresses() -> None:
    throttle = SignInThrottle(
        pair_limit=5, address_limit=30, name_limit=10, window_s=900, clean_interval_s=5
    )
    throttle.attempt("admin", "10.0.0.9", 0.0)
    throttle.succeeded("admin", "10.0.0.9")  # the owner's office: known
    # One fresh address (a fresh /48, a fresh IPv4) per guess, one guess a second for a window.
    fresh = [(f"2001:db8:{n:x}::1" if n % 2 else f"198.{n % 200}.{n // 200}.1") for n in range(900)]
    tries = [("admin", address, float(1 + n)) for n, address in enumerate(fresh)]
    passed = allowed(throttle, tries)
    assert passed <= 10 + 900 // 5 + 1, passed  # was 900: one per fresh address
    # The known address is not held up by the attacker's use of the clean addresses' share.
    throttle.attempt("admin", "10.0.0.9", 900.0)
    # A clean address waits its turn rather than being shut out.
    with pytest.raises(Throttled) as waiting:
        throttle.attempt("admin", "203.0.113.50", 900.5)
    assert waiting.value.details["retry_after_s"] <= 5
    throttle.attempt("admin", "203.0.113.50", 906.0)


def test_a_key_flood_evicts_the_least_recently_failed_never_a_key_over_its_limit() -> None:
    throttle = SignInThrottle(
        pair_limit=5, address_limit=30, name_limit=10, window_s=900, max_keys=50
    )
    for n in range(10):  # admin is under attack: 10 failures from 10 addresses
        throttle.attempt("admin", f"203.0.113.{n}", 0.0)
    with pytest.raises(Throttled):
        throttle.attempt("admin", "203.0.113.1", 1.0)
    for n in range(5_000):  # a flood of other keys, far beyond max_keys
        with contextlib.suppress(Throttled):
            throttle.attempt(f"nobody{n}", f"198.51.{n // 250}.{n % 250}", 2.0)
    # The count for admin survived the flood: still under attack, so fresh addresses take turns.
    throttle.attempt("admin", "192.0.2.1", 3.0)
    with pytest.raises(Throttled):
        throttle.attempt("admin", "192.0.2.2", 3.0)


def test_eviction_takes_the_key_that_failed_longest_ago() -> None:
    counts = Throttle(limit=3, window_s=900, max_keys=2)
    counts.fail("old", 0.0)
    counts.fail("new", 1.0)
    counts.fail("old", 2.0)  # "old" failed again: "new" is now the least recently failed
    counts.fail("third", 3.0)
    assert (counts.count("old", 4.0), counts.count("new", 4.0)) == (2, 0)
    full = Throttle(limit=2, window_s=900, max_keys=2)
    for key in ("a", "a", "b", "b"):  # both over their limit: neither is dropped
        full.fail(key, 0.0)
    full.fail("c", 1.0)
    assert (full.count("a", 2.0), full.count("b", 2.0), full.count("c", 2.0)) == (2, 2, 1)


def test_an_attempt_taken_back_counts_nothing() -> None:
    # REVIEW item 15: a check that failed for another reason than a wrong password (a storage
    # error) must not burn one of the owner's attempts.
    throttle = SignInThrottle(pair_limit=5, address_limit=30, name_limit=10, window_s=900)
    for _ in range(20):
        throttle.attempt("admin", "10.0.0.9", 1.0)
        throttle.take_back("admin", "10.0.0.9")
    throttle.attempt("admin", "10.0.0.9", 1.0)  # not throttled: nothing was counted
