"""The customer analytics for the admin API (and so the CLI) and the console: the stated day and
window read once; the facts loaded and the pure reports computed in the report worker
(report_process.py), out of the node's process."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction
from typing import Any, TypeVar

from node.crm import consent_snapshot, kpi_queries, kpi_snapshot, report_process, spend_snapshot
from node.crm.cohorts import Cohort, month_index, month_name
from node.crm.consents import Purpose
from node.crm.facts import DEFAULT_WINDOW_DAYS, CustomerSpend, Period
from node.crm.kpi import MEMBER_MONTHS, Kpis, MemberFacts, kpis
from node.crm.ltv import LtvReport, ltv_report
from node.crm.pareto import Pareto, pareto
from node.crm.rfm import Cuts, RfmRow, scored
from node.crm.rfm_classes import RfmClass
from node.crm.spend_snapshot import Figure
from node.errors import DateInFuture, InvalidAnalytics, InvalidDate
from node.ledger.calendar import start_of_local_day
from node.reads import Reader
from node.runtime import Node

log = logging.getLogger(__name__)

DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FIRST_DAY = date(2000, 1, 1)
MAX_WINDOW_DAYS = 3660
MARGIN = re.compile(r"(100|[0-9]{1,2})(\.[0-9]{1,2})?")

KPI_FIGURES: dict[str, Figure[Any]] = {
    figure.name: figure
    for figure in (kpi_snapshot.STORES, kpi_snapshot.MONTHS, kpi_snapshot.LIABILITY)
}
WARM_FIRST_S = 60.0
WARM_EVERY_S = 600.0
WARM_NOTED_S = 5.0  # a warm-up that took longer is noted in the log
T = TypeVar("T")
WHOLE = re.compile(r"[0-9]{1,10}")  # ASCII digits only: int() of "²" fails


@dataclass(frozen=True)
class RfmReport:
    """The RFM table as of a day: its cut points, how many customers each class holds, and the
    rows asked for (`rows[0]` is row `first` of the whole table, in customer order)."""

    period: Period
    cuts: Cuts
    counts: dict[RfmClass, int]
    customers: int
    first: int
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


@dataclass(frozen=True)
class Asked:
    """What a report job needs to find the customers' spends: the node's database (the worker
    keeps a snapshot per database, spend_snapshot.py), the period, and the last closed day by
    the node's clock."""

    database: str
    period: Period
    closed: date
    keep: bool = True  # keep a snapshot of the window (spend_snapshot.spends)


def asked(node: Node, period: Period) -> Asked:
    closed = spend_snapshot.closed_through(node.clock.now(), period)
    return Asked(str(node.database_path), period, closed)


async def spends_for(db: Reader, asked: Asked) -> list[CustomerSpend]:
    """Every paying customer's spend as of the period's day (in the report worker)."""
    return await spend_snapshot.spends(
        db, asked.database, asked.period, asked.closed, keep=asked.keep
    )


def _asked_before(asked: Asked, name: str) -> bool:
    return spend_snapshot.kept(asked.database, asked.period, name) is not None


@dataclass(frozen=True)
class WarmedFigure:
    name: str
    made: bool  # read in full (none was kept for the window), not brought forward
    seconds: float


@dataclass(frozen=True)
class Warmed:
    """What one warm-up left kept in the worker, as of which closed day, over how many paying
    customers in the default window."""

    closed: date
    customers: int
    figures: tuple[WarmedFigure, ...]


async def _warm_spends(db: Reader, asked: Asked, make: bool) -> tuple[bool, int] | None:
    """The spends brought to the closed day if they are kept, or made if `make`: whether they
    were made, over how many customers (None: neither)."""
    made = not _asked_before(asked, spend_snapshot.SPENDS.name)
    if made and not make:
        return None
    return made, len(await spends_for(db, asked))


async def _warm_figure(db: Reader, asked: Asked, name: str, make: bool) -> bool | None:
    """One of the KPIs' figures brought to the closed day if it is kept, or made if `make`:
    whether it was made (None: neither)."""
    made = not _asked_before(asked, name)
    if made and not make:
        return None
    await kept_figure(db, asked, KPI_FIGURES[name])
    return made


async def _warm_today(db: Reader, today: Asked, make: bool) -> list[WarmedFigure]:
    """What the first report or segment count of a day would read besides the kept figures,
    read before anyone asks: the spends brought to today once (which reads the payments that
    left the window by today, once a day; "spends to today"), and the customers consenting to
    marketing mail (kept by event number: made if `make`, else brought forward if kept)."""
    done = []
    began = time.perf_counter()
    kept = spend_snapshot.kept(today.database, today.period) is not None  # none: evicted since
    if kept and not spend_snapshot.departures_read(today.database, today.period):
        await spends_for(db, today)  # keeps the departures for the day (Spends.forward)
        done.append(WarmedFigure("spends to today", False, time.perf_counter() - began))
    marketing = str(Purpose.MARKETING_EMAIL)
    consent_kept = consent_snapshot.is_kept(today.database, marketing)
    if make or consent_kept:
        began = time.perf_counter()
        await consent_snapshot.consenting(db, today.database, marketing)
        done.append(WarmedFigure("consent", not consent_kept, time.perf_counter() - began))
    return done


