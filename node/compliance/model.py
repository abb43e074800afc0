"""A voucher's class under the Payment Services Act (資金決済法), decided by pure rules.

- 自家型 (法3条4項): usable only at the issuer and its 密接関係者 (declared related partners).
- 第三者型 (法3条5項): usable at any other company too: an active partner that is not declared
  related accepts our vouchers. Needs registration (法7条) before it is issued.
- exempt (適用除外, 法4条, 令): its whole life, counted from the original 発行の日 across gifts,
  is at most six months, and the expiry is enforced. A gift's fresh expiry does not restart the
  count (日本資金決済業協会 FAQ: value carried into a new instrument counts from the first issue).

The class of a voucher is the class of its own usability (exempt wins, then who accepts it); the
issuer's obligations (report, deposit) follow from the unused balance of the non-exempt ones.
Facts and sources: ../shared/reference/vouchers_and_law.md §2.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from node.ledger.calendar import add_months, start_of_local_day

EXEMPT_MONTHS = 6


class VoucherClass(StrEnum):
    OWN = "own"  # 自家型
    THIRD_PARTY = "third_party"  # 第三者型
    EXEMPT = "exempt"  # 適用除外 (six months or less, enforced)
    # 無償: issued for no consideration (price ¥0), outside 法3条1項's definition. Never returned by
    # classify (a voucher's usability); only the 基準日 report's line for value issued free.
    FREE = "free"


@dataclass(frozen=True)
class Acceptance:
    """Who, besides the issuer, accepts its vouchers now: active partners' node ids, and the
    ones declared 密接関係者 in `[issuer] related_partners`."""

    active_partners: frozenset[str]
    related_partners: frozenset[str]

    @property
    def unrelated_partners(self) -> frozenset[str]:
        return self.active_partners - self.related_partners

    @property
    def is_third_party(self) -> bool:
        return bool(self.unrelated_partners)


def exempt_deadline(first_issued_at: datetime, zone: ZoneInfo) -> datetime:
    """The latest expiry that keeps a voucher exempt. 令 counts six months 発行の日から起算して,
    the day of issue included, so the last usable day is the day before the same date six months
    on (民法143条2項; issued 15 January: through 14 July); the voucher must stop at that date's
    local midnight. A month without that date ends the count with its last day (ただし書; issued
    31 August: through 28 or 29 February), so the voucher stops at the next month's first."""
    issued = first_issued_at.astimezone(zone).date()
    same_date = add_months(issued, EXEMPT_MONTHS)  # clamped to the month's last day
    has_same_date = same_date.day == issued.day
    return start_of_local_day(same_date if has_same_date else same_date + timedelta(days=1), zone)


def is_exempt(first_issued_at: datetime, expires_at: datetime | None, zone: ZoneInfo) -> bool:
    """Exempt only with an expiry, and one no later than six months from the original issue."""
    return expires_at is not None and expires_at <= exempt_deadline(first_issued_at, zone)


def classify(
    first_issued_at: datetime, expires_at: datetime | None, acceptance: Acceptance, zone: ZoneInfo
) -> VoucherClass:
    """The class of one voucher now. `first_issued_at` is the original issue's moment (for a
    gift, its giver's, followed back to the first); `expires_at` its own enforced expiry."""
    if is_exempt(first_issued_at, expires_at, zone):
        return VoucherClass.EXEMPT
    return VoucherClass.THIRD_PARTY if acceptance.is_third_party else VoucherClass.OWN
