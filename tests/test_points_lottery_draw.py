"""The point lottery's draw and its rules, pure (node/points/lottery_draw.py, lottery_rules.py):
the draw is a function of the entries' hash and the seed alone; verify-draw's check catches any
change to the entries, the seed, the commitment or the winners; the 景品表示法 prize limits
refuse exactly what the law refuses."""

from __future__ import annotations

import copy
import hashlib
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from node.errors import InvalidPoints, PrizeLimitExceeded
from node.points import lottery_draw
from node.points.lottery_draw import (
    FORMAT,
    DrawFileInvalid,
    canonical_entries,
    commitment_of,
    differences,
    draw,
    entries_hash,
    shuffled,
    winners_json,
)
from node.points.lottery_model import LotteryTerms, Prize
from node.points.lottery_rules import check_prize_limits, check_terms, prize_limit_yen

SEED = bytes(range(32))


def _file(tickets: list[str], seed: bytes, counts: list[int]) -> dict[str, Any]:
    hashed = entries_hash("lo_test", tickets)
    return {
        "format": FORMAT,
        "lottery": {
            "lottery_id": "lo_test",
            "prizes": [
                {"name": f"賞{i}", "value_yen": 1000, "count": c} for i, c in enumerate(counts)
            ],
        },
        "entries": tickets,
        "entries_hash": hashed.hex(),
        "commitment": commitment_of(seed).hex(),
        "seed": seed.hex(),
        "winners": winners_json(draw(tickets, hashed, seed, counts)),
    }


def test_the_canonical_entries_and_a_known_vector() -> None:
    """The bytes hashed are stated in docs/operations.md; this vector pins them and the draw."""
    assert (
        canonical_entries("lo_x", ["lt_b", "lt_a"])
        == b'{"lottery_id":"lo_x","tickets":["lt_b","lt_a"]}'
    )
    tickets = [f"lt_{i:02d}" for i in range(10)]
    hashed = entries_hash("lo_x", tickets)
    assert hashed == hashlib.sha256(canonical_entries("lo_x", tickets)).digest()
    order = shuffled(tickets, hashed, SEED)
    assert sorted(order) == tickets and order != tickets
    assert shuffled(tickets, hashed, SEED) == order  # deterministic
    assert shuffled(tickets, hashed, bytes(32)) != order  # another seed, another order
    won = draw(tickets, hashed, SEED, [1, 2])
    assert [(w.place, w.ticket_id, w.position) for w in won] == [
        (1, order[0], 0),
        (2, order[1], 1),
        (3, order[2], 1),
    ]


def test_fewer_tickets_than_prizes_give_the_first_prizes_only() -> None:
    tickets = ["lt_a", "lt_b"]
    won = draw(tickets, entries_hash("lo", tickets), SEED, [1, 5])
    assert [w.position for w in won] == [0, 1] and {w.ticket_id for w in won} == set(tickets)
    assert draw([], entries_hash("lo", []), SEED, [3]) == []


def test_the_shuffle_is_unbiased_enough_to_see() -> None:
    """Over 3,000 seeds each of 3 tickets wins first place about a third of the time (a biased
    modulo or an off-by-one in Fisher-Yates shows here as a skew far beyond chance)."""
    tickets = ["a", "b", "c"]
    hashed = entries_hash("lo", tickets)
    firsts = Counter(shuffled(tickets, hashed, i.to_bytes(32, "big"))[0] for i in range(3000))
    assert all(850 < firsts[t] < 1150 for t in tickets), firsts


def test_a_true_file_verifies() -> None:
    assert differences(_file([f"lt_{i}" for i in range(50)], SEED, [1, 3, 10])) == []


tickets_lists = st.lists(
    st.text("abcdefgh0123", min_size=1, max_size=6), min_size=3, max_size=30, unique=True
)


@settings(max_examples=60, deadline=None)
@given(tickets=tickets_lists, seed=st.binary(min_size=32, max_size=32), data=st.data())
def test_any_change_to_entries_seed_or_winners_is_caught(
    tickets: list[str], seed: bytes, data: st.DataObject
) -> None:
    true = _file(tickets, seed, [1, 1])
    assert differences(true) == []
    tampered = copy.deepcopy(true)
    change = data.draw(st.sampled_from(["drop", "add", "swap", "seed", "winner", "commitment"]))
    if change == "drop":
        tampered["entries"].pop(data.draw(st.integers(0, len(tickets) - 1)))
    elif change == "add":
        tampered["entries"].append("zz_extra")
    elif change == "swap":
        tampered["entries"][0], tampered["entries"][1] = tickets[1], tickets[0]
    elif change == "seed":
        other = data.draw(st.binary(min_size=32, max_size=32).filter(lambda b: b != seed))
        tampered["seed"] = other.hex()
    elif change == "commitment":
        tampered["commitment"] = commitment_of(seed + b"x")[:32].hex()
    else:
        loser = next(t for t in tickets if t not in {w["ticket"] for w in true["winners"]})
        tampered["winners"][0]["ticket"] = loser
    found = differences(tampered)
    assert found, change
    expected = {
        "drop": "entries_hash",
        "add": "entries_hash",
        "swap": "entries_hash",
        "seed": "commitment",
        "commitment": "commitment",
        "winner": "winners",
    }[change]
    assert any(line.startswith(expected) for line in found), (change, found)


