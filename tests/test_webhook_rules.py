"""The webhooks' pure rules: the signature (with the vector docs/operations.md gives receivers),
which addresses we post to, the backoff and when a delivery is given up."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from node.errors import InvalidWebhook
from node.webhooks.core import (
    GIVE_UP_AFTER,
    LONGEST_WAIT,
    MAX_ATTEMPTS,
    check_events,
    check_url,
    next_attempt,
    retry_delay,
    signature_header,
    verify_signature,
)
from tests.webhook_helpers import verify

OPERATIONS = (Path(__file__).resolve().parent.parent / "docs" / "operations.md").read_text(
    encoding="utf-8"
)
T0 = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


def test_the_documented_vector_signs_and_verifies() -> None:
    secret = re.search(r"the secret\s+`(whsec_\w+)`", OPERATIONS)
    body = re.search(r"the body\s+`(\{.*?\})`\s", OPERATIONS, flags=re.S)
    header = re.search(r"`Kippu-Signature: (t=\d+,v1=[0-9a-f]{64})`", OPERATIONS)
    assert secret and body and header
    raw = body.group(1).encode()
    assert signature_header(secret.group(1), 1795568400, raw) == header.group(1)
    assert verify(secret.group(1), header.group(1), raw, 1795568400 + 300)  # the docs' steps
    assert verify_signature(secret.group(1), header.group(1), raw, 1795568400 - 300)


@given(st.binary(max_size=200), st.integers(min_value=0, max_value=2**40))
def test_any_change_to_the_body_or_time_breaks_the_signature(body: bytes, stamp: int) -> None:
    header = signature_header("whsec_k", stamp, body)
    assert verify_signature("whsec_k", header, body, stamp)
    assert not verify_signature("whsec_k", header, body + b" ", stamp)
    assert not verify_signature("whsec_other", header, body, stamp)
    assert not verify_signature("whsec_k", header, body, stamp + 301)
    forged = header.replace(f"t={stamp}", f"t={stamp + 1}")
    assert not verify_signature("whsec_k", forged, body, stamp)


@pytest.mark.parametrize(
    "url",
    [
        "https://pos.example.com/kippu",
        "https://pos.example.com:8443/kippu?store=1",
        "http://127.0.0.1:8080/hooks",
        "http://localhost/hooks",
        "http://[::1]:9000/",
        "  https://pos.example.com/x  ",  # trimmed
    ],
)
def test_addresses_we_post_to(url: str) -> None:
    assert check_url(url) == url.strip()


@pytest.mark.parametrize(
    "url",
    [
        "",
        "pos.example.com/kippu",
        "ftp://pos.example.com/",
        "http://pos.example.com/",  # plain http off this machine
        "http://192.168.1.10/hooks",
        "https://user:secret@pos.example.com/",
        "https://token@pos.example.com/",
        "https://pos.example.com/#frag",
        "https://pos.example.com:99999/",
        "https://pos.example.com:0/",
        "https:///path",
        "https://pos.example.com/a b",
        "https://pos.example.com/\u200b",
        "https://pos.example.com/" + "a" * 2000,
    ],
)
def test_addresses_we_refuse(url: str) -> None:
    with pytest.raises(InvalidWebhook) as refused:
        check_url(url)
    assert refused.value.details == {"field": "url"}


def test_events_are_known_at_least_one_and_sorted() -> None:
    assert check_events(["rank.changed", "points.used", "points.used"]) == (
        "points.used",
        "rank.changed",
    )
    for bad in ([], ["points.spent"], ["webhook.ping"], [None]):
        with pytest.raises(InvalidWebhook):
            check_events(bad)


def test_the_backoff_doubles_from_30_seconds_up_to_two_hours_with_a_quarter_of_jitter() -> None:
    waits = [retry_delay(n, 0.0) for n in range(1, 12)]
    assert waits[:4] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert waits[-1] == LONGEST_WAIT and max(waits) == LONGEST_WAIT
    assert retry_delay(1, 0.999) < timedelta(seconds=37.5)
    assert retry_delay(40, 0.5) == LONGEST_WAIT * 1.125


@given(
    st.lists(st.floats(min_value=0, max_value=0.999), min_size=MAX_ATTEMPTS, max_size=MAX_ATTEMPTS)
)
def test_a_delivery_is_given_up_after_its_last_attempt_within_a_day(jitters: list[float]) -> None:
    now, attempts = T0, 0
    while True:
        attempts += 1
        after = next_attempt(attempts, T0, now, jitters[attempts - 1])
        if after is None:
            break
        assert after > now and after - T0 <= GIVE_UP_AFTER
        now = after
    assert attempts <= MAX_ATTEMPTS
    assert next_attempt(1, T0, T0 + GIVE_UP_AFTER, 0.0) is None  # a day on: no more
