"""The customer analytics' rules (node/crm/): RFM quintiles and classes, the 80:20 share, LTV
by month of acquisition and cohort retention, against a small data set computed by hand (the
working is in the comments), and the one definition of spend as of a day."""

from __future__ import annotations

from bisect import bisect_left
from datetime import UTC, date, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from node.crm.cohorts import cohorts
from node.crm.facts import CustomerSpend, Payment, Period, merge, summarise
from node.crm.ltv import ltv_report
from node.crm.pareto import pareto
from node.crm.rfm import class_counts, quintile_cuts, recencies, rfm_table, scored
from node.crm.rfm_classes import RfmClass, classify
from node.ledger.rows import from_epoch, to_epoch

ZONE = ZoneInfo("Asia/Tokyo")
PERIOD = Period(date(2026, 6, 30), 365, ZONE)  # the window: 2025-07-01 .. 2026-06-30


def by_customer(spend: CustomerSpend) -> str:
    return spend.customer_id


def noon(day: str) -> datetime:
    return datetime.fromisoformat(f"{day} 12:00").replace(tzinfo=ZONE)


def spend(customer: str, first: str, last: str, total: int, count: int, yen: int) -> CustomerSpend:
    return CustomerSpend(customer, to_epoch(noon(first)), to_epoch(noon(last)), total, count, yen)


# customer, first payment, last payment, total spend, payments and yen in the window
TEN = [
    spend("c01", "2025-01-10", "2026-06-30", 150_000, 12, 120_000),
    spend("c02", "2025-03-05", "2026-06-25", 90_000, 8, 80_000),
    spend("c03", "2025-08-01", "2026-06-10", 50_000, 6, 50_000),
    spend("c04", "2026-05-31", "2026-05-31", 3_000, 1, 3_000),
    spend("c05", "2025-09-15", "2026-05-01", 20_000, 4, 20_000),
    spend("c06", "2025-12-01", "2026-03-31", 8_000, 2, 8_000),
    spend("c07", "2025-07-20", "2026-01-01", 30_000, 5, 30_000),
    spend("c08", "2024-11-11", "2025-10-01", 15_000, 3, 9_000),
    spend("c09", "2025-07-01", "2025-07-01", 1_000, 1, 1_000),
    spend("c10", "2024-06-01", "2025-03-01", 12_000, 0, 0),
]


def test_rfm_scores_and_classes_of_ten_customers_by_hand() -> None:
    cuts, rows = rfm_table(TEN, PERIOD)
    # recency sorted 0 5 20 30 60 91 180 272 364 486: cut(k) = x(ceil(2k)) = x2 x4 x6 x8
    assert cuts.recency_days == (5, 30, 91, 272)
    # frequency sorted 0 1 1 2 3 4 5 6 8 12; monetary 0 1000 3000 8000 9000 20000 30000 ...
    assert cuts.frequency == (1, 2, 4, 6)
    assert cuts.monetary_yen == (1_000, 8_000, 20_000, 50_000)
    found = {r.customer_id: (r.recency_days, r.r, r.f, r.m, r.rfm_class) for r in rows}
    assert found == {
        "c01": (0, 5, 5, 5, RfmClass.CHAMPIONS),
        "c02": (5, 5, 5, 5, RfmClass.CHAMPIONS),  # 5 is not above the cut 5
        "c03": (20, 4, 4, 4, RfmClass.CHAMPIONS),
        "c04": (30, 4, 1, 2, RfmClass.NEW),
        "c05": (60, 3, 3, 3, RfmClass.LOYAL),
        "c06": (91, 3, 2, 2, RfmClass.NEEDS_ATTENTION),
        "c07": (180, 2, 4, 4, RfmClass.AT_RISK),
        "c08": (272, 2, 3, 3, RfmClass.AT_RISK),
        "c09": (364, 1, 1, 1, RfmClass.DORMANT),
        "c10": (486, 1, 1, 1, RfmClass.DORMANT),  # paid before the window: F 0, M 0
    }
    counts = class_counts(rows)
    assert counts[RfmClass.CHAMPIONS] == 3 and counts[RfmClass.PROMISING] == 0
    assert sum(counts.values()) == 10


def test_quintile_cuts_take_the_nearest_rank_and_ties_share_a_score() -> None:
    assert quintile_cuts([]) == ()
    assert quintile_cuts([7]) == (7, 7, 7, 7)
    assert quintile_cuts([1, 2, 3, 4, 5]) == (1, 2, 3, 4)
    # six customers with one payment each: every score the same
    _, rows = rfm_table(
        [spend(f"c{i}", "2026-06-01", "2026-06-01", 500, 1, 500) for i in range(6)], PERIOD
    )
    assert {(r.r, r.f, r.m) for r in rows} == {(5, 1, 1)}


