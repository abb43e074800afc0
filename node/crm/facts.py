"""What the analytics read of a customer's dealings, as of a stated local day, and the one
definition of spend.

**Spend** is what a customer paid the company, dated the day it was paid: the price of a voucher
they bought (not a gift they received, not a free or campaign-funded part: the voucher's
`price_yen`), each purchase recorded at the counter or through the POS API (`purchase_yen`), and
the rest of a sale paid another way beside a redemption (全額利用と差額).
A counter sale cancelled the same day, or a purchase returned, stops counting from the moment it
was undone. A voucher sold to nobody in particular counts for the customer it was handed over to,
from the moment it was. A redemption is a **visit**, never new spend: the money came in when the
voucher was bought.

Everything is read as of the end of the stated local day, so nothing that happened after it can
change a figure for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from node.ledger.calendar import end_of_local_day, start_of_local_day
from node.ledger.rows import from_epoch, to_epoch

DEFAULT_WINDOW_DAYS = 365


@dataclass(frozen=True)
class Period:
    """The stated day and the window that ends with it: local days `first_day`..`as_of`."""

    as_of: date
    window_days: int
    zone: ZoneInfo

    @property
    def first_day(self) -> date:
        return self.as_of - timedelta(days=self.window_days - 1)

    @property
    def end(self) -> datetime:
        """The first instant after the stated day: everything before it counts."""
        return end_of_local_day(self.as_of, self.zone)

    @property
    def window_start(self) -> datetime:
        return start_of_local_day(self.first_day, self.zone)

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()


@dataclass(frozen=True)
class Payment:
    """One payment by a customer (a voucher bought, a purchase recorded), as the reads find it."""

    customer_id: str
    paid_at: datetime
    amount_yen: int
    store_id: str | None


class CustomerSpend(NamedTuple):
    """A paying customer's spend as of the stated day: their first and last payment ever (epoch
    seconds: a million of these are read and kept by the report worker, spend_snapshot.py), and
    the count and yen of their payments inside the window."""

    customer_id: str
    first_paid: int
    last_paid: int
    total_yen: int
    window_count: int
    window_yen: int

    @property
    def first_paid_at(self) -> datetime:
        return from_epoch(self.first_paid)

    @property
    def last_paid_at(self) -> datetime:
        return from_epoch(self.last_paid)


def summarise(payments: list[Payment], period: Period) -> list[CustomerSpend]:
    """Each customer's `CustomerSpend` from their payments (those after the period's end are
    ignored); the reads compute the same in SQL, and tests hold the two to each other."""
    by_customer: dict[str, list[Payment]] = {}
    for payment in payments:
        if payment.paid_at < period.end:
            by_customer.setdefault(payment.customer_id, []).append(payment)
    spends = []
    for customer_id, paid in sorted(by_customer.items()):
        inside = [p for p in paid if p.paid_at >= period.window_start]
        spends.append(
            CustomerSpend(
                customer_id=customer_id,
                first_paid=to_epoch(min(p.paid_at for p in paid)),
                last_paid=to_epoch(max(p.paid_at for p in paid)),
                total_yen=sum(p.amount_yen for p in paid),
                window_count=len(inside),
                window_yen=sum(p.amount_yen for p in inside),
            )
        )
    return spends


def combined(seen: CustomerSpend, more: CustomerSpend) -> CustomerSpend:
    """One customer's spend from two sets of their payments that share none."""
    return CustomerSpend(
        customer_id=seen.customer_id,
        first_paid=min(seen.first_paid, more.first_paid),
        last_paid=max(seen.last_paid, more.last_paid),
        total_yen=seen.total_yen + more.total_yen,
        window_count=seen.window_count + more.window_count,
        window_yen=seen.window_yen + more.window_yen,
    )


def merge_into(merged: dict[str, CustomerSpend], part: list[CustomerSpend]) -> None:
    """Add a source's spends (payments none of `merged` holds) to `merged`, by customer."""
    for spend in part:
        seen = merged.get(spend.customer_id)
        merged[spend.customer_id] = spend if seen is None else combined(seen, spend)


def merge(parts: list[list[CustomerSpend]]) -> list[CustomerSpend]:
    """One `CustomerSpend` per customer from several sources' (vouchers bought, purchases), in
    no particular order."""
    merged: dict[str, CustomerSpend] = {}
    for part in parts:
        merge_into(merged, part)
    return list(merged.values())
