"""Time and randomness are inputs: the node reads them here, tests replace them."""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC, whole seconds."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC).replace(microsecond=0)


class Randomness(Protocol):
    def token_bytes(self, count: int) -> bytes: ...


class SystemRandomness:
    def token_bytes(self, count: int) -> bytes:
        return secrets.token_bytes(count)


def new_id(rng: Randomness, prefix: str) -> str:
    """An opaque id such as `st_5k2m3q7xw4rna`: prefix and 8 random bytes in lower-case base32."""
    return f"{prefix}_{base64.b32encode(rng.token_bytes(8)).decode('ascii').rstrip('=').lower()}"


def ordered_id(now: datetime, rng: Randomness, prefix: str) -> str:
    """An id that sorts by creation time: milliseconds then 5 random bytes, lower-case base32.

    Used for ids that key append-only tables (journal entries, redemptions): new rows land at
    the end of each index, so a commit rewrites a few pages instead of scattering across many.
    """
    stamp = int(now.timestamp() * 1000).to_bytes(6, "big")
    raw = base64.b32encode(stamp + rng.token_bytes(5)).decode("ascii").rstrip("=").lower()
    return f"{prefix}_{raw}"


def iso(moment: datetime | None) -> str | None:
    """Times in the API are UTC, ISO 8601 with a Z."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
