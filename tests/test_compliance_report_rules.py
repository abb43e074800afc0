"""The 基準日 report's pure rules with hypothesis: the figures of every class add up whatever the
journal holds, value past its expiry holds nothing at an instant (opening or closing), exempt
value never counts toward the act, and the warnings start and stop on the
right days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from node.compliance.model import Acceptance, VoucherClass
from node.compliance.reference_date import (
    THRESHOLD_YEN,
    ClassFigures,
    ReferenceDateReport,
    VoucherFlow,
    VoucherTerms,
    build_report,
    reference_period,
)
from node.compliance.report_warnings import report_warnings
from node.errors import KippuError
from node.ledger.model import EntryKind
from tests.compliance_books import NO_PARTNERS, ZONE, tokyo

PERIOD = reference_period(date(2027, 3, 31), ZONE)
VOUCHER_KINDS = [
    EntryKind.ISSUE,
    EntryKind.SALE_CANCEL,
    EntryKind.REDEEM,
    EntryKind.VOID_REDEMPTION,
    EntryKind.CLAIM,
    EntryKind.CLAIM_VOID,
    EntryKind.REFUND,
    EntryKind.EXPIRE,
    EntryKind.GIFT,
    EntryKind.GIFT_RETURN,
]
terms = st.builds(
    VoucherTerms,
    voucher_id=st.sampled_from(["v1", "v2", "v3", "v4"]),
    created_at=st.just(tokyo("2026-06-01 10:00")),
    expires_at=st.sampled_from(
        [
            None,
            tokyo("2026-07-01 00:00"),  # before the period: expired at its start
            tokyo("2026-12-01 00:00"),  # in it: expired at its instant
            tokyo("2027-04-01 00:00"),  # at the instant itself: expired then too
            tokyo("2027-06-01 00:00"),
        ]
    ),
    gifted_from=st.sampled_from([None, "v1", "v2"]),
)
flows = st.builds(
    VoucherFlow,
    voucher_id=st.sampled_from(["v1", "v2", "v3", "v4"]),
    kind=st.sampled_from(VOUCHER_KINDS),
    before_yen=st.integers(-50_000, 50_000),
    during_yen=st.integers(-50_000, 50_000),
)


@given(
    st.lists(terms, min_size=4, max_size=4, unique_by=lambda t: t.voucher_id).filter(
        lambda ts: {t.voucher_id for t in ts} == {"v1", "v2", "v3", "v4"}
    ),
    st.lists(flows, max_size=30),
    st.booleans(),
)
def test_every_class_adds_up_and_exempt_value_stays_outside(
    loaded: list[VoucherTerms], moves: list[VoucherFlow], unrelated_partner: bool
) -> None:
    acceptance = Acceptance(frozenset({"P"}) if unrelated_partner else frozenset(), frozenset())
    report = build_report("x", PERIOD, loaded, moves, acceptance, ZONE, PERIOD.ends_at)
    for figures in report.classes:
        assert figures.closing_yen == (
            figures.opening_yen + figures.issued_yen - figures.collected_yen + figures.moved_yen
        )
    live = {t.voucher_id for t in loaded if t.expires_at is None or t.expires_at > PERIOD.ends_at}
    assert sum(c.closing_yen for c in report.classes) == sum(
        f.before_yen + f.during_yen for f in moves if f.voucher_id in live
    )
    open_then = {
        t.voucher_id for t in loaded if t.expires_at is None or t.expires_at > PERIOD.starts_at
    }
    assert sum(c.opening_yen for c in report.classes) == sum(
        f.before_yen for f in moves if f.voucher_id in open_then
    )
    assert report.unused_yen == sum(
        c.closing_yen for c in report.classes if c.voucher_class != VoucherClass.EXEMPT
    )
    idle = VoucherClass.OWN if unrelated_partner else VoucherClass.THIRD_PARTY
    assert report.of(idle) == ClassFigures(idle)  # one class of acceptance at a time


def test_a_flow_of_an_unknown_voucher_or_kind_is_a_bug_not_a_guess() -> None:
    known = [VoucherTerms("v1", tokyo("2026-06-01 10:00"), None, None)]
    stray = VoucherFlow("v9", EntryKind.ISSUE, 0, 1)
    with pytest.raises(KippuError):
        build_report("x", PERIOD, known, [stray], NO_PARTNERS, ZONE, PERIOD.ends_at)
    unplaced = VoucherFlow("v1", EntryKind.SETTLEMENT, 0, 1)
    with pytest.raises(KippuError):
        build_report("x", PERIOD, known, [unplaced], NO_PARTNERS, ZONE, PERIOD.ends_at)


def _report(day: date, unused: int, opening: int = 0) -> ReferenceDateReport:
    period = reference_period(day, ZONE)
    own = ClassFigures(VoucherClass.OWN, opening_yen=opening, closing_yen=unused)
    classes = (own, ClassFigures(VoucherClass.THIRD_PARTY), ClassFigures(VoucherClass.EXEMPT))
    return ReferenceDateReport("x", period, NO_PARTNERS, classes, datetime.now(UTC))


def _kinds(latest_unused: int, coming_unused: int, today: date) -> list[str]:
    latest = _report(date(2026, 9, 30), latest_unused)
    coming = _report(date(2027, 3, 31), coming_unused, opening=latest_unused)
    return [w.kind for w in report_warnings(latest, coming, today)]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2027, 2, 28), []),  # 31 days before
        (date(2027, 3, 1), ["due_soon"]),  # 30 days before
        (date(2027, 3, 31), ["due_soon"]),  # the day itself
    ],
)
def test_the_reminder_starts_30_days_before(today: date, expected: list[str]) -> None:
    assert _kinds(0, 0, today) == expected


def test_near_and_above_the_threshold() -> None:
    quiet = date(2027, 1, 10)
    assert _kinds(0, THRESHOLD_YEN * 80 // 100 - 1, quiet) == []
    assert _kinds(0, THRESHOLD_YEN * 80 // 100, quiet) == ["near_threshold"]
    assert _kinds(0, THRESHOLD_YEN, quiet) == ["near_threshold"]
    assert _kinds(0, THRESHOLD_YEN + 1, quiet) == ["over_threshold_so_far"]


def test_a_passed_reference_date_warns_until_its_deadline() -> None:
    above = THRESHOLD_YEN + 2
    on_deadline = date(2026, 11, 30)
    assert _kinds(above, 0, on_deadline) == ["filing_open", "over_threshold"]
    assert _kinds(above, 0, on_deadline + timedelta(days=1)) == []
