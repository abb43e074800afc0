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


def cohorts(
    paid_months: Iterable[tuple[str, str]], as_of_month: str, months: int = COHORT_MONTHS
) -> list[Cohort]:
    """`paid_months`: (customer id, YYYY-MM) for each month a customer paid in, up to the day."""
    by_customer: dict[str, set[int]] = {}
    for customer_id, month in paid_months:
        by_customer.setdefault(customer_id, set()).add(month_index(month))
    last = month_index(as_of_month)
    first_allowed = last - months + 1
    groups: dict[int, list[set[int]]] = {}
    for paid in by_customer.values():
        first = min(paid)
        if first >= first_allowed:
            groups.setdefault(first, []).append(paid)
    found = []
    for first in sorted(groups):
        members = groups[first]
        retained = tuple(
            sum(1 for paid in members if first + k in paid) for k in range(last - first + 1)
        )
        found.append(Cohort(month_name(first), len(members), retained))
    return found
