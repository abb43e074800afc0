"""The lottery campaigns' draw, pure (node/campaigns/draw.py): the canonical bytes and a fixed
vector (a change to the format changes it), the winners' properties over any entries and seed,
each round drawn from the entries not won before, and a check that reports what was altered."""

from __future__ import annotations

import hashlib
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from node.campaigns import draw

CAMPAIGN = "cp_test"
SEED = bytes(range(32))
ENTRIES = [f"le_{i:03d}" for i in range(10)]


def test_canonical_bytes_and_a_fixed_vector() -> None:
    assert draw.canonical_entries(CAMPAIGN, 1, ["le_a", "le_b"]) == (
        b'{"campaign_id":"cp_test","entries":["le_a","le_b"],"round":1}'
    )
    hashed = draw.entries_hash(CAMPAIGN, 1, ENTRIES)
    assert hashed.hex() == "140c1886ee90914ae973966985111d0174b9213a7092682ef15c464563071ec6"
    # Published draws must recompute forever: a change to the bytes or the shuffle fails here.
    assert draw.winners(ENTRIES, hashed, SEED, 3) == ["le_004", "le_002", "le_001"]


@given(
    st.lists(st.integers(0, 10_000), unique=True, max_size=60),
    st.binary(min_size=16, max_size=64),
    st.integers(1, 80),
)
def test_winners_are_distinct_entries_and_as_many_as_asked_or_all(
    numbers: list[int], seed: bytes, count: int
) -> None:
    entries = sorted(f"le_{n:05d}" for n in numbers)
    hashed = draw.entries_hash(CAMPAIGN, 1, entries)
    won = draw.winners(entries, hashed, seed, count)
    assert len(won) == min(count, len(entries)) and len(set(won)) == len(won)
    assert set(won) <= set(entries)
    assert won == draw.winners(entries, hashed, seed, count)  # the same inputs, the same draw
    assert draw.winners(entries, hashed, seed, len(entries))[: len(won)] == won


def document(seed: bytes = SEED) -> dict[str, Any]:
    first_hash = draw.entries_hash(CAMPAIGN, 1, ENTRIES)
    first = draw.winners(ENTRIES, first_hash, seed, 3)
    pool = draw.remaining(ENTRIES, first)
    second_hash = draw.entries_hash(CAMPAIGN, 2, pool)
    second = draw.winners(pool, second_hash, seed, 2)
    rounds = [
        draw.RoundFacts(1, first_hash, seed, None, 3, tuple(first)),
        draw.RoundFacts(2, second_hash, seed, None, 2, tuple(second)),
    ]
    return {
        "format": draw.FORMAT,
        "campaign": {"campaign_id": CAMPAIGN},
        "seed_mode": "secret",
        "commitment": hashlib.sha256(seed).hexdigest(),
        "entries_hash": first_hash.hex(),
        "entries": ENTRIES,
        "rounds": [draw.round_json(r) for r in rounds],
    }


def test_a_published_draw_checks_and_each_alteration_is_named() -> None:
    assert draw.differences(document()) == []
    second = document()["rounds"][1]["winners"]
    assert not set(second) & set(document()["rounds"][0]["winners"])

    other_seed = document(bytes(32))
    other_seed["commitment"] = document()["commitment"]
    found = draw.differences(other_seed)
    assert any("not the committed secret" in d for d in found)

    reordered = document()
    reordered["entries"] = list(reversed(ENTRIES))
    assert any(d.startswith("entries:") for d in draw.differences(reordered))

    renumbered = document()
    renumbered["rounds"][1]["round"] = 3
    assert any("numbered 3" in d for d in draw.differences(renumbered))

    fewer = document()
    fewer["rounds"][1]["winners"] = fewer["rounds"][1]["winners"][:1]
    assert any("round 2: the winners differ" in d for d in draw.differences(fewer))
