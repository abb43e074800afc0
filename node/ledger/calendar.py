"""Business-calendar rules: expiry dates run to the end of a local day; gifts last six months."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

GIFT_VALIDITY_MONTHS = 6


def add_months(day: date, months: int) -> date:
    """Same day of month `months` later, clamped to the month's last day (Aug 31 + 6 = Feb 28/29)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def start_of_local_day(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of `day` in `zone`: its local midnight."""
    return datetime.combine(day, time.min, tzinfo=zone)


def end_of_local_day(day: date, zone: ZoneInfo) -> datetime:
    """The instant a voucher valid "through `day`" stops working: next local midnight."""
    return start_of_local_day(day + timedelta(days=1), zone)


def expiry_after_days(now: datetime, days: int, zone: ZoneInfo) -> datetime:
    """Valid through the local day `days` days after `now` (有効期限: that date inclusive)."""
    return end_of_local_day(now.astimezone(zone).date() + timedelta(days=days), zone)


def gift_expiry(now: datetime, zone: ZoneInfo) -> datetime:
    """A gifted voucher is valid through the same date six months after the gift."""
    return end_of_local_day(add_months(now.astimezone(zone).date(), GIFT_VALIDITY_MONTHS), zone)


def same_business_day(first: datetime, second: datetime, zone: ZoneInfo) -> bool:
    return first.astimezone(zone).date() == second.astimezone(zone).date()


def local_day_span(now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The business day holding `now` in `zone`: [its local midnight, the next)."""
    today = now.astimezone(zone).date()
    return start_of_local_day(today, zone), end_of_local_day(today, zone)


def local_month_span(now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The calendar month holding `now` in `zone`: [the 1st's local midnight, next month's)."""
    first = now.astimezone(zone).date().replace(day=1)
    return start_of_local_day(first, zone), start_of_local_day(add_months(first, 1), zone)