def test_the_80_20_share_and_curve_by_hand() -> None:
    found = pareto(TEN)
    # nine paid in the window (c10 did not): 120000 80000 50000 30000 20000 9000 8000 3000 1000
    assert (found.customers, found.total_yen) == (9, 321_000)
    assert (found.top20_customers, found.top20_yen) == (2, 200_000)  # ceil(0.2 * 9) = 2
    assert found.top20_share == Fraction(200, 321)
    assert found.curve[0] == 0 and found.curve[100] == 1
    assert found.curve[50] == Fraction(300_000, 321_000)  # ceil(4.5) = 5 customers
    assert list(found.curve) == sorted(found.curve)
    assert pareto([]).top20_share is None and pareto([]).curve == ()


def test_ltv_by_month_of_acquisition_by_hand() -> None:
    report = ltv_report(TEN, PERIOD, Fraction(30))
    assert (report.customers, report.spend_yen) == (10, 379_000)
    assert (report.gross_profit_yen, report.average_ltv_yen) == (113_700, 11_370)
    months = {
        m.month: (m.customers, m.spend_yen, m.gross_profit_yen, m.average_ltv_yen)
        for m in report.months
    }
    assert months == {
        "2024-06": (1, 12_000, 3_600, 3_600),
        "2024-11": (1, 15_000, 4_500, 4_500),
        "2025-01": (1, 150_000, 45_000, 45_000),
        "2025-03": (1, 90_000, 27_000, 27_000),
        "2025-07": (2, 31_000, 9_300, 4_650),  # c07 and c09
        "2025-08": (1, 50_000, 15_000, 15_000),
        "2025-09": (1, 20_000, 6_000, 6_000),
        "2025-12": (1, 8_000, 2_400, 2_400),
        "2026-05": (1, 3_000, 900, 900),
    }
    per = {c.customer_id: c.ltv_yen for c in report.by_customer}
    assert per["c01"] == 45_000 and per["c09"] == 300


def test_ltv_rounds_half_up_to_whole_yen() -> None:
    report = ltv_report(TEN, PERIOD, Fraction("33.33"))
    per = {c.customer_id: c.ltv_yen for c in report.by_customer}
    assert per["c09"] == 333  # 333.3
    assert per["c04"] == 1_000  # 999.9
    july = next(m for m in report.months if m.month == "2025-07")
    assert (july.gross_profit_yen, july.average_ltv_yen) == (10_332, 5_166)  # 10332.3
    assert ltv_report([], PERIOD, Fraction(30)).average_ltv_yen is None


def test_cohort_retention_by_hand() -> None:
    paid = [
        ("a", "2026-04"), ("a", "2026-05"), ("a", "2026-06"),
        ("b", "2026-04"), ("b", "2026-06"),
        ("c", "2026-05"),
        ("d", "2025-01"), ("d", "2026-06"),  # first paid 18 months back: no cohort shown
    ]  # fmt: skip
    found = {c.month: (c.customers, c.retained) for c in cohorts(paid, "2026-06")}
    assert found == {"2026-04": (2, (2, 1, 2)), "2026-05": (1, (1, 0))}
    april = next(c for c in cohorts(paid, "2026-06") if c.month == "2026-04")
    assert april.shares == (1, Fraction(1, 2), 1)


payments = st.lists(
    st.builds(
        Payment,
        customer_id=st.sampled_from(["a", "b", "c", "d"]),
        paid_at=st.datetimes(
            min_value=datetime(2025, 1, 1),
            max_value=datetime(2027, 12, 31),
            timezones=st.just(ZONE),
        ),
        amount_yen=st.integers(1, 100_000),
        store_id=st.none(),
    ),
    max_size=40,
)


@given(earlier=payments, later=payments)
def test_a_days_figures_do_not_change_when_later_payments_are_added(
    earlier: list[Payment], later: list[Payment]
) -> None:
    after = [p for p in later if p.paid_at >= PERIOD.end]
    before = summarise(earlier, PERIOD)
    with_later = summarise(earlier + after, PERIOD)
    assert before == with_later
    assert rfm_table(before, PERIOD) == rfm_table(with_later, PERIOD)
    assert pareto(before) == pareto(with_later)


@given(first=payments, second=payments)
def test_merging_two_sources_is_summarising_them_together(
    first: list[Payment], second: list[Payment]
) -> None:
    merged = merge([summarise(first, PERIOD), summarise(second, PERIOD)])
    assert sorted(merged, key=by_customer) == summarise(first + second, PERIOD)


