"""The pure points rules (node/points/core.py) and numbers (node/points/numbers.py): what a
purchase earns, when its lot expires in Tokyo, which lots a debit takes from, and the member and
card numbers a person keys in or a scanner reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from node.errors import InsufficientPoints, InvalidPoints, InvalidRankTable, KippuError
from node.points import numbers
from node.points.core import (
    DEFAULT_PROGRAM,
    EarnTerms,
    campaign_pct,
    earn_terms,
    entry,
    in_force,
    live_lots,
    lot_expiry,
    points_for,
    require_points,
    require_signed_points,
    require_txn,
    require_whole,
    take_from,
    whole_in,
)
from node.points.model import (
    MAX_POINTS,
    Campaign,
    EntryKind,
    ExpiryKind,
    Lot,
    Program,
    Rounding,
    StoreRate,
)
from node.points.numbers import (
    card_number_from,
    ean13_check_digit,
    is_card_number,
    is_member_number,
    member_number_from,
)

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 10:00 in Tokyo


def jst(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TOKYO)


def program(**changes: object) -> Program:
    return replace(DEFAULT_PROGRAM, **changes)  # type: ignore[arg-type]


def terms(rounding: Rounding = Rounding.FLOOR, campaign: int = 100, rank: int = 100) -> EarnTerms:
    return EarnTerms(1, 100, rounding, campaign, rank)


def campaign(pct: int, store_id: str | None, **changes: object) -> Campaign:
    made = Campaign(
        f"cp_{pct}_{store_id}",
        "セール",
        store_id,
        pct,
        NOW - timedelta(days=1),
        NOW + timedelta(days=1),
        NOW - timedelta(days=2),
        "hq",
        None,
    )
    return replace(made, **changes)  # type: ignore[arg-type]


# -- the earn rule -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("purchase_yen", "rounding", "points"),
    [
        (199, Rounding.FLOOR, 1),
        (100, Rounding.FLOOR, 1),
        (99, Rounding.FLOOR, 0),
        (149, Rounding.ROUND, 1),
        (150, Rounding.ROUND, 2),  # 四捨五入: a half goes up
        (250, Rounding.ROUND, 3),  # half up, never to even
        (101, Rounding.CEIL, 2),
        (100, Rounding.CEIL, 1),
        (0, Rounding.CEIL, 0),
    ],
)
def test_a_purchase_earns_its_points_rounded_by_the_programs_rule(
    purchase_yen: int, rounding: Rounding, points: int
) -> None:
    assert points_for(purchase_yen, terms(rounding)) == points


def test_the_rounding_comes_once_after_every_multiplier() -> None:
    # ¥150 at 1 per ¥100 (1.5), double points (3.0), a rank of 150 % (4.5): rounded once.
    # Rounding each step would give floor: 1 -> 2 -> 3, which the member would rightly dispute.
    assert points_for(150, terms(Rounding.FLOOR, 200, 150)) == 4
    assert points_for(150, terms(Rounding.ROUND, 200, 150)) == 5
    assert points_for(150, terms(Rounding.CEIL, 200, 150)) == 5


def test_a_purchase_never_earns_more_than_the_most_points_one_operation_may_move() -> None:
    assert points_for(10**12, EarnTerms(1000, 1, Rounding.FLOOR, 2000, 1000)) == MAX_POINTS


def test_a_stores_own_rate_replaces_the_programs_but_keeps_its_rounding() -> None:
    base = program(rounding=Rounding.CEIL)
    rate = StoreRate("st_a", NOW - timedelta(days=1), 5, 100, NOW, "hq")
    made = earn_terms(base, rate, [], 100, "st_a", NOW)
    assert (made.earn_points, made.earn_per_yen, made.rounding) == (5, 100, Rounding.CEIL)
    assert points_for(1001, made) == 51  # 50.05 rounded up
    assert points_for(1001, earn_terms(base, None, [], 100, "st_a", NOW)) == 11


def test_the_rate_in_force_is_the_latest_not_after_the_moment() -> None:
    old = StoreRate("st_a", NOW - timedelta(days=10), 2, 100, NOW, "hq")
    new = StoreRate("st_a", NOW - timedelta(hours=1), 3, 100, NOW, "hq")
    later = StoreRate("st_a", NOW + timedelta(hours=1), 4, 100, NOW, "hq")
    assert in_force([later, new, old], NOW) == new
    assert in_force([later, old], NOW) == old
    assert in_force([later], NOW) is None
    assert in_force([new], new.effective_from) == new  # in force from its very first second


def test_only_the_single_highest_campaign_that_applies_counts() -> None:
    running = [
        campaign(200, "st_a"),
        campaign(300, None),  # every store
        campaign(500, "st_b"),  # another store
        campaign(1000, "st_a", cancelled_at=NOW - timedelta(hours=1)),
        campaign(900, "st_a", starts_at=NOW + timedelta(seconds=1)),  # not yet
        campaign(800, "st_a", ends_at=NOW),  # ended at this very second
    ]
    assert campaign_pct(running, "st_a", NOW) == 300
    assert campaign_pct(running, "st_b", NOW) == 500
    assert campaign_pct(running, None, NOW) == 300  # head office's own sales: all-store only
    assert campaign_pct(running[2:], "st_a", NOW) == 100
    made = earn_terms(DEFAULT_PROGRAM, None, running, 120, "st_a", NOW)
    assert (made.campaign_pct, made.rank_pct) == (300, 120)
    assert points_for(1000, made) == 36  # 10 x 3 x 1.2, not stacked with the 200 %


def test_the_rank_multiplier_applies_to_every_purchase() -> None:
    assert points_for(1000, terms(rank=150)) == 15
    assert points_for(1000, terms(rank=100)) == 10


@given(
    yen=st.integers(0, 10**8),
    per=st.integers(1, 100_000),
    earn=st.integers(0, 1000),
    pct=st.integers(100, 2000),
    rank=st.integers(100, 1000),
)
def test_floor_round_and_ceil_are_ordered_and_one_apart(
    yen: int, per: int, earn: int, pct: int, rank: int
) -> None:
    floor, rounded, ceil = (
        points_for(yen, EarnTerms(earn, per, r, pct, rank))
        for r in (Rounding.FLOOR, Rounding.ROUND, Rounding.CEIL)
    )
    assert 0 <= floor <= rounded <= ceil <= floor + 1


# -- when a lot expires (Asia/Tokyo) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "days", "earned_at", "expires_at"),
    [
        # Through the local day 365 days on: 2027-11-24 is the last day it counts.
        (ExpiryKind.DAYS, 365, jst(2026, 11, 24, 10), jst(2027, 11, 25)),
        # 01:00 in Tokyo is still the previous day in UTC: the local date counts.
        (ExpiryKind.DAYS, 1, jst(2026, 11, 25, 1), jst(2026, 11, 27)),
        (ExpiryKind.DAYS, 30, jst(2026, 12, 31, 23, 59), jst(2027, 1, 31)),
        (ExpiryKind.END_OF_MONTH, None, jst(2026, 2, 10, 12), jst(2026, 3, 1)),
        (ExpiryKind.END_OF_MONTH, None, jst(2028, 2, 15, 12), jst(2028, 3, 1)),  # 29 Feb
        (ExpiryKind.END_OF_MONTH, None, jst(2026, 4, 30, 23, 59), jst(2026, 5, 1)),
        (ExpiryKind.END_OF_MONTH, None, jst(2026, 12, 31, 9), jst(2027, 1, 1)),
        # 00:30 on 1 February in Tokyo is 31 January in UTC: February's end, not January's.
        (ExpiryKind.END_OF_MONTH, None, jst(2026, 2, 1, 0, 30), jst(2026, 3, 1)),
        (ExpiryKind.END_OF_YEAR, None, jst(2026, 1, 1, 0, 0), jst(2027, 1, 1)),
        (ExpiryKind.END_OF_YEAR, None, jst(2026, 12, 31, 23, 59), jst(2027, 1, 1)),
        # New Year's first minute in Tokyo (still 31 December in UTC): the new year's end.
        (ExpiryKind.END_OF_YEAR, None, jst(2027, 1, 1, 0, 1), jst(2028, 1, 1)),
    ],
)
def test_a_lot_counts_through_the_last_local_day_of_its_policy(
    kind: ExpiryKind, days: int | None, earned_at: datetime, expires_at: datetime
) -> None:
    terms_now = program(expiry_kind=kind, expiry_days=days)
    got = lot_expiry(terms_now, earned_at.astimezone(UTC), TOKYO)
    assert got == expires_at
    assert got is not None and got > earned_at


def test_a_lot_under_no_expiry_never_expires() -> None:
    none = program(expiry_kind=ExpiryKind.NONE, expiry_days=None)
    assert lot_expiry(none, NOW, TOKYO) is None


def test_a_days_policy_without_its_days_is_a_bug_said_loudly() -> None:
    with pytest.raises(KippuError):
        lot_expiry(program(expiry_kind=ExpiryKind.DAYS, expiry_days=None), NOW, TOKYO)


# -- which lots a debit takes from -------------------------------------------------------------


def lot(lot_id: str, remaining: int, expires_in_days: float | None, **changes: object) -> Lot:
    expires = None if expires_in_days is None else NOW + timedelta(days=expires_in_days)
    made = Lot(
        lot_id, "cu_1", f"pe_{lot_id}", NOW - timedelta(days=30), expires, 100, remaining, None
    )
    return replace(made, **changes)  # type: ignore[arg-type]


LOTS = [
    lot("a_later", 40, 10),
    lot("b_sooner", 30, 5),  # a short-lived bonus: spent first so it does not lapse
    lot("c_forever", 50, None),
    lot("d_lapsed", 70, 0),  # past its expiry this very second, not yet swept
    lot("e_empty", 0, 1),
    lot("f_older_forever", 20, None, earned_at=NOW - timedelta(days=60)),
]


def test_a_debit_takes_the_soonest_expiring_lot_first_and_lots_without_expiry_last() -> None:
    assert [x.lot_id for x in live_lots(LOTS, NOW)] == [
        "b_sooner",
        "a_later",
        "f_older_forever",
        "c_forever",
    ]
    assert [(m.lot_id, m.points) for m in take_from(LOTS, 1, NOW)] == [("b_sooner", -1)]
    assert [(m.lot_id, m.points) for m in take_from(LOTS, 75, NOW)] == [
        ("b_sooner", -30),
        ("a_later", -40),
        ("f_older_forever", -5),
    ]


def test_an_expired_lot_is_never_spendable_and_the_refusal_names_the_balance() -> None:
    assert sum(m.points for m in take_from(LOTS, 140, NOW)) == -140
    with pytest.raises(InsufficientPoints) as refused:
        take_from(LOTS, 141, NOW)
    assert refused.value.details["balance"] == 140
    # A second before its expiry the lapsed lot still counted, and went first.
    early = take_from(LOTS, 1, NOW - timedelta(seconds=1))
    assert [(m.lot_id, m.points) for m in early] == [("d_lapsed", -1)]


lot_sets = st.lists(
    st.tuples(st.integers(0, 50), st.one_of(st.none(), st.integers(-3, 30))),
    max_size=8,
)


@given(lots=lot_sets, wanted=st.integers(1, 300))
def test_a_debit_takes_exactly_its_points_in_spending_order(
    lots: list[tuple[int, int | None]], wanted: int
) -> None:
    made = [lot(f"l{i}", r, d) for i, (r, d) in enumerate(lots)]
    live = live_lots(made, NOW)
    available = sum(x.remaining for x in live)
    if wanted > available:
        with pytest.raises(InsufficientPoints):
            take_from(made, wanted, NOW)
        return
    moves = take_from(made, wanted, NOW)
    assert sum(m.points for m in moves) == -wanted
    by_id = {x.lot_id: x for x in made}
    assert [m.lot_id for m in moves] == [x.lot_id for x in live[: len(moves)]]
    assert all(0 < -m.points <= by_id[m.lot_id].remaining for m in moves)
    # Every lot but the last is emptied: nothing later is touched while an earlier one has some.
    assert all(-m.points == by_id[m.lot_id].remaining for m in moves[:-1])


# -- entries and inputs ------------------------------------------------------------------------


def test_an_entry_is_balanced_or_refused() -> None:
    made = entry("pe_1", EntryKind.EARN, "cu_1", NOW, "hq", None, ("a", 5), ("b", -5), ("c", 0))
    assert [p.account for p in made.postings] == ["a", "b"]  # the zero line is left out
    with pytest.raises(KippuError):
        entry("pe_2", EntryKind.EARN, "cu_1", NOW, "hq", None, ("a", 5), ("b", -4))
    with pytest.raises(KippuError):
        entry("pe_3", EntryKind.ADJUST, "cu_1", NOW, "hq", None, ("a", 0), ("b", 0))


@pytest.mark.parametrize("bad", [0, -1, MAX_POINTS + 1, True, 1.5, "10", None])
def test_points_must_be_a_whole_positive_number(bad: object) -> None:
    with pytest.raises(InvalidPoints):
        require_points(bad)


@pytest.mark.parametrize("bad", [0, MAX_POINTS + 1, -MAX_POINTS - 1, False, 2.0])
def test_an_adjustment_is_a_whole_number_not_zero(bad: object) -> None:
    with pytest.raises(InvalidPoints):
        require_signed_points(bad)
    assert require_signed_points(-5) == -5


@pytest.mark.parametrize("bad", ["", "x" * 65, "pos 1", "tx\n", "取引1", 12])
def test_a_transaction_id_is_short_plain_text(bad: object) -> None:
    with pytest.raises(InvalidPoints):
        require_txn(bad)
    assert require_txn("pos-01:2026/11/24.0001_a") == "pos-01:2026/11/24.0001_a"


# -- member and card numbers -------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "4901234567894",  # GS1 Japan's sample JAN code
        "4569951116179",  # the JAN code example of the Japanese Wikipedia
        "4006381333931",  # the EAN-13 example of the English Wikipedia
        "9780306406157",  # ISBN 978-0-306-40615-7
    ],
)
def test_the_card_number_check_digit_is_ean_13s(code: str) -> None:
    assert ean13_check_digit(code[:12]) == code[-1]
    assert not is_card_number(code), "a product's JAN code is never a member's card"


@given(seed=st.binary(min_size=8, max_size=8))
def test_a_card_number_is_a_jan_code_for_in_store_use_that_catches_one_wrong_digit(
    seed: bytes,
) -> None:
    card = card_number_from(seed)
    assert len(card) == 13 and card.startswith("29") and is_card_number(card)
    for index in range(13):
        for digit in "0123456789":
            if digit != card[index]:
                assert not is_card_number(card[:index] + digit + card[index + 1 :])


@given(seed=st.binary(min_size=8, max_size=8))
def test_a_member_number_is_ten_digits_whose_luhn_check_catches_one_wrong_digit(
    seed: bytes,
) -> None:
    member_no = member_number_from(seed)
    assert len(member_no) == 10 and is_member_number(member_no)
    for index in range(10):
        for digit in "0123456789":
            if digit != member_no[index]:
                assert not is_member_number(member_no[:index] + digit + member_no[index + 1 :])


def test_the_member_number_check_digit_is_luhns() -> None:
    assert is_member_number("1234567897")  # 123456789 -> 7
    assert is_member_number("7992739875")  # Luhn's textbook body 799273987 -> 5
    assert not is_member_number("1234567879"), "two digits swapped"
    for bad in ("123456789", "12345678970", "123456789７", "12345 6789", "abcdefghij"):
        assert not is_member_number(bad)


def test_numbers_print_for_people() -> None:
    assert numbers.spaced_member_number("1234567897") == "1234 5678 97"


def test_one_whole_number_check_raises_the_callers_error() -> None:
    """node/points/core.py whole_in/require_whole: the check every whole-number field shares
    (program, exchange, lottery, rank and purchase-line fields)."""
    assert [whole_in(v, 1, 3) for v in (1, 3, 0, 4, True, 2.0, "2")] == [1, 3] + [None] * 5
    with pytest.raises(InvalidPoints, match="from 1 to 3") as refused:
        require_whole(True, "count", 1, 3)
    assert refused.value.details["field"] == "count"
    with pytest.raises(InvalidRankTable):
        require_whole(9, "multiplier_pct", 100, 1000, InvalidRankTable)
