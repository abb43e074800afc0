"""Counting failures in a sliding window, and the two policies built on it.

`Throttle` counts failures per key. In memory, per node process: a restart forgets the counts (the
node is one process, so every request passes through the same counter).

`SignInThrottle` guards sign-in by password and sign-in links, keyed by a name (login or email)
and the client's address (node/client_address.py). An attacker must not be able to lock the owner
out, so there is no lock on a name alone:

- per (name, address): `pair_limit` failures, then that address may not try that name;
- per address: `address_limit` failures over all names, then that address may not try any;
- per name: past `name_limit` failures from anywhere the name is *under attack*, and then only a
  *clean* address (no failure at all in the window) or a *known* one (the name signed in from
  it before, since the node started) may try it. The owner's correct password from such an
  address is still accepted while an attacker hammers the name from elsewhere; a guesser who
  spreads over many addresses gets one guess per fresh address per window.

`CodeThrottle` counts wrong voucher codes at the counter per staff login. Several staff may share
one login, so codes being checked in parallel must not count against the limit: only finished
failures do. To keep parallel guesses from all passing the check at once, an attempt waits while
the codes still in flight could use up the failures left; a valid code is never refused for the
others' sake, at most it waits for them to finish.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from node.errors import Throttled

MAX_KEYS = 100_000  # beyond this, the oldest keys are dropped (bounds memory under a flood)
MAX_KNOWN_ADDRESSES = 8  # per name: the addresses it signed in from most recently
MAX_NAME_CHARS = 256  # a longer name is counted by its start (bounds memory per key)


@dataclass
class Throttle:
    limit: int  # failures allowed within the window
    window_s: float
    _failures: dict[str, deque[float]] = field(default_factory=dict)

    def check(self, key: str, now_s: float) -> None:
        """Raise Throttled if `key` has used up its failures in the window."""
        times = self._recent(key, now_s)
        if times is not None and len(times) >= self.limit:
            raise Throttled(retry_after_s=self.retry_after_s(key, now_s))

    def count(self, key: str, now_s: float) -> int:
        times = self._recent(key, now_s)
        return 0 if times is None else len(times)

    def retry_after_s(self, key: str, now_s: float) -> int:
        times = self._recent(key, now_s)
        return int(times[0] + self.window_s - now_s) + 1 if times else 1

    def succeeded(self, key: str) -> None:
        """The attempt just counted was not a failure: take it back."""
        times = self._failures.get(key)
        if times:
            times.pop()

    def fail(self, key: str, now_s: float) -> None:
        times = self._recent(key, now_s)
        if times is None:
            if len(self._failures) >= MAX_KEYS:
                del self._failures[next(iter(self._failures))]
            times = self._failures[key] = deque()
        times.append(now_s)

    def forget(self, key: str) -> None:
        """After a success: the count starts again."""
        self._failures.pop(key, None)

    def _recent(self, key: str, now_s: float) -> deque[float] | None:
        times = self._failures.get(key)
        if times is None:
            return None
        while times and times[0] <= now_s - self.window_s:
            times.popleft()
        return times


@dataclass
class SignInThrottle:
    """Failures per (name, address), per address, and per name; see the module docstring."""

    pair_limit: int
    address_limit: int
    name_limit: int
    window_s: float
    _pairs: Throttle = field(init=False)
    _addresses: Throttle = field(init=False)
    _names: Throttle = field(init=False)
    _known: dict[str, deque[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._pairs = Throttle(self.pair_limit, self.window_s)
        self._addresses = Throttle(self.address_limit, self.window_s)
        self._names = Throttle(self.name_limit, self.window_s)

    def attempt(self, name: str, address: str, now_s: float) -> None:
        """Refuse (Throttled) or count one attempt, in one step with no await in between, so
        parallel guesses are counted before the slow check; `succeeded` takes it back."""
        name = name[:MAX_NAME_CHARS]
        pair, at, of = _pair_key(name, address), f"ip:{address}", f"name:{name}"
        self._addresses.check(at, now_s)
        self._pairs.check(pair, now_s)
        under_attack = self._names.count(of, now_s) >= self.name_limit
        if under_attack and not self._is_trusted_for(name, address, now_s):
            raise Throttled(retry_after_s=self._names.retry_after_s(of, now_s))
        for throttle, key in ((self._pairs, pair), (self._addresses, at), (self._names, of)):
            throttle.fail(key, now_s)

    def succeeded(self, name: str, address: str) -> None:
        """The attempt just counted was right: the pair starts again and the address is known."""
        name = name[:MAX_NAME_CHARS]
        self._pairs.forget(_pair_key(name, address))
        self._addresses.succeeded(f"ip:{address}")
        self._names.succeeded(f"name:{name}")
        known = self._known.pop(name, deque(maxlen=MAX_KNOWN_ADDRESSES))
        if address not in known:
            known.append(address)
        if len(self._known) >= MAX_KEYS:
            del self._known[next(iter(self._known))]
        self._known[name] = known

    def _is_trusted_for(self, name: str, address: str, now_s: float) -> bool:
        is_clean = self._addresses.count(f"ip:{address}", now_s) == 0
        return is_clean or address in self._known.get(name, ())


def _pair_key(name: str, address: str) -> str:
    return f"{name}\0{address}"


@dataclass
class CodeAttempt:
    """One code being checked; the caller sets `failed` when the code was wrong."""

    failed: bool = False


@dataclass
class CodeThrottle:
    """Wrong codes per key (a staff login); codes in flight never count, see the module docstring."""

    limit: int
    window_s: float
    _failures: Throttle = field(init=False)
    _in_flight: dict[str, int] = field(default_factory=dict)
    _finished: asyncio.Condition | None = None

    def __post_init__(self) -> None:
        self._failures = Throttle(self.limit, self.window_s)

    @asynccontextmanager
    async def attempt(self, key: str, now_s: float) -> AsyncIterator[CodeAttempt]:
        """Wait for room, check, and hold a place while the code is checked; a wrong code
        (`failed` set) counts when it finishes."""
        finished = self._condition()
        async with finished:
            while True:
                self._failures.check(key, now_s)
                room = self.limit - self._failures.count(key, now_s)
                if self._in_flight.get(key, 0) < room:
                    break
                await finished.wait()
            self._in_flight[key] = self._in_flight.get(key, 0) + 1
        attempt = CodeAttempt()
        try:
            yield attempt
        finally:
            async with finished:
                left = self._in_flight[key] - 1
                if left:
                    self._in_flight[key] = left
                else:
                    del self._in_flight[key]
                if attempt.failed:
                    self._failures.fail(key, now_s)
                finished.notify_all()

    def _condition(self) -> asyncio.Condition:
        if self._finished is None:
            self._finished = asyncio.Condition()
        return self._finished
