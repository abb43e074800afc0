"""The KPIs' and cohorts' figures kept by day in the report worker (spend_snapshot.figure), so
that neither reads a year of payments and visits again at each report:

- **stores** (`StoreWindow`): each store's spend, payments and visits in the window, and each
  customer's last payment or visit at each store (None: vouchers bought online) from the
  window's start or the active members' (ACTIVE_DAYS), whichever is earlier: the customers of a
  store in the window, and the active members, are counted from these;
- **months** (`PaidMonths`): for every customer who paid from the first cohort's month on, the
  months they paid in, as a mask (cohorts.month_bit);
- **liability**: the vouchers' worth at the end of the day, from the journal.

Brought forward the same way as the spends (spend_snapshot.py says why it is exact): what was
made since is added, what left the window is taken out, and the customers whose earlier
dealings changed are read again through their own index, their old figures taken out and the
new ones put in. tests/test_crm_kpi_snapshot.py holds each to its full reading.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from node.crm import kpi_queries
from node.crm.cohorts import (
    COHORT_MONTHS,
    FIRST_MONTH,
    Cohort,
    cohorts_of_masks,
    month_bit,
    month_index,
    month_name,
)
from node.crm.facts import CustomerSpend, Period
from node.crm.kpi import ACTIVE_DAYS, StoreFigures
from node.crm.kpi_queries import StoreRow
from node.crm.spend_snapshot import Kept
from node.ledger import queries as ledger_queries
from node.ledger.calendar import start_of_local_day
from node.ledger.rows import to_epoch
from node.reads import Reader

Totals = tuple[int, int, int]  # spend, payments, visits


def active_since(period: Period) -> datetime:
    """The start of the ACTIVE_DAYS ending with the stated day."""
    return start_of_local_day(period.as_of - timedelta(days=ACTIVE_DAYS - 1), period.zone)


def reach(period: Period) -> datetime:
    """How far back the last payments and visits are kept."""
    return min(period.window_start, active_since(period))


@dataclass(frozen=True)
class StoreWindow:
    totals: dict[str | None, Totals]
    last_seen: dict[str | None, dict[str, int]]  # store: customer: epoch seconds


def _add(totals: dict[str | None, Totals], row: StoreRow, sign: int) -> None:
    spend, payments, visits = totals.get(row.store_id, (0, 0, 0))
    totals[row.store_id] = (
        spend + sign * row.spend_yen,
        payments + sign * row.payments,
        visits + sign * row.visits,
    )


def _see(last_seen: dict[str | None, dict[str, int]], row: StoreRow) -> None:
    at = last_seen.setdefault(row.store_id, {})
    if row.last_at > at.get(row.customer_id, -1):
        at[row.customer_id] = row.last_at


class Stores:
    name = "stores"

    async def read(self, db: Reader, period: Period) -> StoreWindow:
        window = StoreWindow({}, {})
        rows = await kpi_queries.store_rows(
            db, period.end, period.window_start, reach(period), period.end
        )
        for row in rows:
            _add(window.totals, row, 1)
            _see(window.last_seen, row)
        return window

    async def forward(
        self, db: Reader, kept: Kept[StoreWindow], period: Period, changed: set[str]
    ) -> StoreWindow:
        base = kept.period
        made = await kpi_queries.store_rows(
            db, period.end, period.window_start, base.end, period.end
        )
        left = await kpi_queries.store_rows(
            db, base.end, base.window_start, base.window_start, period.window_start
        )
        horizon = to_epoch(reach(period))
        window = StoreWindow(
            dict(kept.value.totals),
            {
                store: {c: at for c, at in seen.items() if at >= horizon and c not in changed}
                for store, seen in kept.value.last_seen.items()
            },
        )
        for row in left:
            if row.customer_id not in changed:
                _add(window.totals, row, -1)
        for row in made:
            if row.customer_id not in changed:
                _add(window.totals, row, 1)
                _see(window.last_seen, row)
        if changed:
            before = await kpi_queries.store_rows(
                db, base.end, base.window_start, base.window_start, base.end, changed
            )
            for row in before:
                _add(window.totals, row, -1)
            now = await kpi_queries.store_rows(
                db, period.end, period.window_start, reach(period), period.end, changed
            )
            for row in now:
                _add(window.totals, row, 1)
                _see(window.last_seen, row)
        return window


def store_figures(
    window: StoreWindow, names: Mapping[str, str], period: Period
) -> list[StoreFigures]:
    """Each store's figures in the window (stores with no payment and no visit left out)."""
    start = to_epoch(period.window_start)
    found = []
    for store_id, name in names.items():
        spend, payments, visits = window.totals.get(store_id, (0, 0, 0))
        if payments or visits:
            seen = window.last_seen.get(store_id, {})
            customers = sum(1 for at in seen.values() if at >= start)
            found.append(StoreFigures(store_id, name, spend, payments, visits, customers))
    return found


