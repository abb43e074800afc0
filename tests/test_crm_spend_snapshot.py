"""The report worker's day snapshot (node/crm/spend_snapshot.py) on a real SQLite file: for
random histories of vouchers bought (some sold at the counter and handed over later, some
cancelled), purchases recorded (some returned) and redemptions (some voided, some spending the
whole balance with the rest paid in cash beside it), a snapshot of a
day brought up to a later day gives exactly what reading every payment again gives, whatever the
window; and which day it keeps, and when it reads in full instead."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from node.crm import facts_queries, spend_snapshot
from node.crm.facts import CustomerSpend, Period
from node.errors import KippuError
from node.ledger import operations
from node.ledger.qr import make_manual_code, parse_code
from node.ledger.tender import rest_payment
from node.reads import open_read_only
from tests.compliance_books import SECRET, SETTINGS, STORE, ZONE, tokyo
from tests.test_crm_facts_properties import CrmBooks, Paid, Step, apply, steps

pytestmark = pytest.mark.node  # real SQLite files

FIRST_DAY = date(2026, 6, 22)


def apply_with_rests(
    books: CrmBooks, paid: list[Paid], redeemed: list[str], step: Step, at: datetime
) -> None:
    """`apply`, but half the redemptions spend the voucher's whole balance with a rest paid in
    cash (全額利用と差額): spend of the holder, undone when the redemption is voided."""
    vouchers = [p.voucher_id for p in paid if p.voucher_id is not None]
    if step.action != "redeem" or step.pick % 2 == 0 or not vouchers:
        apply(books, paid, redeemed, step, at)
        return
    voucher_id = vouchers[step.pick % len(vouchers)]
    balance = books.balances().get(voucher_id, 0)
    if balance == 0:
        return
    code = parse_code(make_manual_code(voucher_id, SECRET, at, SETTINGS.step_seconds))
    redemption_id = books.next_id("rd_")
    rest = rest_payment(1 + step.yen % 3_000, "cash")
    work = operations.redeem(
        code, balance, STORE, SETTINGS, at, redemption_id, books.next_id("tx_"), rest
    )
    try:
        books.run(work)
    except KippuError:
        return
    redeemed.append(redemption_id)
    event("a whole balance spent with a rest")


def play(books: CrmBooks, history: list[Step], stretch: int = 1) -> None:
    """The history's steps from 2026-06-22 09:00, each `stretch` times its minutes after the last."""
    paid: list[Paid] = []
    redeemed: list[str] = []
    at = tokyo("2026-06-22 09:00")
    for step in history:
        at += timedelta(minutes=step.after_minutes * stretch)
        apply_with_rests(books, paid, redeemed, step, at)


def kept_period(database: str, period: Period) -> Period | None:
    snapshot = spend_snapshot.kept(database, period)
    return None if snapshot is None else snapshot.period


def by_customer(spends: list[CustomerSpend]) -> list[CustomerSpend]:
    return sorted(spends, key=lambda s: s.customer_id)


async def brought_and_full(
    path: Path, base: Period, wanted: Period, closed: date
) -> tuple[list[CustomerSpend], list[CustomerSpend], Any]:
    """The snapshot of `base` brought up to `wanted`, the full reading of `wanted`, and the
    snapshot kept afterwards."""
    database = f"prop:{path}"
    spend_snapshot.forget(database)
    reader = await open_read_only(path)
    try:
        made = await spend_snapshot.spends(reader, database, base, base.as_of)
        assert by_customer(made) == by_customer(await facts_queries.spends(reader, base))
        brought = await spend_snapshot.spends(reader, database, wanted, closed)
        full = await facts_queries.spends(reader, wanted)
        return by_customer(brought), by_customer(full), spend_snapshot.kept(database, wanted)
    finally:
        spend_snapshot.forget(database)
        await reader.close()


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    history=st.lists(steps, min_size=8, max_size=40),
    base_day=st.integers(0, 12),
    gap=st.integers(0, 10),
    window=st.integers(1, 14),
    open_days=st.integers(0, 3),
)
def test_a_snapshot_brought_forward_is_what_a_full_reading_gives(
    history: list[Step], base_day: int, gap: int, window: int, open_days: int
) -> None:
    directory = Path(tempfile.mkdtemp(prefix="kippu-crm-snap-"))
    books = CrmBooks(directory)
    try:
        play(books, history)
        gap = min(gap, window)  # a snapshot is brought at most a window's length forward
        base = Period(FIRST_DAY + timedelta(days=base_day), window, ZONE)
        wanted = Period(base.as_of + timedelta(days=gap), window, ZONE)
        # the last closed day: the day asked for, or up to three days before it (then the
        # snapshot is first brought to the closed day, kept, and from there to the day asked)
        closed = max(base.as_of, wanted.as_of - timedelta(days=open_days))
        brought, full, kept = asyncio.run(brought_and_full(books.path, base, wanted, closed))
        assert brought == full
        assert kept is not None and kept.period.as_of == closed
    finally:
        books.close()
        shutil.rmtree(directory, ignore_errors=True)


def test_which_day_is_kept_and_when_every_payment_is_read_again(tmp_path: Path) -> None:
    books = CrmBooks(tmp_path)
    try:
        for day in range(6):
            books.purchase("cu_a", 1_000 + day, tokyo(f"2026-06-{22 + day} 12:00"))
        asyncio.run(_which_day(books.path))
    finally:
        books.close()


async def _which_day(path: Path) -> None:
    database = f"days:{path}"
    reader = await open_read_only(path)
    try:

        def period(day: int, window: int = 30) -> Period:
            return Period(date(2026, 6, day), window, ZONE)

        async def spend(day: int, closed: int, window: int = 30) -> int:
            got = await spend_snapshot.spends(
                reader, database, period(day, window), date(2026, 6, closed)
            )
            return sum(s.window_yen for s in got)

        # today (the 27th) asked while the 26th is the last closed day: the 26th is kept
        assert await spend(27, closed=26) == 6_015
        assert kept_period(database, period(27)) == period(26)
        # an older day is read in full; the newer snapshot stays
        assert await spend(24, closed=26) == 3_003
        assert kept_period(database, period(27)) == period(26)
        # once a later day is closed the snapshot is brought to it and kept in its place
        assert await spend(27, closed=27) == 6_015
        assert kept_period(database, period(27)) == period(27)
        # a window of 2 days: a day more than 2 after the snapshot is read in full
        assert await spend(23, closed=23, window=2) == 2_001
        assert await spend(27, closed=23, window=2) == 2_009
        assert kept_period(database, period(27, 2)) == period(23, 2)
        # no more than MAX_WINDOWS windows are kept
        await spend(27, closed=26, window=7)
        assert spend_snapshot.kept(database, period(27)) is None
    finally:
        spend_snapshot.forget(database)
        await reader.close()


def test_a_day_is_closed_five_minutes_after_it_ends() -> None:
    just_after = tokyo("2026-06-27 00:04")
    later = tokyo("2026-06-27 00:05")
    assert spend_snapshot.closed_through(just_after, Period(FIRST_DAY, 1, ZONE)) == date(
        2026, 6, 25
    )
    assert spend_snapshot.closed_through(later, Period(FIRST_DAY, 1, ZONE)) == date(2026, 6, 26)
