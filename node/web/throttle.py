"""Counting failures in a sliding window, and the three policies built on it.

`Throttle` counts failures per key. In memory, per node process: a restart forgets the counts (the
node is one process, so every request passes through the same counter). Memory is bounded by
`max_keys`: past it, the key that failed least recently is dropped, never one currently over its
limit (a flood of fresh keys cannot wipe the count of a name under attack); if every key it looks
at is over its limit, the table grows, which costs a flooder `limit` failures per key.

`SignInThrottle` guards sign-in by password and sign-in links, keyed by a name (login or email)
and the client's address (node/client_address.py). IPv6 addresses are counted by their /64 (one
customer line or device, whose privacy addresses change within it), and the per-address limit
also by their /48 (one site; an attacker gets 2^16 /64s with one): see `address_keys`. An attacker
must not be able to lock the owner out, so there is no lock on a name alone:

- per (name, address): `pair_limit` failures, then that address (/64) may not try that name;
- per address: `address_limit` failures over all names, then that address may not try any, and
  the same limit over a whole IPv6 /48;
- per name: past `name_limit` failures from anywhere the name is *under attack*, and then a
  *known* address (the name signed in from its /64 before, since the node started) may try it
  freely, and *clean* ones (no failure from their /48 or IPv4 address in the window) may try it
  once per `clean_interval_s` between them all: a guesser who spreads over many fresh addresses
  gets one guess per interval, and the owner's correct password from a clean address is accepted
  after at most that wait, while an attacker hammers the name from elsewhere.

`CodeThrottle` counts wrong voucher codes at the counter per staff login. Several staff may share
one login, so codes being checked in parallel must not count against the limit: only finished
failures do. To keep parallel guesses from all passing the check at once, an attempt waits while
the codes still in flight could use up the failures left; a valid code is never refused for the
others' sake, at most it waits for them to finish.

`AddressThrottle` counts every request of a public form per client address (its /64 for IPv6)
and per site (the /48), as `SignInThrottle` keys them: for a form anyone may send with no sign-in,
where each send costs the office something (a store application to review), so a send is counted
whether or not it was accepted.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from node.errors import Throttled

MAX_KEYS = 100_000  # per throttle; beyond this, least recently failed keys are dropped
MAX_KNOWN_ADDRESSES = 8  # per name: the addresses it signed in from most recently
MAX_NAME_CHARS = 256  # a longer name is counted by its start (bounds memory per key)
EVICTION_SCAN = 64  # keys looked at for one to drop before the table may grow instead
IPV6_ADDRESS_BITS = 64  # one line or device
IPV6_SITE_BITS = 48  # one site: shares one address limit


def address_keys(address: str) -> tuple[str, str]:
    """(address key, site key): an IPv6 address's /64 and /48, an IPv4 address itself twice;
    anything unreadable (a Unix socket's peer) as itself."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address, address
    if parsed.version == 4:
        return str(parsed), str(parsed)
    one = ipaddress.IPv6Network((parsed, IPV6_ADDRESS_BITS), strict=False)
    site = ipaddress.IPv6Network((parsed, IPV6_SITE_BITS), strict=False)
    return str(one), str(site)


@dataclass
class Throttle:
    limit: int  # failures allowed within the window
    window_s: float
    max_keys: int = MAX_KEYS
    # In order of each key's latest failure, least recent first (a failure moves its key last).
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
            if len(self._failures) >= self.max_keys:
                self._evict(now_s)
            times = deque()
        else:
            del self._failures[key]  # re-inserted last: the most recently failed
        self._failures[key] = times
        times.append(now_s)

    def forget(self, key: str) -> None:
        """After a success: the count starts again."""
        self._failures.pop(key, None)

    def _evict(self, now_s: float) -> None:
        """Drop the least recently failed key under its limit. Keys over it that are passed
        over move last, so the next search does not look at them again soon."""
        for _ in range(min(EVICTION_SCAN, len(self._failures))):
            key = next(iter(self._failures))
            times = self._recent(key, now_s)
            if times is None or len(times) < self.limit:
                del self._failures[key]
                return
            del self._failures[key]
            self._failures[key] = times

    def _recent(self, key: str, now_s: float) -> deque[float] | None:
        times = self._failures.get(key)
        if times is None:
            return None
        while times and times[0] <= now_s - self.window_s:
            times.popleft()
        return times


@dataclass
class SignInThrottle:
    """Failures per (name, address), per address and site, and per name; see the module
    docstring."""

    pair_limit: int
    address_limit: int
    name_limit: int
    window_s: float
    clean_interval_s: float = 5.0
    max_keys: int = MAX_KEYS
    _pairs: Throttle = field(init=False)
    _addresses: Throttle = field(init=False)
    _names: Throttle = field(init=False)
    _clean_turns: Throttle = field(init=False)
    _known: dict[str, deque[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._pairs = Throttle(self.pair_limit, self.window_s, self.max_keys)
        self._addresses = Throttle(self.address_limit, self.window_s, self.max_keys)
        self._names = Throttle(self.name_limit, self.window_s, self.max_keys)
        self._clean_turns = Throttle(1, self.clean_interval_s, self.max_keys)

    def attempt(self, name: str, address: str, now_s: float) -> None:
        """Refuse (Throttled) or count one attempt, in one step with no await in between, so
        parallel guesses are counted before the slow check; `succeeded` or `take_back` takes
        it back."""
        name = name[:MAX_NAME_CHARS]
        counted = self._counted(name, address)
        pair, of = counted[0], counted[-1]
        for key in dict.fromkeys(counted[1:3]):  # the /64 and the /48 (one key for IPv4)
            self._addresses.check(key, now_s)
        self._pairs.check(pair, now_s)
        if self._names.count(of, now_s) >= self.name_limit:
            self._under_attack(name, address, now_s)
        for throttle, key in self._throttles(counted):
            throttle.fail(key, now_s)

    def succeeded(self, name: str, address: str) -> None:
        """The attempt just counted was right: the pair starts again and the address is known."""
        name = name[:MAX_NAME_CHARS]
        self.take_back(name, address)
        self._pairs.forget(self._counted(name, address)[0])
        one, _ = address_keys(address)
        known = self._known.pop(name, deque(maxlen=MAX_KNOWN_ADDRESSES))
        if one not in known:
            known.append(one)
        if len(self._known) >= self.max_keys:
            del self._known[next(iter(self._known))]
        self._known[name] = known

    def take_back(self, name: str, address: str) -> None:
        """The attempt just counted was no guess (the check failed for another reason, such as
        a storage error): it counts nothing."""
        name = name[:MAX_NAME_CHARS]
        for throttle, key in self._throttles(self._counted(name, address)):
            throttle.succeeded(key)

    def _under_attack(self, name: str, address: str, now_s: float) -> None:
        """Known addresses may try; clean ones one at a time between them all; others not."""
        one, site = address_keys(address)
        if one in self._known.get(name, ()):
            return
        if self._addresses.count(f"ip:{site}", now_s) > 0:
            raise Throttled(retry_after_s=self._names.retry_after_s(f"name:{name}", now_s))
        turn = f"clean:{name}"
        self._clean_turns.check(turn, now_s)
        self._clean_turns.fail(turn, now_s)

    def _counted(self, name: str, address: str) -> tuple[str, str, str, str]:
        """(pair key, address key, site key, name key)."""
        one, site = address_keys(address)
        return f"{name}\0{one}", f"ip:{one}", f"ip:{site}", f"name:{name}"

    def _throttles(self, counted: tuple[str, str, str, str]) -> list[tuple[Throttle, str]]:
        pair, one, site, of = counted
        keys = [(self._pairs, pair), (self._addresses, one), (self._names, of)]
        return keys if site == one else [*keys, (self._addresses, site)]


@dataclass
class AddressThrottle:
    """Requests per address and per site in the window; see the module docstring."""

    address_limit: int
    site_limit: int
    window_s: float
    max_keys: int = MAX_KEYS
    _addresses: Throttle = field(init=False)
    _sites: Throttle = field(init=False)

    def __post_init__(self) -> None:
        self._addresses = Throttle(self.address_limit, self.window_s, self.max_keys)
        self._sites = Throttle(self.site_limit, self.window_s, self.max_keys)

    def attempt(self, address: str, now_s: float) -> None:
        """Refuse (Throttled, with `retry_after_s`) or count one request, in one step with no
        await in between, so requests sent in parallel are all counted before any goes on."""
        one, site = address_keys(address)
        self._addresses.check(one, now_s)
        self._sites.check(site, now_s)
        self._addresses.fail(one, now_s)
        self._sites.fail(site, now_s)


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
