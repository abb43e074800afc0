"""Voucher codes expire within about a minute and bind to voucher and issuer; calendar rules."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from node.errors import CodeExpired, CodeInvalid, InvalidPayload
from node.ledger import qr
from node.ledger.calendar import (
    add_months,
    end_of_local_day,
    expiry_after_days,
    gift_expiry,
    local_day_span,
    local_month_span,
    same_business_day,
    start_of_local_day,
)
from node.ledger.numbers import is_voucher_number, luhn_check_digit, voucher_number_from

ISSUER = "A" * 52
SECRET = bytes(range(32))
NOW = datetime(2026, 11, 24, 1, 0, 10, tzinfo=UTC)
VOUCHER = voucher_number_from(b"\x01" * 8)


def _payload(now: datetime = NOW, nonce: bytes = b"12345") -> str:
    return qr.make_payload(ISSUER, VOUCHER, SECRET, now, 30, nonce)


def test_a_payload_verifies_in_its_step_and_the_next_then_expires() -> None:
    code = qr.parse_code(_payload())
    assert qr.verify_code(code, SECRET, NOW, 30) == code.step
    assert qr.verify_code(code, SECRET, NOW + timedelta(seconds=30), 30) == code.step
    with pytest.raises(CodeExpired):
        qr.verify_code(code, SECRET, NOW + timedelta(seconds=60), 30)


def test_each_display_is_a_distinct_code() -> None:
    assert _payload(nonce=b"aaaaa") != _payload(nonce=b"bbbbb")


@pytest.mark.parametrize("field", [1, 2, 3, 4, 5])
def test_changing_any_field_breaks_the_code(field: int) -> None:
    parts = _payload().split(":")
    replacements = {
        1: "B" * 52,
        2: voucher_number_from(b"\x02" * 8),
        3: str(int(parts[3]) - 1),
        4: "ZZZZZZZZ",
        5: "A" * 16,
    }
    parts[field] = replacements[field]
    with pytest.raises((CodeInvalid, CodeExpired)):
        qr.verify_code(qr.parse_code(":".join(parts)), SECRET, NOW, 30)


def test_another_vouchers_secret_does_not_verify() -> None:
    with pytest.raises(CodeInvalid):
        qr.verify_code(qr.parse_code(_payload()), b"x" * 32, NOW, 30)


def test_a_code_from_the_future_is_refused() -> None:
    code = qr.parse_code(_payload(NOW + timedelta(seconds=90)))
    with pytest.raises(CodeInvalid):
        qr.verify_code(code, SECRET, NOW, 30)


def test_manual_code_round_trip_and_expiry() -> None:
    typed = qr.make_manual_code(VOUCHER, SECRET, NOW, 30)
    assert len(typed) == 18 and typed.startswith(VOUCHER)
    spaced = f"{typed[:4]} {typed[4:8]}-{typed[8:12]} {typed[12:]}"
    code = qr.parse_code(spaced)
    assert code.issuer_id is None
    assert qr.verify_code(code, SECRET, NOW + timedelta(seconds=25), 30) >= 0
    # A typed code past its minute is told apart from a typo, so staff ask for a fresh code
    # instead of retyping a dead one: as long as it is recent enough to be recognised.
    for later in (timedelta(seconds=90), qr.EXPIRED_LOOKBACK - timedelta(seconds=30)):
        with pytest.raises(CodeExpired):
            qr.verify_code(code, SECRET, NOW + later, 30)
    with pytest.raises(CodeInvalid):
        qr.verify_code(code, SECRET, NOW + qr.EXPIRED_LOOKBACK + timedelta(seconds=60), 30)


def test_a_typo_in_a_typed_code_is_no_expired_code() -> None:
    typed = qr.make_manual_code(VOUCHER, SECRET, NOW, 30)
    wrong = typed[:-1] + str((int(typed[-1]) + 1) % 10)
    for later in (timedelta(0), timedelta(seconds=90)):
        with pytest.raises(CodeInvalid):
            qr.verify_code(qr.parse_code(wrong), SECRET, NOW + later, 30)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "KIPPU1:",
        "KIPPU1:a:b:c:d:e",
        "1" * 18,
        VOUCHER[:-1] + "0" * 7,
        "KIPPU1:" + "A" * 300,
        "ＫＩＰＰＵ１",
        _payload() + ":extra",
    ],
)
def test_garbage_is_not_a_code(text: str) -> None:
    with pytest.raises(InvalidPayload):
        qr.parse_code(text)


@given(st.text(max_size=300))
def test_parse_never_crashes(text: str) -> None:
    with contextlib.suppress(InvalidPayload):
        qr.parse_code(text)


def test_voucher_numbers_carry_a_luhn_digit() -> None:
    number = voucher_number_from(b"\xff" * 8)
    assert is_voucher_number(number)
    assert luhn_check_digit("7992739871") == "3"
    typo = number[:3] + str((int(number[3]) + 1) % 10) + number[4:]
    assert not is_voucher_number(typo)


TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 11, 24), 6, date(2027, 5, 24)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_expiry_runs_to_the_end_of_the_local_day() -> None:
    late_evening_utc = datetime(2026, 11, 24, 14, 30, tzinfo=UTC)  # 23:30 in Tokyo
    assert expiry_after_days(late_evening_utc, 1, TOKYO) == datetime(2026, 11, 26, tzinfo=TOKYO)
    assert gift_expiry(late_evening_utc, TOKYO) == datetime(2027, 5, 25, tzinfo=TOKYO)


def test_business_day_is_local() -> None:
    before_midnight = datetime(2026, 11, 24, 14, 59, tzinfo=UTC)
    after_midnight = datetime(2026, 11, 24, 15, 1, tzinfo=UTC)
    assert not same_business_day(before_midnight, after_midnight, TOKYO)
    assert same_business_day(after_midnight, after_midnight + timedelta(hours=8), TOKYO)


def test_a_local_day_starts_and_ends_at_its_local_midnights() -> None:
    day = date(2026, 11, 24)
    assert start_of_local_day(day, TOKYO) == datetime(2026, 11, 23, 15, tzinfo=UTC)
    assert end_of_local_day(day, TOKYO) == datetime(2026, 11, 24, 15, tzinfo=UTC)
    noon = datetime(2026, 11, 24, 3, tzinfo=UTC)
    assert local_day_span(noon, TOKYO) == (
        start_of_local_day(day, TOKYO),
        end_of_local_day(day, TOKYO),
    )
    assert local_month_span(noon, TOKYO) == (
        start_of_local_day(date(2026, 11, 1), TOKYO),
        start_of_local_day(date(2026, 12, 1), TOKYO),
    )
