"""The refund ban's pure rules (資金決済法20条): the ledger's refund entry creates and loses no yen
and leaves the voucher void; the 基準期間 a day falls in; the small-amount limit holds at its
edge; an abolition needs a claim period of at least 60 days and only one at a time; claims only
inside the window; a bank account is checked for shape."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from node.compliance import refund_rules
from node.compliance.refund_model import Period, RefundGround, SmallAmountBasis
from node.errors import (
    AbolitionOpen,
    ClaimPeriodTooShort,
    InvalidBankAccount,
    NothingToRefund,
    NoticeDateInPast,
    RefundAmountMismatch,
    RefundProhibited,
    RefundReasonRequired,
    RefundWindowClosed,
    RefundWindowNotOpen,
    SmallAmountExceeded,
    ValidationError,
)
from node.ledger import core, payouts
from node.ledger.model import EntryKind, Voucher, VoucherStatus, cash_account, voucher_account

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


def a_voucher(face: int, balance: int, **terms: object) -> Voucher:
    fields: dict[str, object] = {
        "voucher_id": "123412341234",
        "face_yen": face,
        "price_yen": face,
        "balance_yen": balance,
        "status": VoucherStatus.ACTIVE if balance else VoucherStatus.EXHAUSTED,
        "holder_id": "c1",
        "store_id": None,
        "created_at": NOW - timedelta(days=3),
        "expires_at": None,
        "is_gift": False,
        "has_given_gift": False,
        "gifted_from": None,
        "secret": b"s" * 32,
    }
    fields.update(terms)
    return Voucher(**fields)  # type: ignore[arg-type]


@given(
    face=st.integers(1, 500_000),
    spent=st.lists(st.integers(1, 50_000), max_size=6),
)
def test_a_refund_moves_the_whole_balance_to_cash_and_no_yen_is_created_or_lost(
    face: int, spent: list[int]
) -> None:
    voucher = a_voucher(face, face)
    books: dict[str, int] = {}
    issue = core.journal_entry(
        "tx0",
        EntryKind.ISSUE,
        NOW,
        (cash_account(None), face),
        (voucher_account(voucher.voucher_id), -face),
    )
    entries = [issue]
    for i, amount in enumerate(spent):
        if amount >= voucher.balance_yen:
            break
        outcome = core.redeem(voucher, "s1", amount, NOW, f"tx{i + 1}")
        voucher, entries = outcome.vouchers[0], [*entries, outcome.entry]
    balance = voucher.balance_yen
    refund = payouts.refund_balance(voucher, balance, NOW, "txr")
    entries.append(refund.entry)
    for entry in entries:
        assert entry.is_balanced
        for p in entry.postings:
            books[p.account] = books.get(p.account, 0) + p.amount_yen
    assert sum(books.values()) == 0
    assert books[voucher_account(voucher.voucher_id)] == 0  # nothing owed on it any more
    assert books[cash_account(None)] == face - balance  # what came in, less what went back
    assert refund.entry.kind == EntryKind.REFUND
    after = refund.vouchers[0]
    assert (after.status, after.balance_yen) == (VoucherStatus.VOID, 0)
    with pytest.raises(NothingToRefund):
        payouts.refund_balance(after, 1, NOW, "txr2")  # void is final: never refunded or used again


def test_a_refund_of_another_amount_or_of_nothing_is_refused() -> None:
    with pytest.raises(RefundAmountMismatch):
        payouts.refund_balance(a_voucher(1000, 600), 500, NOW, "tx")
    with pytest.raises(NothingToRefund):
        payouts.refund_balance(a_voucher(1000, 0), 1, NOW, "tx")
    expired = a_voucher(1000, 600, expires_at=NOW - timedelta(seconds=1))
    with pytest.raises(NothingToRefund):
        payouts.refund_balance(expired, 600, NOW, "tx")
    suspended = a_voucher(1000, 600, suspended_at=NOW - timedelta(days=1))
    assert (
        payouts.refund_balance(suspended, 600, NOW, "tx").vouchers[0].status == VoucherStatus.VOID
    )


@given(st.dates(date(2000, 1, 1), date(2100, 12, 31)))
def test_every_day_falls_in_one_half_year_ending_on_a_reference_date(day: date) -> None:
    period = refund_rules.period_of(day)
    assert period.start <= day <= period.end
    assert (period.end.month, period.end.day) in {(3, 31), (9, 30)}
    previous = refund_rules.previous_period(period)
    assert previous.end + timedelta(days=1) == period.start


def test_the_periods_around_the_reference_dates() -> None:
    assert refund_rules.period_of(date(2027, 3, 31)) == Period(date(2026, 10, 1), date(2027, 3, 31))
    assert refund_rules.period_of(date(2027, 4, 1)) == Period(date(2027, 4, 1), date(2027, 9, 30))
    assert refund_rules.period_of(date(2026, 12, 2)).start == date(2026, 10, 1)


PERIOD = Period(date(2026, 10, 1), date(2027, 3, 31))


def test_the_limit_is_the_larger_of_a_fifth_of_issuance_and_a_twentieth_of_the_unused() -> None:
    assert refund_rules.small_amount_limit(SmallAmountBasis(PERIOD, 100_000, 100_000, 0)) == 20_000
    assert refund_rules.small_amount_limit(SmallAmountBasis(PERIOD, 10_000, 1_000_000, 0)) == 50_000
    assert refund_rules.small_amount_limit(SmallAmountBasis(PERIOD, 0, 0, 0)) == 0


@given(
    issued=st.integers(0, 10_000_000),
    unused=st.integers(0, 10_000_000),
    amounts=st.lists(st.integers(1, 500_000), max_size=30),
)
def test_small_amount_refunds_never_pass_the_limit_and_are_refused_only_past_it(
    issued: int, unused: int, amounts: list[int]
) -> None:
    refunded = 0
    for amount in amounts:
        basis = SmallAmountBasis(PERIOD, issued, unused, refunded)
        limit = refund_rules.small_amount_limit(basis)
        if refunded + amount > limit:
            with pytest.raises(SmallAmountExceeded):
                refund_rules.require_small_amount(basis, amount)
        else:
            refund_rules.require_small_amount(basis, amount)
            refunded += amount
        assert refunded <= limit


def test_no_ground_or_the_abolition_ground_is_the_ban_itself() -> None:
    for text in (None, "", "abolition"):
        with pytest.raises(RefundProhibited):
            refund_rules.checked_ground(text)
    with pytest.raises(ValidationError):
        refund_rules.checked_ground("because")
    assert refund_rules.checked_ground("small-amount") == RefundGround.SMALL_AMOUNT
    with pytest.raises(RefundReasonRequired):
        refund_rules.checked_reason(RefundGround.UNAVOIDABLE, "  ")
    assert refund_rules.checked_reason(RefundGround.UNAVOIDABLE, " 海外転出 ") == "海外転出"


NOTICE = date(2026, 12, 10)


def plan(notice: date, until: date, earlier: list | None = None, now: datetime = NOW):  # type: ignore[no-untyped-def,type-arg]
    return refund_rules.plan_abolition("ab1", notice, until, "admin", earlier or [], now, TOKYO)


def test_an_abolition_needs_sixty_days_and_opens_and_closes_at_local_midnights() -> None:
    with pytest.raises(ClaimPeriodTooShort):
        plan(NOTICE, NOTICE + timedelta(days=59))
    abolition = plan(NOTICE, NOTICE + timedelta(days=60))
    assert abolition.opens_at == datetime(2026, 12, 10, tzinfo=TOKYO)
    assert abolition.closes_at == datetime(2027, 2, 9, tzinfo=TOKYO)
    with pytest.raises(NoticeDateInPast):
        plan(date(2026, 12, 1), date(2027, 3, 1))  # a notice in the past


def test_a_second_abolition_is_refused_until_the_first_has_closed() -> None:
    first = plan(NOTICE, NOTICE + timedelta(days=60))
    with pytest.raises(AbolitionOpen):
        plan(date(2027, 1, 5), date(2027, 6, 1), [first])
    later = first.closes_at + timedelta(seconds=1)
    assert plan(date(2027, 3, 1), date(2027, 5, 1), [first], later).notice_date == date(2027, 3, 1)


def test_claims_are_taken_only_inside_the_window() -> None:
    abolition = plan(NOTICE, NOTICE + timedelta(days=60))
    with pytest.raises(RefundWindowNotOpen):
        refund_rules.require_claimable(None, NOW)
    with pytest.raises(RefundWindowNotOpen):
        refund_rules.require_claimable(abolition, abolition.opens_at - timedelta(seconds=1))
    assert refund_rules.require_claimable(abolition, abolition.opens_at) == abolition
    last = abolition.closes_at - timedelta(seconds=1)
    assert refund_rules.require_claimable(abolition, last) == abolition
    with pytest.raises(RefundWindowClosed):
        refund_rules.require_claimable(abolition, abolition.closes_at)


GOOD = {
    "bank_name": "みずほ銀行",
    "branch_name": "渋谷支店",
    "account_type": "ordinary",
    "account_number": "１２３４５６７",
    "account_holder": "ﾔﾏﾀﾞ ﾊﾅｺ",
}


def test_a_bank_account_is_normalised_and_checked_for_shape() -> None:
    account = refund_rules.checked_account(GOOD)
    assert (account.account_number, account.account_holder) == ("1234567", "ヤマダ ハナコ")
    for field, bad in (
        ("account_number", "123456"),
        ("account_number", "12345678"),
        ("account_holder", "山田花子"),
        ("account_type", "gold"),
        ("bank_name", ""),
        ("branch_name", "x" * 41),
    ):
        with pytest.raises(InvalidBankAccount):
            refund_rules.checked_account(GOOD | {field: bad})