async def warm(node: Node) -> Warmed | None:
    """Bring the worker's figures of the default window up to the last closed day: run by the
    node WARM_FIRST_S after it starts and every WARM_EVERY_S from then on (node/app.py).

    With `[crm] keep_reports_ready` (the default) this starts the worker and makes every figure
    the reports use, so no report waits for one to be made. Without it only a worker a report has
    started is warmed, and only the figures reports have asked for (None: no worker). Each figure
    is its own job in the worker, so a report asked meanwhile waits for one figure, not all.
    Then it reads what the first report of the day would read besides (`_warm_today`).
    A worker that died (out of memory) is not started again by the warm-up, only by a report."""
    database = node.database_path
    make = node.config.crm.keep_reports_ready and not report_process.died(database)
    if not make and not report_process.running(database):
        return None
    zone = node.config.zone
    today = asked(node, Period(node.clock.now().astimezone(zone).date(), DEFAULT_WINDOW_DAYS, zone))
    day = replace(today, period=Period(today.closed, DEFAULT_WINDOW_DAYS, zone))  # kept as it is
    began = time.perf_counter()
    spends = await report_process.run(database, _warm_spends, day, make)
    if spends is None:
        return None
    made, customers = spends
    kept = [WarmedFigure(spend_snapshot.SPENDS.name, made, time.perf_counter() - began)]
    for name in KPI_FIGURES:
        began = time.perf_counter()
        was_made = await report_process.run(database, _warm_figure, day, name, make)
        if was_made is not None:
            kept.append(WarmedFigure(name, was_made, time.perf_counter() - began))
    kept.extend(await report_process.run(database, _warm_today, today, make))
    return Warmed(day.closed, customers, tuple(kept))


async def keep_ready(node: Node) -> None:
    """`warm`, noted in the node's log: at INFO when it made a figure or took long."""
    warmed = await warm(node)
    if warmed is not None:
        seconds = sum(figure.seconds for figure in warmed.figures)
        noted = seconds > WARM_NOTED_S or any(figure.made for figure in warmed.figures)
        log.log(
            logging.INFO if noted else logging.DEBUG,
            "analytics kept as of %s for %d paying customers in %.1f s (%s)",
            warmed.closed, warmed.customers, seconds,
            ", ".join(
                f"{f.name} {'made' if f.made else 'brought forward'} in {f.seconds:.1f} s"
                for f in warmed.figures
            ),
        )  # fmt: skip


async def _rfm(db: Reader, asked: Asked, first: int, limit: int | None) -> RfmReport:
    table = scored(await spends_for(db, asked), asked.period)
    return RfmReport(
        asked.period, table.cuts, table.counts(), len(table.spends), first, table.rows(first, limit)
    )


async def rfm_report(
    node: Node, period: Period, first: int = 0, limit: int | None = None
) -> RfmReport:
    """The RFM table's figures and its rows from `first`, `limit` of them (None: all)."""
    return await report_process.run(node.database_path, _rfm, asked(node, period), first, limit)


async def class_members(db: Reader, asked: Asked, wanted: RfmClass) -> set[str]:
    """The customers of one RFM class (a segment's filter; in the report worker)."""
    return set(scored(await spends_for(db, asked), asked.period).in_class(wanted))


async def _pareto(db: Reader, asked: Asked) -> Pareto:
    return pareto(await spends_for(db, asked))


async def pareto_report(node: Node, period: Period) -> Pareto:
    return await report_process.run(node.database_path, _pareto, asked(node, period))


async def _ltv(db: Reader, asked: Asked, margin_percent: Fraction) -> LtvReport:
    return ltv_report(await spends_for(db, asked), asked.period, margin_percent)


async def ltv(node: Node, period: Period, margin_percent: Fraction) -> LtvReport:
    return await report_process.run(node.database_path, _ltv, asked(node, period), margin_percent)


def _month_start(period: Period, months_back: int) -> date:
    first = month_index(period.as_of.strftime("%Y-%m")) - months_back
    return date.fromisoformat(month_name(first) + "-01")


async def kept_figure(db: Reader, asked: Asked, wanted: Figure[T]) -> T:
    """One of the KPIs' figures as of the period's day (kpi_snapshot.py; in the report worker)."""
    return await spend_snapshot.figure(
        db, wanted, asked.database, asked.period, asked.closed, asked.keep
    )


async def _kpis(db: Reader, asked: Asked) -> Kpis:
    period = asked.period
    since_month = _month_start(period, MEMBER_MONTHS - 1)
    by_month = await kpi_queries.members_by_month(
        db, period, start_of_local_day(since_month, period.zone)
    )
    first = month_index(since_month.strftime("%Y-%m"))
    months = tuple(
        (month_name(first + k), by_month.get(month_name(first + k), 0))
        for k in range(MEMBER_MONTHS)
    )
    window = await kept_figure(db, asked, kpi_snapshot.STORES)
    members = MemberFacts(
        await kpi_queries.members_before(db, period.end),
        months,
        kpi_snapshot.active_members(window, period),
    )
    spends = await spends_for(db, asked)
    liability = await kept_figure(db, asked, kpi_snapshot.LIABILITY)
    names = await kpi_queries.store_names(db)
    return kpis(spends, members, liability, kpi_snapshot.store_figures(window, names, period))


async def kpi_report(node: Node, period: Period) -> Kpis:
    return await report_process.run(node.database_path, _kpis, asked(node, period))


async def _cohorts(db: Reader, asked: Asked) -> list[Cohort]:
    spends = await spend_snapshot.spends_by_customer(
        db, asked.database, asked.period, asked.closed, keep=asked.keep
    )
    months = await kept_figure(db, asked, kpi_snapshot.MONTHS)
    return kpi_snapshot.cohorts(months, spends, asked.period)


async def cohort_report(node: Node, period: Period) -> list[Cohort]:
    return await report_process.run(node.database_path, _cohorts, asked(node, period))
