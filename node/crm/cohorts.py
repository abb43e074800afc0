"""Cohort retention: customers grouped by the local month of their first payment, and for each
later month the share of the group who paid in it.

Month 0 is the first payment's month, so its share is 1 for every cohort. A cohort's row stops at
the stated day's month. Cohorts whose first month is more than `months` back are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

COHORT_MONTHS = 12
FIRST_MONTH = 1970 * 12  # January 1970: no moment the node records is earlier (epoch seconds)


@dataclass(frozen=True)
class Cohort:
    month: str  # YYYY-MM of the first payment
    customers: int
    retained: tuple[int, ...]  # index k: customers of the cohort who paid in month + k

    @property
    def shares(self) -> tuple[Fraction, ...]:
        return tuple(Fraction(n, self.customers) for n in self.retained)


def month_index(month: str) -> int:
    year, number = month.split("-")
    return int(year) * 12 + int(number) - 1


def month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_bit(month: str) -> int:
    """A month's bit in a mask of the months a customer paid in: bit 0 is January 1970."""
    return 1 << (month_index(month) - FIRST_MONTH)


def cohorts(
    paid_months: Iterable[tuple[str, str]], as_of_month: str, months: int = COHORT_MONTHS
) -> list[Cohort]:
    """`paid_months`: (customer id, YYYY-MM) for each month a customer paid in, up to the day."""
    masks: dict[str, int] = {}
    for customer_id, month in paid_months:
        masks[customer_id] = masks.get(customer_id, 0) | month_bit(month)
    return cohorts_of_masks(masks.values(), as_of_month, months)


def cohorts_of_masks(
    masks: Iterable[int], as_of_month: str, months: int = COHORT_MONTHS
) -> list[Cohort]:
    """The same from each customer's mask of the months they paid in (month_bit): every month
    of theirs, or at least every one from the first cohort's month on for the customers of the
    cohorts (a customer whose first payment is older must not be given)."""
    last = month_index(as_of_month) - FIRST_MONTH
    first_allowed = last - months + 1
    groups: dict[int, list[int]] = {}
    for mask in masks:
        first = (mask & -mask).bit_length() - 1
        if first >= first_allowed:
            groups.setdefault(first, []).append(mask >> first)
    found = []
    for first in sorted(groups):
        retained = [0] * (last - first + 1)
        for paid in groups[first]:
            k = 0
            while paid and k < len(retained):
                if paid & 1:
                    retained[k] += 1
                paid >>= 1
                k += 1
        found.append(Cohort(month_name(FIRST_MONTH + first), len(groups[first]), tuple(retained)))
    return found
