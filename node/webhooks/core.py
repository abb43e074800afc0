"""Pure rules of webhooks: which addresses we post to, the signature, when to try again.

The signature is Stripe's scheme with our header name: `Kippu-Signature: t=<unix seconds>,
v1=<hex HMAC-SHA256 of "<t>.<body>" under the endpoint's secret>`. The receiver recomputes it
over the raw body and refuses a stale `t` (docs/operations.md, Webhooks, has the steps).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from node.errors import InvalidWebhook
from node.text import is_printable
from node.webhooks.model import EventType, Outcome

MAX_URL_CHARS = 2000
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=2)
MAX_ATTEMPTS = 16
GIVE_UP_AFTER = timedelta(hours=24)
JITTER_FRACTION = 0.25
MAX_ERROR_CHARS = 300
SIGNATURE_TOLERANCE_S = 300  # what we tell receivers to accept; our clocks agree within this


def check_url(text: str) -> str:
    """An address we may post to: http(s) with a host, no user or password in it, https unless
    the receiver is on this machine (loopback), where no network sees the events."""
    url = text.strip()
    if not url or len(url) > MAX_URL_CHARS or not is_printable(url) or " " in url:
        raise InvalidWebhook(field="url")
    try:
        parts = urlsplit(url)
        port = parts.port  # a port that is not a number raises here
    except ValueError:
        raise InvalidWebhook(field="url") from None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host or port == 0:
        raise InvalidWebhook(field="url")
    if parts.username is not None or parts.password is not None or parts.fragment:
        raise InvalidWebhook(field="url")
    if parts.scheme == "http" and not is_loopback(host):
        raise InvalidWebhook(field="url")
    return url


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_events(names: Iterable[object]) -> tuple[str, ...]:
    """The event types asked for, known ones only, at least one; sorted, each once."""
    known = {str(e) for e in EventType}
    wanted = list(names)
    if not wanted or any(not isinstance(n, str) or n not in known for n in wanted):
        raise InvalidWebhook(field="events")
    return tuple(sorted({str(n) for n in wanted}))


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of `<timestamp>.<body>` under the endpoint's secret."""
    signed = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify_signature(secret: str, header: str, body: bytes, now: int) -> bool:
    """What a receiver does (docs/operations.md): parse `t` and `v1`, refuse a `t` more than
    SIGNATURE_TOLERANCE_S away from its own clock, compare in constant time."""
    parts: dict[str, str] = {}
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        parts.setdefault(key, value)
    stamp, given = parts.get("t", ""), parts.get("v1", "")
    if not stamp.isdigit() or not given:
        return False
    if abs(now - int(stamp)) > SIGNATURE_TOLERANCE_S:
        return False
    return hmac.compare_digest(given, signature(secret, int(stamp), body))


def retry_delay(attempts: int, jitter: float) -> timedelta:
    """How long to wait after `attempts` failed attempts: 30 s doubled each time, at most two
    hours, plus up to a quarter more (`jitter` in [0, 1)) so endpoints that failed together
    are not all tried again in the same second."""
    base = FIRST_RETRY * (2 ** min(attempts - 1, 20))
    wait: timedelta = min(base, LONGEST_WAIT)
    return wait + wait * (JITTER_FRACTION * jitter)


def next_attempt(
    attempts: int, created_at: datetime, now: datetime, jitter: float
) -> datetime | None:
    """When to try again after `attempts` failures; None: give up (MAX_ATTEMPTS tried, or the
    next try would fall more than GIVE_UP_AFTER after the event)."""
    if attempts >= MAX_ATTEMPTS:
        return None
    at = now + retry_delay(attempts, jitter)
    if at - created_at > GIVE_UP_AFTER:
        return None
    return at


def jitter_from(raw: bytes) -> float:
    """A number in [0, 1) from random bytes (the node's randomness, seeded in tests)."""
    return int.from_bytes(raw[:4], "big") / 2**32


def short_error(outcome: Outcome) -> str | None:
    """What the console shows of a failure, one line, bounded."""
    if outcome.is_success:
        return None
    text = outcome.error or f"HTTP {outcome.status}"
    return " ".join(text.split())[:MAX_ERROR_CHARS]
