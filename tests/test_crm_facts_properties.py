"""The analytics' reads (node/crm/facts_queries.py) on a real SQLite file driven by the ledger's
and the points' own writer operations at chosen moments: for random histories of vouchers bought
(some sold at the counter and handed over later, some cancelled), purchases recorded (some
returned) and redemptions (some voided), each customer's spend as of a day is what the history
says (the oracle is the test's own record of who paid what when, and what was undone when,
summed by facts.summarise), and no figure for that day changes when later activity is added."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from node.crm import facts_queries, kpi_queries, kpi_snapshot
from node.crm.facts import Payment, Period, summarise
from node.errors import KippuError
from node.ledger import core, operations
from node.ledger import queries as ledger_queries
from node.ledger.calendar import start_of_local_day
from node.points import operations as points_operations
from node.points import return_operations
from node.reads import open_read_only
from tests.compliance_books import SECRET, SETTINGS, STORE, ZONE, Books, tokyo
from tests.conftest import SeededRandomness

pytestmark = pytest.mark.node  # real SQLite files

START = tokyo("2026-03-01 09:00")
AS_OF = date(2026, 6, 30)
PERIOD = Period(AS_OF, 90, ZONE)
CUSTOMERS = ("cu_a", "cu_b", "cu_c")


@dataclass
class Paid:
    """The oracle's record of one payment."""

    customer_id: str | None
    at: datetime
    yen: int
    voucher_id: str | None = None
    txn_id: str | None = None
    held_from: datetime | None = None
    undone_at: datetime | None = None

    def counts(self, end: datetime) -> bool:
        return (
            self.customer_id is not None
            and self.at < end
            and self.held_from is not None
            and self.held_from < end
            and (self.undone_at is None or self.undone_at >= end)
        )


class CrmBooks(Books):
    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.rng = SeededRandomness(7)
        for customer_id in CUSTOMERS:
            self.run(
                operations.add_customer(
                    customer_id, customer_id, f"{customer_id}@example.jp", START
                )
            )

    def buy(self, customer_id: str | None, price: int, at: datetime) -> str:
        request = core.IssueRequest(
            self.number(), SECRET, price + 500, price, customer_id, STORE, None, self.next_id("tx_")
        )
        return self.run(operations.issue(request, SETTINGS, at, self.number)).voucher_id

    def hand_over(self, voucher_id: str, customer_id: str, at: datetime) -> bool:
        return self.run(operations.hand_over(voucher_id, customer_id, at)) is not None

    def purchase(self, customer_id: str, yen: int, at: datetime, txn_id: str | None = None) -> str:
        """A purchase recorded for points; `txn_id` redeem:<id> is the points a redemption at
        the counter earns (node/web/counter_points_redeem.py): a visit, not a payment."""
        txn_id = txn_id or self.next_id("pos_")

        def work(conn: Any) -> None:
            member = points_operations.ensure_member(conn, customer_id, at, self.rng)
            points_operations.earn(
                conn, member, yen, STORE, txn_id, (), "admin", at, ZONE, self.rng
            )

        self.run(work)
        return txn_id

    def return_purchase(self, txn_id: str, at: datetime) -> None:
        self.run(
            lambda conn: return_operations.return_purchase(conn, txn_id, "admin", at, self.rng)
        )

    def figures(self) -> tuple[Any, ...]:
        return asyncio.run(self._figures())

    async def _figures(self) -> tuple[Any, ...]:
        reader = await open_read_only(self.path)
        try:
            since = start_of_local_day(date(2026, 1, 1), ZONE)
            window = await kpi_snapshot.STORES.read(reader, PERIOD)
            return (
                sorted(await facts_queries.spends(reader, PERIOD), key=lambda s: s.customer_id),
                sorted(await kpi_queries.paid_months(reader, PERIOD, since, PERIOD.end)),
                await kpi_queries.members_before(reader, PERIOD.end),
                await kpi_queries.members_by_month(reader, PERIOD, since),
                kpi_snapshot.active_members(window, PERIOD),
                kpi_snapshot.store_figures(window, await kpi_queries.store_names(reader), PERIOD),
                await ledger_queries.voucher_liability_before(reader, PERIOD.end),
            )
        finally:
            await reader.close()


@dataclass(frozen=True)
class Step:
    after_minutes: int
    action: str
    who: int
    pick: int
    yen: int