def test_the_seed_changed_with_its_commitment_still_changes_the_winners_or_not_the_hash() -> None:
    """A new seed and a matching commitment: the winners stated no longer recompute."""
    true = _file([f"lt_{i}" for i in range(40)], SEED, [3])
    other = bytes(reversed(SEED))
    forged = {**true, "seed": other.hex(), "commitment": commitment_of(other).hex()}
    assert [line.split(":")[0] for line in differences(forged)] == ["winners"]


@pytest.mark.parametrize(
    "broken",
    [
        {},
        {"format": "other"},
        {"format": FORMAT, "lottery": {"lottery_id": "lo", "prizes": []}},
        {
            "format": FORMAT,
            "lottery": {"lottery_id": "lo", "prizes": [{"count": 1}]},
            "entries": ["a"],
            "winners": [],
            "seed": "zz",
            "commitment": "00",
            "entries_hash": "00",
        },
    ],
)
def test_a_file_that_is_no_draw_file_is_refused(broken: dict[str, Any]) -> None:
    with pytest.raises(DrawFileInvalid):
        differences(broken)


# The rule table of 景品表示法 一般懸賞: (transaction yen, the most one prize may be worth).
@pytest.mark.parametrize(
    ("transaction_yen", "limit"),
    [(1, 20), (100, 2_000), (500, 10_000), (4_999, 99_980), (5_000, 100_000), (80_000, 100_000)],
)
def test_the_limit_of_one_prize(transaction_yen: int, limit: int) -> None:
    assert prize_limit_yen(transaction_yen) == limit
    check_prize_limits((Prize("景品", limit, 1),), transaction_yen, limit * 50)
    with pytest.raises(PrizeLimitExceeded) as refused:
        check_prize_limits((Prize("景品", limit + 1, 1),), transaction_yen, 10**12)
    assert refused.value.details == {"field": "prize_value_0", "prize": "景品", "limit_yen": limit}


@pytest.mark.parametrize(
    ("related_sales_yen", "total_yen", "allowed"),
    [
        (1_000_000, 20_000, True),
        (1_000_000, 20_001, False),
        (1_000_049, 20_000, True),
        (99, 1, True),
        (49, 1, False),
    ],
)
def test_the_total_is_at_most_two_percent_of_the_related_sales(
    related_sales_yen: int, total_yen: int, allowed: bool
) -> None:
    prizes = (Prize("景品", total_yen, 1),)
    if allowed:
        check_prize_limits(prizes, 5_000, related_sales_yen)
    else:
        with pytest.raises(PrizeLimitExceeded) as refused:
            check_prize_limits(prizes, 5_000, related_sales_yen)
        assert refused.value.details["field"] == "related_sales_yen"


def test_the_entry_value_counts_at_the_point_yen_value() -> None:
    """100 pt at ¥1 is a ¥100 transaction (prize ≤ ¥2,000); at ¥2 a ¥200 one (≤ ¥4,000)."""
    at = datetime(2027, 3, 1, tzinfo=UTC)
    terms = LotteryTerms(
        "春の抽選", 100, 1, at, at.replace(day=31), 10_000_000, (Prize("券", 3_000, 1),)
    )
    with pytest.raises(PrizeLimitExceeded):
        check_terms(terms, 1)
    assert check_terms(terms, 2).prizes == (Prize("券", 3_000, 1),)
    with pytest.raises(InvalidPoints) as refused:
        check_terms(LotteryTerms("x", 100, 1, at, at, 10_000, (Prize("券", 1, 1),)), 1)
    assert refused.value.details["field"] == "closes_at"


def test_the_module_is_pure() -> None:
    assert not {"sqlite3", "aiohttp", "aiosqlite"} & set(vars(lottery_draw))


def test_a_file_stating_a_huge_prize_count_is_checked_at_once() -> None:
    """Prizes are handed out lazily, so a count far above the tickets costs nothing."""
    assert differences(_file(["lt_a", "lt_b", "lt_c"], SEED, [10**12])) == []
