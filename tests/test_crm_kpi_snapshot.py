"""The KPIs' and cohorts' figures kept by day in the report worker (node/crm/kpi_snapshot.py) on
a real SQLite file: for random histories (vouchers bought, some sold at the counter and handed
over later, some cancelled; purchases, some returned; redemptions, some voided, some with a rest
paid beside them), each figure of a day brought up to a later day is exactly its full reading
of that day: each store's window totals and customers' last payments and visits, the active
members, the months customers paid in and the cohorts, the vouchers' liability."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from node.crm import kpi_queries, kpi_snapshot, spend_snapshot
from node.crm.cohorts import FIRST_MONTH
from node.crm.facts import Period
from node.crm.kpi_snapshot import PaidMonths, StoreWindow
from node.reads import open_read_only
from tests.compliance_books import ZONE, tokyo
from tests.test_crm_facts_properties import CrmBooks, Step, steps
from tests.test_crm_spend_snapshot import play

pytestmark = pytest.mark.node  # real SQLite files

FIRST_DAY = date(2026, 6, 22)


def stores_shown(window: StoreWindow) -> tuple[Any, ...]:
    totals = {k: v for k, v in window.totals.items() if v != (0, 0, 0)}
    seen = {k: v for k, v in window.last_seen.items() if v}
    return totals, seen


def months_shown(months: PaidMonths) -> dict[str, int]:
    """Only the months from the first cohort's on: a brought-forward mask may hold older ones."""
    shift = months.since - FIRST_MONTH
    return {c: m >> shift << shift for c, m in months.masks.items() if m >> shift}


async def compared(path: Path, base: Period, wanted: Period, closed: date) -> list[Any]:
    """Each figure brought from `base` to `wanted` beside its full reading of `wanted`."""
    database = f"kpi:{path}"
    spend_snapshot.forget(database)
    reader = await open_read_only(path)
    try:
        pairs: list[Any] = []
        for figure in (kpi_snapshot.STORES, kpi_snapshot.MONTHS, kpi_snapshot.LIABILITY):
            await spend_snapshot.figure(reader, figure, database, base, base.as_of)
            brought = await spend_snapshot.figure(reader, figure, database, wanted, closed)
            pairs.append((brought, await figure.read(reader, wanted)))
            kept = spend_snapshot.kept(database, wanted, figure.name)
            assert kept is not None and kept.period.as_of == closed
        spends = await spend_snapshot.spends_by_customer(reader, database, wanted, closed)
        full_spends = await spend_snapshot.SPENDS.read(reader, wanted)
        (stores, stores_full), (months, months_full), liability = pairs
        names = await kpi_queries.store_names(reader)
        return [
            (stores_shown(stores), stores_shown(stores_full)),
            (
                kpi_snapshot.store_figures(stores, names, wanted),
                kpi_snapshot.store_figures(stores_full, names, wanted),
            ),
            (
                kpi_snapshot.active_members(stores, wanted),
                kpi_snapshot.active_members(stores_full, wanted),
            ),
            (months_shown(months), months_shown(months_full)),
            (
                kpi_snapshot.cohorts(months, spends, wanted),
                kpi_snapshot.cohorts(months_full, full_spends, wanted),
            ),
            liability,
        ]
    finally:
        spend_snapshot.forget(database)
        await reader.close()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    history=st.lists(steps, min_size=8, max_size=40),
    base_day=st.integers(0, 50),
    gap=st.integers(0, 40),
    window=st.integers(1, 120),
    open_days=st.integers(0, 3),
)
def test_each_kpi_figure_brought_forward_is_its_full_reading(
    history: list[Step], base_day: int, gap: int, window: int, open_days: int
) -> None:
    directory = Path(tempfile.mkdtemp(prefix="kippu-crm-kpi-"))
    books = CrmBooks(directory)
    try:
        play(books, history, stretch=4)  # over weeks: months and the window
        gap = min(gap, window, spend_snapshot.MAX_GAP_DAYS)
        base = Period(FIRST_DAY + timedelta(days=base_day), window, ZONE)
        wanted = Period(base.as_of + timedelta(days=gap), window, ZONE)
        closed = max(base.as_of, wanted.as_of - timedelta(days=open_days))
        for brought, full in asyncio.run(compared(books.path, base, wanted, closed)):
            assert brought == full
    finally:
        books.close()
        shutil.rmtree(directory, ignore_errors=True)


def test_a_kpi_figure_read_for_an_older_day_leaves_the_kept_one(tmp_path: Path) -> None:
    books = CrmBooks(tmp_path)
    try:
        for day in range(6):
            books.purchase("cu_a", 1_000 + day, tokyo(f"2026-06-{22 + day} 12:00"))
        asyncio.run(_older_day(books.path))
    finally:
        books.close()


async def _older_day(path: Path) -> None:
    database = f"older:{path}"
    reader = await open_read_only(path)
    try:
        period = Period(date(2026, 6, 27), 30, ZONE)
        older = Period(date(2026, 6, 24), 30, ZONE)
        window = await spend_snapshot.figure(
            reader, kpi_snapshot.STORES, database, period, date(2026, 6, 26)
        )
        assert sum(t[0] for t in window.totals.values()) == 6_015
        window = await spend_snapshot.figure(
            reader, kpi_snapshot.STORES, database, older, date(2026, 6, 26)
        )
        assert sum(t[0] for t in window.totals.values()) == 3_003
        kept = spend_snapshot.kept(database, period, kpi_snapshot.STORES.name)
        assert kept is not None and kept.period.as_of == date(2026, 6, 26)
    finally:
        spend_snapshot.forget(database)
        await reader.close()
