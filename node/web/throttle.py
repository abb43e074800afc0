"""Counting failures per key in a sliding window: sign-in attempts, code entry, link requests.

In memory, per node process: a restart forgets the counts (the node is one process, so every
request passes through the same counter). Keys name what is limited: `login:<name>`, `ip:<addr>`.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from node.errors import Throttled

MAX_KEYS = 100_000  # beyond this, the oldest keys are dropped (bounds memory under a flood)


@dataclass
class Throttle:
    limit: int  # failures allowed within the window
    window_s: float
    _failures: dict[str, deque[float]] = field(default_factory=dict)

    def check(self, key: str, now_s: float) -> None:
        """Raise Throttled if `key` has used up its failures in the window."""
        times = self._recent(key, now_s)
        if times is not None and len(times) >= self.limit:
            retry = int(times[0] + self.window_s - now_s) + 1
            raise Throttled(retry_after_s=retry)

    def attempt(self, key: str, now_s: float) -> None:
        """Check and count in one step (no await between), so parallel tries cannot all pass the
        check before any is counted; `succeeded` gives the count back."""
        self.check(key, now_s)
        self.fail(key, now_s)

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