def active_members(window: StoreWindow, period: Period) -> int:
    """Customers who paid or visited in the ACTIVE_DAYS ending with the stated day."""
    since = to_epoch(active_since(period))
    return len({c for seen in window.last_seen.values() for c, at in seen.items() if at >= since})


def first_cohort_month(period: Period) -> int:
    return month_index(period.as_of.strftime("%Y-%m")) - COHORT_MONTHS + 1


def month_start(index: int, period: Period) -> datetime:
    return start_of_local_day(date.fromisoformat(month_name(index) + "-01"), period.zone)


@dataclass(frozen=True)
class PaidMonths:
    since: int  # a month index: every payment made in it or later is in `masks`
    masks: dict[str, int]  # customer: the months they paid in (cohorts.month_bit)


def _mark(masks: dict[str, int], pairs: set[tuple[str, str]], skip: set[str]) -> None:
    for customer_id, month in pairs:
        if customer_id not in skip:
            masks[customer_id] = masks.get(customer_id, 0) | month_bit(month)


class Months:
    name = "months"

    async def read(self, db: Reader, period: Period) -> PaidMonths:
        since = first_cohort_month(period)
        months = PaidMonths(since, {})
        pairs = await kpi_queries.paid_months(db, period, month_start(since, period), period.end)
        _mark(months.masks, pairs, set())
        return months

    async def forward(
        self, db: Reader, kept: Kept[PaidMonths], period: Period, changed: set[str]
    ) -> PaidMonths:
        since = first_cohort_month(period)
        shift = since - FIRST_MONTH
        months = PaidMonths(
            since,
            {c: m for c, m in kept.value.masks.items() if m >> shift and c not in changed},
        )
        made = await kpi_queries.paid_months(db, period, kept.period.end, period.end)
        _mark(months.masks, made, changed)
        if changed:
            again = await kpi_queries.paid_months(
                db, period, month_start(since, period), period.end, changed
            )
            _mark(months.masks, again, set())
        return months


def cohorts(
    months: PaidMonths, spends: Mapping[str, CustomerSpend], period: Period
) -> list[Cohort]:
    """Cohort retention as of the period's day: of the customers whose first payment (`spends`,
    as of the same day) is in the cohorts' months."""
    since = to_epoch(month_start(first_cohort_month(period), period))
    # Every customer in `masks` paid by the day, so is in `spends`, unless the two snapshots were
    # made on either side of a payment written more than CLOSE_GRACE after the moment it is
    # dated (spend_snapshot.py): such a customer is left out rather than the report failing.
    fresh = (
        mask
        for customer_id, mask in months.masks.items()
        if (spend := spends.get(customer_id)) is not None and spend.first_paid >= since
    )
    return cohorts_of_masks(fresh, period.as_of.strftime("%Y-%m"))


class Liability:
    name = "liability"

    async def read(self, db: Reader, period: Period) -> int:
        return await ledger_queries.voucher_liability_before(db, period.end)

    async def forward(self, db: Reader, kept: Kept[int], period: Period, changed: set[str]) -> int:
        return kept.value + await ledger_queries.voucher_liability_change(
            db, kept.period.end, period.end
        )


STORES = Stores()
MONTHS = Months()
LIABILITY = Liability()
