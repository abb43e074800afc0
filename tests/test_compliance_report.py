"""The 基準日 report of a synthetic year matches figures computed by hand; only 31 March and
30 September are 基準日; the threshold, the deposit and the deadline follow the act."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from node.compliance.model import Acceptance, VoucherClass
from node.compliance.reference_date import (
    THRESHOLD_YEN,
    ClassFigures,
    ReferenceDateReport,
    latest_ended,
    next_reference_date,
    parse_reference_date,
    reference_period,
)
from node.compliance.report_output import report_csv, report_json
from node.errors import NotReferenceDate
from tests.compliance_books import NO_PARTNERS, PARTNER, ZONE, Books, tokyo


@pytest.fixture
def books() -> Iterator[Books]:
    directory = Path(tempfile.mkdtemp(prefix="kippu-kijunbi-"))
    made = Books(directory)
    try:
        yield made
    finally:
        made.close()
        shutil.rmtree(directory, ignore_errors=True)


def synthetic_year(books: Books) -> dict[str, str]:
    """The year of `test_a_synthetic_year_matches_the_figures_computed_by_hand` (times in Tokyo)."""
    a = books.issue(30_000, tokyo("2026-05-10 10:00"))
    f = books.issue(6_000, tokyo("2026-04-15 11:00"), valid_days=300)  # through 2027-02-09
    b = books.issue(11_000, tokyo("2026-06-01 12:00"), price=10_000)
    books.redeem(a, 8_000, tokyo("2026-07-15 13:00"))
    books.partner_claim(b, 3_000, tokyo("2026-08-20 14:00"))
    g = books.gift(a, 5_000, tokyo("2026-09-10 15:00"))  # valid through 2027-03-10
    e = books.issue(4_000, tokyo("2026-09-20 16:00"), valid_days=30)  # through 2026-10-20
    books.redeem(b, 1_000, tokyo("2026-09-30 23:30"))
    books.redeem(a, 2_000, tokyo("2026-10-01 00:30"))
    books.redeem(e, 1_000, tokyo("2026-10-05 10:00"))
    assert books.sweep(tokyo("2026-10-21 09:00")) == 3_000
    books.redeem(f, 1_500, tokyo("2026-12-01 10:00"))
    h = books.issue(10_000, tokyo("2027-01-10 10:00"), price=9_500)
    books.redeem(g, 2_000, tokyo("2027-01-15 10:00"))
    books.partner_claim(a, 4_000, tokyo("2027-02-01 10:00"))
    assert books.sweep(tokyo("2027-02-10 09:00")) == 4_500
    voided = books.redeem(b, 2_500, tokyo("2027-03-05 10:00"))
    books.void(voided, tokyo("2027-03-05 10:05"))
    assert books.sweep(tokyo("2027-03-12 09:00")) == 3_000
    books.redeem(a, 1_000, tokyo("2027-04-01 00:10"))  # after the second 基準日
    return {"a": a, "b": b, "e": e, "f": f, "g": g, "h": h}


def test_a_synthetic_year_matches_the_figures_computed_by_hand(books: Books) -> None:
    """Vouchers (Tokyo time; no partner accepts ours but through claims we book, so 自家型):

    A ¥30,000 issued 2026-05-10, no expiry. F ¥6,000 issued 2026-04-15, valid 300 days (through
    2027-02-09: longer than six months, so 自家型). B ¥11,000 for ¥10,000 on 2026-06-01. A is
    redeemed ¥8,000 (07-15); a partner claims ¥3,000 of B (08-20); A gifts ¥5,000 as G (09-10,
    valid through 2027-03-10; counted from A's issue, more than six months: 自家型). E ¥4,000 on
    09-20 valid 30 days (through 10-20): exempt. B redeemed ¥1,000 at 23:30 on 30 September.

    基準日 2026-09-30 (period 2026-04-01 .. 09-30):
      自家型 issued 30,000 + 6,000 + 11,000 = 47,000; used here 8,000 + 1,000 = 9,000;
      by partners 3,000; the gift moves 5,000 from A to G, both 自家型: moved 0.
      closing A 17,000 + B 7,000 + F 6,000 + G 5,000 = 35,000 = 47,000 - 12,000.
      exempt: issued 4,000, closing 4,000 (outside the act).

    Then: A ¥2,000 at 00:30 on 1 October; E ¥1,000 (10-05), its ¥3,000 expires (swept 10-21);
    F ¥1,500 (12-01); H ¥10,000 for ¥9,500 (2027-01-10); G ¥2,000 (01-15); a partner claims
    ¥4,000 of A (02-01); F's ¥4,500 expires (swept 02-10); B ¥2,500 redeemed and voided the same
    day (03-05); G's ¥3,000 expires (swept 03-12); A ¥1,000 at 00:10 on 1 April (not counted).

    基準日 2027-03-31 (period 2026-10-01 .. 2027-03-31):
      自家型 opening 35,000; issued 10,000; used here 2,000 + 1,500 + 2,000 + (2,500 - 2,500)
      = 5,500; by partners 4,000; expired 4,500 + 3,000 = 7,500; collected 17,000;
      closing 35,000 + 10,000 - 17,000 = 28,000 (A 11,000 + B 7,000 + H 10,000).
      exempt: opening 4,000, used 1,000, expired 3,000, closing 0.
    Neither passes ¥10,000,000: no deposit. Deadlines 2026-11-30 and 2027-05-31.
    """
    synthetic_year(books)
    autumn = books.report("2026-09-30")
    assert autumn.of(VoucherClass.OWN) == ClassFigures(
        VoucherClass.OWN,
        opening_yen=0,
        issued_yen=47_000,
        used_here_yen=9_000,
        used_by_partners_yen=3_000,
        closing_yen=35_000,
    )
    assert autumn.of(VoucherClass.EXEMPT) == ClassFigures(
        VoucherClass.EXEMPT, issued_yen=4_000, closing_yen=4_000
    )
    assert autumn.of(VoucherClass.THIRD_PARTY) == ClassFigures(VoucherClass.THIRD_PARTY)
    assert (autumn.unused_yen, autumn.issued_yen, autumn.collected_yen) == (35_000, 47_000, 12_000)
    assert autumn.period.filing_deadline == date(2026, 11, 30)

    spring = books.report("2027-03-31")
    assert spring.of(VoucherClass.OWN) == ClassFigures(
        VoucherClass.OWN,
        opening_yen=35_000,
        issued_yen=10_000,
        used_here_yen=5_500,
        used_by_partners_yen=4_000,
        expired_yen=7_500,
        closing_yen=28_000,
    )
    assert spring.of(VoucherClass.EXEMPT) == ClassFigures(
        VoucherClass.EXEMPT, opening_yen=4_000, used_here_yen=1_000, expired_yen=3_000
    )
    assert (spring.unused_yen, spring.issued_yen, spring.collected_yen) == (28_000, 10_000, 17_000)
    assert not spring.passes_threshold and spring.deposit_required_yen == 0
    assert not spring.filing_required  # 自家型 under the threshold: nothing to file
    assert spring.period.filing_deadline == date(2027, 5, 31)


def test_an_unrelated_active_partner_makes_the_same_value_third_party(books: Books) -> None:
    synthetic_year(books)
    unrelated = Acceptance(frozenset({PARTNER}), frozenset())
    related = Acceptance(frozenset({PARTNER}), frozenset({PARTNER}))
    third = books.report("2027-03-31", unrelated)
    assert third.of(VoucherClass.THIRD_PARTY).closing_yen == 28_000
    assert third.of(VoucherClass.OWN).closing_yen == 0
    assert third.of(VoucherClass.EXEMPT).expired_yen == 3_000  # exempt whoever accepts it
    assert third.filing_required  # a registered 第三者型 issuer reports every 基準日
    assert books.report("2027-03-31", related).of(VoucherClass.OWN).closing_yen == 28_000


def test_the_report_says_the_same_in_json_and_csv(books: Books) -> None:
    synthetic_year(books)
    report = books.report("2027-03-31")
    body = report_json(report)
    assert body["unused"] == 28_000 and body["under_act"]["closing"] == 28_000
    assert body["period_start"] == "2026-09-30T15:00:00Z"  # 1 October 00:00 in Tokyo
    assert body["period_end"] == "2027-03-31T15:00:00Z"
    lines = report_csv(report).splitlines()
    assert lines[0].startswith("基準日,区分,class,前基準日未使用残高,発行額,回収額")
    assert lines[1] == "2027-03-31,自家型,own,35000,10000,17000,5500,4000,0,7500,0,28000"
    assert (
        lines[-1]
        == "2027-03-31,合計(法の対象),under_act,35000,10000,17000,5500,4000,0,7500,0,28000"
    )


@pytest.mark.parametrize(
    "text",
    ["2027-03-30", "2027-04-01", "2027-09-31", "2027-12-31", "2027-3-31", "31/03/2027", "", "x"],
)
def test_only_31_march_and_30_september_are_reference_dates(text: str) -> None:
    with pytest.raises(NotReferenceDate) as refused:
        parse_reference_date(text)
    assert refused.value.code == "compliance.not_reference_date"
    assert refused.value.http_status == 422


def test_years_out_of_range_are_refused() -> None:
    for day in (date(1999, 9, 30), date(3000, 3, 31)):
        with pytest.raises(NotReferenceDate):
            reference_period(day, ZONE)


def test_the_period_runs_from_the_end_of_the_previous_reference_date() -> None:
    period = reference_period(date(2027, 3, 31), ZONE)
    assert period.previous_date == date(2026, 9, 30)
    assert period.starts_at == tokyo("2026-10-01 00:00")
    assert period.ends_at == tokyo("2027-04-01 00:00")
    assert reference_period(date(2027, 9, 30), ZONE).previous_date == date(2027, 3, 31)


def test_latest_and_next_reference_dates() -> None:
    assert latest_ended(date(2027, 3, 31)) == date(2026, 9, 30)  # 31 March is still running
    assert next_reference_date(date(2027, 3, 31)) == date(2027, 3, 31)
    assert latest_ended(date(2027, 4, 1)) == date(2027, 3, 31)
    assert next_reference_date(date(2027, 10, 1)) == date(2028, 3, 31)


@pytest.mark.parametrize(
    ("unused", "passes", "deposit"),
    [
        (THRESHOLD_YEN, False, 0),  # 超える: exactly the 基準額 is not above it
        (THRESHOLD_YEN + 1, True, 5_000_001),  # half, rounded up to the yen
        (25_000_000, True, 12_500_000),
    ],
)
def test_the_threshold_and_the_deposit(unused: int, passes: bool, deposit: int) -> None:
    period = reference_period(date(2027, 3, 31), ZONE)
    own = ClassFigures(VoucherClass.OWN, issued_yen=unused, closing_yen=unused)
    exempt = ClassFigures(VoucherClass.EXEMPT, issued_yen=9_999_999, closing_yen=9_999_999)
    third = ClassFigures(VoucherClass.THIRD_PARTY)
    report = ReferenceDateReport("x", period, NO_PARTNERS, (own, third, exempt), period.ends_at)
    assert (report.passes_threshold, report.deposit_required_yen) == (passes, deposit)
    assert report.filing_required == passes
    assert replace(report, computed_at=period.starts_at).is_final is False


def _expiring_on_the_reference_date(books: Books, sweep_at: str) -> None:
    """¥5,000 issued 2026-03-14 valid 200 days, through 30 September (it stops at the report's
    instant, 1 October 00:00: more than six months after its issue, so 自家型); ¥1,000 used on
    09-01; the sweeper books the expiry at `sweep_at`."""
    voucher = books.issue(5_000, tokyo("2026-03-14 10:00"), valid_days=200)
    assert books.voucher(voucher).expires_at == tokyo("2026-10-01 00:00")
    books.redeem(voucher, 1_000, tokyo("2026-09-01 10:00"))
    assert books.sweep(tokyo(sweep_at)) == 4_000


def test_value_past_its_expiry_is_not_unused_whenever_the_sweeper_runs(tmp_path: Path) -> None:
    """Swept on 1 October (after the 基準日) or on 12 October: the same report as if swept at
    once. At the 基準日 the ¥4,000 left is expired (回収額), not unused; the next period starts
    from nothing and expires nothing more."""
    reports = {}
    for sweep_at in ("2026-10-01 00:00", "2026-10-12 09:00"):
        directory = tmp_path / sweep_at[:10]
        directory.mkdir()
        books = Books(directory)
        try:
            _expiring_on_the_reference_date(books, sweep_at)
            reports[sweep_at] = (books.report("2026-09-30"), books.report("2027-03-31"))
        finally:
            books.close()
    autumn, spring = reports["2026-10-12 09:00"]
    assert autumn.of(VoucherClass.OWN) == ClassFigures(
        VoucherClass.OWN, opening_yen=5_000, used_here_yen=1_000, expired_yen=4_000
    )
    assert autumn.unused_yen == 0
    assert spring.of(VoucherClass.OWN) == ClassFigures(VoucherClass.OWN)
    assert reports["2026-10-01 00:00"] == reports["2026-10-12 09:00"]


def test_value_issued_free_is_outside_the_act_through_its_gifts(books: Books) -> None:
    """A ¥3,000 voucher issued for ¥0 (無償: not for consideration, 法3条1項) gifts ¥1,000 and
    ¥500 of it is used; a ¥5,000 one is sold. Only the sold one counts: the free value, gift
    included, shows on its own line, outside the act, like exempt value."""
    free = books.issue(3_000, tokyo("2026-05-10 10:00"), price=0)
    gift = books.gift(free, 1_000, tokyo("2026-05-11 10:00"))
    books.redeem(gift, 500, tokyo("2026-05-12 10:00"))
    books.issue(5_000, tokyo("2026-05-13 10:00"))
    report = books.report("2026-09-30")
    assert report.of(VoucherClass.FREE) == ClassFigures(
        VoucherClass.FREE, issued_yen=3_000, used_here_yen=500, closing_yen=2_500
    )
    assert report.of(VoucherClass.OWN) == ClassFigures(
        VoucherClass.OWN, issued_yen=5_000, closing_yen=5_000
    )
    assert (report.unused_yen, report.issued_yen, report.collected_yen) == (5_000, 5_000, 0)
    csv_lines = report_csv(report).splitlines()
    assert "2026-09-30,無償(法の対象外),free,0,3000,500,500,0,0,0,0,2500" in csv_lines
    assert report_json(report)["under_act"]["closing"] == 5_000
