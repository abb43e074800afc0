"""The customer analytics for the admin API (and so the CLI) and the console: the stated day and
window read once, the facts loaded on the report lane, the pure reports computed."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from node.crm import facts_queries
from node.crm.cohorts import COHORT_MONTHS, Cohort, cohorts, month_index, month_name
from node.crm.facts import DEFAULT_WINDOW_DAYS, CustomerSpend, Period, merge
from node.crm.kpi import ACTIVE_DAYS, MEMBER_MONTHS, Kpis, MemberFacts, kpis
from node.crm.ltv import LtvReport, ltv_report
from node.crm.pareto import Pareto, pareto
from node.crm.rfm import Cuts, RfmRow, rfm_table
from node.errors import DateInFuture, InvalidAnalytics, InvalidDate
from node.ledger import queries as ledger_queries
from node.ledger.calendar import start_of_local_day
from node.reads import Reader
from node.runtime import Node

DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FIRST_DAY = date(2000, 1, 1)
MAX_WINDOW_DAYS = 3660
MARGIN = re.compile(r"(100|[0-9]{1,2})(\.[0-9]{1,2})?")

WHOLE = re.compile(r"[0-9]{1,10}")  # ASCII digits only: int() of "²" fails


@dataclass(frozen=True)
class RfmReport:
    period: Period
    cuts: Cuts
    rows: list[RfmRow]


def read_period(node: Node, as_of: str | None, window_days: str | None) -> Period:
    """The stated local day (YYYY-MM-DD, today by default, never after today) and the window's
    length in days (365 by default)."""
    zone = node.config.zone
    today = node.clock.now().astimezone(zone).date()
    day = today
    if as_of is not None:
        try:
            if not DAY.fullmatch(as_of):
                raise ValueError(as_of)
            day = date.fromisoformat(as_of)
        except ValueError:
            raise InvalidDate(field="as_of") from None
        if day > today:
            raise DateInFuture("`as_of` must be today or a day before.", field="as_of")
        if day < FIRST_DAY:
            raise InvalidDate(f"`as_of` must be {FIRST_DAY} or later.", field="as_of")
    days = DEFAULT_WINDOW_DAYS
    if window_days is not None:
        if not WHOLE.fullmatch(window_days) or not 1 <= int(window_days) <= MAX_WINDOW_DAYS:
            raise InvalidAnalytics(
                f"`window_days` must be a whole number from 1 to {MAX_WINDOW_DAYS}.",
                field="window_days",
            )
        days = int(window_days)
    return Period(day, days, zone)


def read_margin(node: Node, margin: str | None) -> Fraction:
    """The gross margin in percent (0-100, up to two decimals), `[crm] margin_percent` by default."""
    if margin is None:
        return Fraction(node.config.crm.margin_percent)
    if not MARGIN.fullmatch(margin) or Fraction(margin) > 100:
        raise InvalidAnalytics(
            "`margin_percent` must be a percentage from 0 to 100.", field="margin_percent"
        )
    return Fraction(margin)


async def load_spends(db: Reader, period: Period) -> list[CustomerSpend]:
    """Every paying customer's spend. The pure work on a million rows runs in a worker thread
    (here and in the reports below), so the event loop keeps answering the counter."""
    parts = [
        await facts_queries.voucher_spend(db, period),
        await facts_queries.purchase_spend(db, period),
        await facts_queries.rest_spend(db, period),
    ]
    return await asyncio.to_thread(merge, parts)


async def rfm_report(node: Node, period: Period) -> RfmReport:
    spends = await load_spends(node.require_report_reader(), period)
    cuts, rows = await asyncio.to_thread(rfm_table, spends, period)
    return RfmReport(period, cuts, rows)


async def pareto_report(node: Node, period: Period) -> Pareto:
    return await asyncio.to_thread(pareto, await load_spends(node.require_report_reader(), period))


async def ltv(node: Node, period: Period, margin_percent: Fraction) -> LtvReport:
    spends = await load_spends(node.require_report_reader(), period)
    return await asyncio.to_thread(ltv_report, spends, period, margin_percent)


def _month_start(period: Period, months_back: int) -> date:
    first = month_index(period.as_of.strftime("%Y-%m")) - months_back
    return date.fromisoformat(month_name(first) + "-01")


async def kpi_report(node: Node, period: Period) -> Kpis:
    db = node.require_report_reader()
    zone = period.zone
    since_month = _month_start(period, MEMBER_MONTHS - 1)
    by_month = await facts_queries.members_by_month(
        db, period, start_of_local_day(since_month, zone)
    )
    first = month_index(since_month.strftime("%Y-%m"))
    months = tuple(
        (month_name(first + k), by_month.get(month_name(first + k), 0))
        for k in range(MEMBER_MONTHS)
    )
    active_since = start_of_local_day(period.as_of - timedelta(days=ACTIVE_DAYS - 1), zone)
    members = MemberFacts(
        await facts_queries.members_before(db, period.end),
        months,
        await facts_queries.active_customers(db, period, active_since),
    )
    spends = await load_spends(db, period)
    liability = await ledger_queries.voucher_liability_before(db, period.end)
    stores = await facts_queries.store_figures(db, period)
    return await asyncio.to_thread(kpis, spends, members, liability, stores)


async def cohort_report(node: Node, period: Period) -> list[Cohort]:
    since = start_of_local_day(_month_start(period, COHORT_MONTHS - 1), period.zone)
    paid = await facts_queries.paid_months(node.require_report_reader(), period, since)
    return cohorts(paid, period.as_of.strftime("%Y-%m"))