@pytest.mark.parametrize(("r", "f", "m", "expected"), [
    (5, 4, 3, RfmClass.LOYAL), (4, 2, 5, RfmClass.PROMISING), (3, 1, 5, RfmClass.NEEDS_ATTENTION),
])  # fmt: skip
def test_classes_beyond_the_data_set(r: int, f: int, m: int, expected: RfmClass) -> None:
    from node.crm.rfm_classes import classify

    assert classify(r, f, m) == expected


def seconds_before_end(as_of: date, zone: str, *moments: datetime) -> list[int]:
    end = to_epoch(Period(as_of, 365, ZoneInfo(zone)).end)
    return [end - 1 - to_epoch(moment) for moment in moments]


# Santiago's clocks: back from 24:00 (-03) to 23:00 (-04) on 2024-04-06, the hour lived twice
# before the 7th's midnight; forward from 00:00 (-04) to 01:00 (-03) on 2024-09-08, a day
# without a midnight on the clock.
BACK = [
    datetime(2024, 4, 7, hour, minute, tzinfo=UTC) for hour, minute in ((2, 59), (3, 30), (4, 0))
]
FORWARD = [datetime(2024, 9, 8, hour, minute, tzinfo=UTC) for hour, minute in ((3, 59), (4, 0))]


@given(
    zone=st.sampled_from(
        ["Asia/Tokyo", "Europe/London", "America/Santiago", "Australia/Lord_Howe", "Asia/Kathmandu"]
    ),
    as_of=st.dates(date(2021, 1, 1), date(2030, 12, 31)),
    before=st.lists(st.integers(0, 900 * 86_400 - 1), min_size=1, max_size=30),
)
@example(
    "America/Santiago",
    date(2024, 4, 10),
    seconds_before_end(date(2024, 4, 10), "America/Santiago", *BACK),
)
@example(
    "America/Santiago",
    date(2024, 9, 9),
    seconds_before_end(date(2024, 9, 9), "America/Santiago", *FORWARD),
)
def test_recency_counts_local_days_since_the_last_payment(
    zone: str, as_of: date, before: list[int]
) -> None:
    period = Period(as_of, 365, ZoneInfo(zone))
    end = to_epoch(period.end)
    spends = [
        CustomerSpend(f"c{i}", end - 1 - s, end - 1 - s, 1, 1, 1) for i, s in enumerate(before)
    ]
    expected = [(as_of - period.local_day(from_epoch(s.last_paid))).days for s in spends]
    assert recencies(spends, period).tolist() == expected


def reference_rfm(spends: list[CustomerSpend], period: Period) -> dict[str, tuple[int, ...]]:
    """The RFM rules as the module docstring states them, one customer at a time in plain
    Python: (recency, r, f, m) per customer, with the cuts' nearest rank and `bisect_left`."""

    def cuts(values: list[int]) -> list[int]:
        ordered = sorted(values)  # cut(k) = x(ceil(k * n / 5))
        return [ordered[-(-k * len(ordered) // 5) - 1] for k in range(1, 5)] if ordered else []

    days = [(period.as_of - period.local_day(from_epoch(s.last_paid))).days for s in spends]
    r_cuts, f_cuts = cuts(days), cuts([s.window_count for s in spends])
    m_cuts = cuts([s.window_yen for s in spends])
    return {
        s.customer_id: (
            d,
            5 - bisect_left(r_cuts, d),
            1 + bisect_left(f_cuts, s.window_count),
            1 + bisect_left(m_cuts, s.window_yen),
        )
        for s, d in zip(spends, days, strict=True)
    }


@given(
    customers=st.lists(
        st.tuples(st.integers(0, 40 * 86_400), st.integers(0, 6), st.sampled_from([0, 500, 1_000])),
        max_size=60,
    )
)
def test_the_rfm_table_is_the_rules_applied_one_customer_at_a_time(
    customers: list[tuple[int, int, int]],
) -> None:
    """Many ties (few distinct values), no customers, one: the scored table, its counts and each
    class's members are what the rules give customer by customer."""
    end = to_epoch(PERIOD.end)
    spends = [
        CustomerSpend(f"c{i:03d}", end - 1 - before, end - 1 - before, yen, count, yen)
        for i, (before, count, yen) in enumerate(customers)
    ]
    expected = reference_rfm(spends, PERIOD)
    table = scored(spends, PERIOD)
    rows = table.rows()
    assert [r.customer_id for r in rows] == sorted(expected)
    assert {r.customer_id: (r.recency_days, r.r, r.f, r.m) for r in rows} == expected
    assert all(r.rfm_class == classify(r.r, r.f, r.m) for r in rows)
    assert table.counts() == class_counts(rows)
    for wanted in RfmClass:
        assert set(table.in_class(wanted)) == {r.customer_id for r in rows if r.rfm_class == wanted}
    assert table.rows(3, 4) == rows[3:7]
