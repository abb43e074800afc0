"""The key figures as of a stated day, and each store's.

- **members**: customers registered by the end of the day (an erased customer still counts:
  they were a member); **new members** in each of the twelve local months up to it;
- **active members**: customers with a payment or a visit (a redemption) in the 90 days ending
  on it;
- **paying customers**, **payments** and **spend** in the window (facts.py);
- **repeat rate**: of the customers who paid in the window, the share who paid at least twice;
- **average spend**: the window's spend per paying customer, and per payment (whole yen, half up);
- **voucher liability**: the balance of every voucher at the end of the day, from the journal;
- **per store**, in the window: spend, payments, visits and the customers who paid or visited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from node.crm.facts import CustomerSpend
from node.crm.ltv import round_half_up

ACTIVE_DAYS = 90
MEMBER_MONTHS = 12


@dataclass(frozen=True)
class StoreFigures:
    store_id: str
    name: str
    spend_yen: int
    payments: int
    visits: int
    customers: int


@dataclass(frozen=True)
class MemberFacts:
    members: int
    new_by_month: tuple[tuple[str, int], ...]  # (YYYY-MM, registered in it), oldest first
    active: int


@dataclass(frozen=True)
class Kpis:
    members: int
    new_by_month: tuple[tuple[str, int], ...]
    active_members: int
    paying_customers: int
    payments: int
    spend_yen: int
    repeat_rate: Fraction | None
    average_spend_yen: int | None
    average_payment_yen: int | None
    liability_yen: int
    stores: tuple[StoreFigures, ...]


def kpis(
    spends: Sequence[CustomerSpend],
    members: MemberFacts,
    liability_yen: int,
    stores: Sequence[StoreFigures],
) -> Kpis:
    paying = [s for s in spends if s.window_count > 0]
    payments = sum(s.window_count for s in paying)
    spend = sum(s.window_yen for s in paying)
    repeaters = sum(1 for s in paying if s.window_count >= 2)
    return Kpis(
        members=members.members,
        new_by_month=members.new_by_month,
        active_members=members.active,
        paying_customers=len(paying),
        payments=payments,
        spend_yen=spend,
        repeat_rate=Fraction(repeaters, len(paying)) if paying else None,
        average_spend_yen=round_half_up(Fraction(spend, len(paying))) if paying else None,
        average_payment_yen=round_half_up(Fraction(spend, payments)) if payments else None,
        liability_yen=liability_yen,
        stores=tuple(sorted(stores, key=lambda s: (-s.spend_yen, s.store_id))),
    )
