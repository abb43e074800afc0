"""LTV: each customer's historic gross profit, and its average by month of acquisition.

A customer's historic LTV as of the stated day is their spend from their first payment to the
end of that day (facts.py) times the gross margin (`[crm] margin_percent`, or the one asked for),
in whole yen rounded half up. A customer is acquired in the local month of their first payment.
For each such month: the customers acquired, their spend, their gross profit, and the average
LTV (gross profit / customers, whole yen rounded half up). Predicted LTV is not computed: it
needs a fitted model and more history than most issuers have (docs/operations.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from node.crm.facts import CustomerSpend, Period


@dataclass(frozen=True)
class CustomerLtv:
    customer_id: str
    acquired_month: str  # YYYY-MM
    spend_yen: int
    ltv_yen: int


@dataclass(frozen=True)
class MonthLtv:
    month: str
    customers: int
    spend_yen: int
    gross_profit_yen: int
    average_ltv_yen: int


@dataclass(frozen=True)
class LtvReport:
    margin_percent: Fraction
    customers: int
    spend_yen: int
    gross_profit_yen: int
    average_ltv_yen: int | None
    months: tuple[MonthLtv, ...]
    by_customer: tuple[CustomerLtv, ...]


def round_half_up(value: Fraction) -> int:
    return int((value + Fraction(1, 2)).__floor__())


def ltv_report(
    spends: Sequence[CustomerSpend], period: Period, margin_percent: Fraction
) -> LtvReport:
    margin = margin_percent / 100
    by_customer = tuple(
        CustomerLtv(
            s.customer_id,
            period.local_day(s.first_paid_at).strftime("%Y-%m"),
            s.total_yen,
            round_half_up(s.total_yen * margin),
        )
        for s in sorted(spends, key=lambda s: s.customer_id)
    )
    groups: dict[str, list[CustomerLtv]] = {}
    for row in by_customer:
        groups.setdefault(row.acquired_month, []).append(row)
    months = []
    for month in sorted(groups):
        rows = groups[month]
        spend = sum(r.spend_yen for r in rows)
        profit = round_half_up(spend * margin)
        months.append(
            MonthLtv(month, len(rows), spend, profit, round_half_up(Fraction(profit, len(rows))))
        )
    spend = sum(r.spend_yen for r in by_customer)
    profit = round_half_up(spend * margin)
    count = len(by_customer)
    return LtvReport(
        margin_percent,
        count,
        spend,
        profit,
        round_half_up(Fraction(profit, count)) if count else None,
        tuple(months),
        by_customer,
    )