steps = st.builds(
    Step,
    after_minutes=st.one_of(st.integers(1, 180), st.integers(1, 60 * 24 * 4)),
    action=st.sampled_from(
        [
            "buy",
            "buy",
            "sell_at_counter",
            "hand_over",
            "cancel",
            "purchase",
            "purchase",
            "return",
            "redeem",
            "redeem_with_points",
            "void",
            "register",
        ]
    ),
    who=st.integers(0, len(CUSTOMERS) - 1),
    pick=st.integers(0, 1_000),
    yen=st.integers(1, 30_000),
)


def apply(books: CrmBooks, paid: list[Paid], redeemed: list[str], step: Step, at: datetime) -> None:
    """One step; a refusal (a sale too late to cancel, a used voucher) changes nothing."""
    customer = CUSTOMERS[step.who]
    vouchers = [p for p in paid if p.voucher_id is not None]
    try:
        if step.action == "buy":
            paid.append(
                Paid(customer, at, step.yen, books.buy(customer, step.yen, at), held_from=at)
            )
        elif step.action == "sell_at_counter":
            paid.append(Paid(None, at, step.yen, books.sell_at_counter(step.yen, at)))
        elif step.action == "hand_over" and vouchers:
            target = vouchers[step.pick % len(vouchers)]
            assert target.voucher_id is not None
            if books.hand_over(target.voucher_id, customer, at) and target.customer_id is None:
                target.customer_id, target.held_from = customer, at
        elif step.action == "cancel" and vouchers:
            target = vouchers[step.pick % len(vouchers)]
            assert target.voucher_id is not None
            books.cancel_sale(target.voucher_id, at)
            target.undone_at = at
        elif step.action == "purchase":
            paid.append(
                Paid(
                    customer,
                    at,
                    step.yen,
                    txn_id=books.purchase(customer, step.yen, at),
                    held_from=at,
                )
            )
        elif step.action == "return":
            purchases = [p for p in paid if p.txn_id is not None and p.undone_at is None]
            if purchases:
                target = purchases[step.pick % len(purchases)]
                assert target.txn_id is not None
                books.return_purchase(target.txn_id, at)
                target.undone_at = at
        elif step.action == "redeem" and vouchers:
            target = vouchers[step.pick % len(vouchers)]
            assert target.voucher_id is not None
            redeemed.append(books.redeem(target.voucher_id, 1 + step.yen % 500, at))
        elif step.action == "redeem_with_points" and [v for v in vouchers if v.customer_id]:
            held = [v for v in vouchers if v.customer_id]
            target = held[step.pick % len(held)]
            assert target.voucher_id is not None and target.customer_id is not None
            redemption = books.redeem(target.voucher_id, 1 + step.yen % 500, at)
            books.purchase(target.customer_id, 1 + step.yen % 500, at, f"redeem:{redemption}")
            redeemed.append(redemption)
        elif step.action == "void" and redeemed:
            books.void(redeemed[step.pick % len(redeemed)], at)
        elif step.action == "register":
            books.run(operations.add_customer(books.next_id("cu_"), "新規", None, at))
    except KippuError:
        pass


def figures_as_the_history_says(books: CrmBooks, paid: list[Paid]) -> tuple[Any, ...]:
    """The figures for the day now, their spends checked against the test's own record."""
    figures = books.figures()
    oracle = [
        Payment(p.customer_id or "", p.at, p.yen, STORE) for p in paid if p.counts(PERIOD.end)
    ]
    assert figures[0] == summarise(oracle, PERIOD)
    return figures


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(history=st.lists(steps, min_size=8, max_size=40))
def test_spend_as_of_a_day_is_the_history_and_later_activity_changes_no_figure(
    history: list[Step],
) -> None:
    directory = Path(tempfile.mkdtemp(prefix="kippu-crm-prop-"))
    books = CrmBooks(directory)
    try:
        paid: list[Paid] = []
        redeemed: list[str] = []
        at = tokyo("2026-06-22 09:00")  # the history runs on past the end of the day
        figures = None
        for step in history:
            at += timedelta(minutes=step.after_minutes)
            if at >= PERIOD.end and figures is None:
                figures = figures_as_the_history_says(books, paid)
            apply(books, paid, redeemed, step, at)
        if figures is None:
            figures = figures_as_the_history_says(books, paid)
        assert books.figures() == figures
    finally:
        books.close()
        shutil.rmtree(directory, ignore_errors=True)
