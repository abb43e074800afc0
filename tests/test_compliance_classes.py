"""A voucher's class in use: counted from the original issue across gifts, and who accepts it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from node.compliance.classification import classes_of, first_issued_at, voucher_class
from node.compliance.model import Acceptance, VoucherClass, exempt_deadline
from node.ledger.calendar import gift_expiry
from node.ledger.model import Voucher, VoucherStatus

ZONE = ZoneInfo("Asia/Tokyo")
ISSUED = datetime(2027, 1, 15, 1, tzinfo=UTC)  # 10:00 in Tokyo
NOBODY = Acceptance(frozenset(), frozenset())


def _voucher(
    voucher_id: str, created: datetime, expires: datetime | None, giver: str | None = None
) -> Voucher:
    return Voucher(
        voucher_id=voucher_id,
        face_yen=1000,
        price_yen=1000,
        balance_yen=1000,
        status=VoucherStatus.ACTIVE,
        holder_id=None,
        store_id=None,
        created_at=created,
        expires_at=expires,
        is_gift=giver is not None,
        has_given_gift=False,
        gifted_from=giver,
        secret=b"s" * 16,
    )


def test_partner_acceptance_decides_own_or_third_party() -> None:
    voucher = _voucher("v1", ISSUED, None)
    assert voucher_class(voucher, ISSUED, NOBODY, ZONE) is VoucherClass.OWN
    active = Acceptance(frozenset({"np_a"}), frozenset())
    assert voucher_class(voucher, ISSUED, active, ZONE) is VoucherClass.THIRD_PARTY
    related = Acceptance(frozenset({"np_a"}), frozenset({"np_a"}))
    assert voucher_class(voucher, ISSUED, related, ZONE) is VoucherClass.OWN


def test_a_gift_of_an_exempt_voucher_is_not_exempt() -> None:
    """The gift's fresh six months start at the gift: the value's life passes six months from
    the original issue, so the gift (which carries it) loses the exemption."""
    original = _voucher("v1", ISSUED, exempt_deadline(ISSUED, ZONE))
    assert voucher_class(original, ISSUED, NOBODY, ZONE) is VoucherClass.EXEMPT
    gifted_at = ISSUED + timedelta(hours=1)  # even a gift on the day of issue
    gift = _voucher("v2", gifted_at, gift_expiry(gifted_at, ZONE), giver="v1")
    vouchers = {"v1": original, "v2": gift}
    assert first_issued_at(gift, vouchers.get) == ISSUED
    assert classes_of(vouchers, NOBODY, ZONE) == {"v1": VoucherClass.EXEMPT, "v2": VoucherClass.OWN}


def test_a_gift_that_stays_inside_the_original_six_months_stays_exempt() -> None:
    original = _voucher("v1", ISSUED, exempt_deadline(ISSUED, ZONE))
    gift = _voucher("v2", ISSUED + timedelta(days=3), original.expires_at, giver="v1")
    assert classes_of({"v1": original, "v2": gift}, NOBODY, ZONE)["v2"] is VoucherClass.EXEMPT


@given(
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=1, max_value=400),
    st.integers(min_value=0, max_value=5),
)
def test_exempt_exactly_when_the_last_moment_is_within_six_months_of_the_first_issue(
    gift_after_days: int, life_days: int, chain: int
) -> None:
    vouchers: dict[str, Voucher] = {"v0": _voucher("v0", ISSUED, ISSUED + timedelta(days=400))}
    for n in range(1, chain + 1):
        at = ISSUED + timedelta(days=gift_after_days * n / max(chain, 1))
        vouchers[f"v{n}"] = _voucher(f"v{n}", at, at + timedelta(days=life_days), giver=f"v{n - 1}")
    last = vouchers[f"v{chain}"]
    deadline = exempt_deadline(ISSUED, ZONE)
    expected = (
        VoucherClass.EXEMPT if last.expires_at and last.expires_at <= deadline else VoucherClass.OWN
    )
    assert first_issued_at(last, vouchers.get) == ISSUED
    assert classes_of(vouchers, NOBODY, ZONE)[last.voucher_id] is expected


def _tokyo(year: int, month: int, day: int, hour: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, 0, second, tzinfo=ZONE)


# The law's reading, written out by hand rather than computed: 令 allows use "発行の日から起算して
# 六月以内", the day of issue counted as the first day, so the six months end the day before the
# same date six months on (民法143条2項); a month without that date ends them with its last day
# (ただし書). The last exempt expiry is the local midnight after the last usable day.
# (issued at, the latest expiry that is still exempt)
LAST_EXEMPT_EXPIRY = [
    # issued 15 January: usable through 14 July, so stopping at the start of 15 July
    (_tokyo(2027, 1, 15, 10), _tokyo(2027, 7, 15)),
    # the minute before midnight and the first minute of the day count as the same day
    (_tokyo(2027, 1, 15, 23), _tokyo(2027, 7, 15)),
    (_tokyo(2027, 1, 15, 0), _tokyo(2027, 7, 15)),
    # issued 31 August: no 31 February, so usable through 28 February (29 in a leap year)
    (_tokyo(2026, 8, 31, 12), _tokyo(2027, 3, 1)),
    (_tokyo(2027, 8, 31, 12), _tokyo(2028, 3, 1)),
    # 29 and 30 August likewise end with February; 28 August ends the day before 28 February
    (_tokyo(2026, 8, 29, 12), _tokyo(2027, 3, 1)),
    (_tokyo(2026, 8, 28, 12), _tokyo(2027, 2, 28)),
    # 31 December: no 31 June, so through 30 June; 30 December: through 29 June
    (_tokyo(2026, 12, 31, 12), _tokyo(2027, 7, 1)),
    (_tokyo(2026, 12, 30, 12), _tokyo(2027, 6, 30)),
    # 16:00 UTC on 15 January is 01:00 on 16 January in Tokyo (no summer time there): its day
    (datetime(2027, 1, 15, 16, tzinfo=UTC), _tokyo(2027, 7, 16)),
]


def test_the_last_exempt_expiry_is_the_laws_reading_of_six_months() -> None:
    for issued, last in LAST_EXEMPT_EXPIRY:
        at_the_limit = _voucher("v1", issued, last)
        a_second_more = _voucher("v1", issued, last + timedelta(seconds=1))
        assert voucher_class(at_the_limit, issued, NOBODY, ZONE) is VoucherClass.EXEMPT, issued
        assert voucher_class(a_second_more, issued, NOBODY, ZONE) is VoucherClass.OWN, issued
        assert exempt_deadline(issued, ZONE) == last, issued


def test_a_gift_on_day_n_is_measured_from_the_original_issue() -> None:
    """Given on day N, a gift keeps the exemption only while its own expiry stays inside the
    original six months: issued 15 January, given 1 March, the gift may run to 14 July only."""
    issued = _tokyo(2027, 1, 15, 10)
    original = _voucher("v1", issued, _tokyo(2027, 7, 15))
    given_at = _tokyo(2027, 3, 1, 12)
    inside = _voucher("v2", given_at, _tokyo(2027, 7, 15), giver="v1")
    past = _voucher("v3", given_at, _tokyo(2027, 7, 16), giver="v1")  # 15 July: one day over
    fresh = _voucher("v4", given_at, gift_expiry(given_at, ZONE), giver="v1")  # to 1 September
    classes = classes_of({"v1": original, "v2": inside, "v3": past, "v4": fresh}, NOBODY, ZONE)
    assert classes == {
        "v1": VoucherClass.EXEMPT,
        "v2": VoucherClass.EXEMPT,
        "v3": VoucherClass.OWN,
        "v4": VoucherClass.OWN,
    }


def test_a_chain_that_loops_ends() -> None:
    looped = _voucher("v1", ISSUED, None, giver="v2")
    other = replace(
        looped, voucher_id="v2", gifted_from="v1", created_at=ISSUED - timedelta(days=1)
    )
    first_issued_at(looped, {"v1": looped, "v2": other}.get)  # returns, whatever it says
