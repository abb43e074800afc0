"""The writer unit of a payout run: the period checked against those paid, the use and what each
store owes back read again, the run, its lines and its stores' carries recorded and its one
journal entry booked, in one transaction (so two runs, or a run and a write-off, never both
spend one carry)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from node.campaigns import carry_tables, payout_queries, payout_tables
from node.campaigns.bank import BankAccount
from node.campaigns.carry_core import carries_of, store_runs
from node.campaigns.carry_operations import legacy_open
from node.campaigns.payout_core import (
    Payout,
    Period,
    payout_entry,
    payout_lines,
    store_totals,
    stores_to_pay,
    transfers,
)
from node.errors import PayoutPeriodOverlaps, StoreBankMissing
from node.ledger import tables as ledger_tables
from node.ledger.model import Outcome


@dataclass(frozen=True)
class PayoutRequest:
    payout_id: str
    txn_id: str
    period: Period
    transfer_day: date
    accounts: Mapping[str, BankAccount]  # read before, for every store the reader found to pay
    now: datetime
    actor: str


def record_payout(request: PayoutRequest) -> Callable[[sqlite3.Connection], Payout]:
    """The run, or the one recorded for exactly this period already (asking again shows it);
    PayoutPeriodOverlaps when another run's period shares a day with this one, LegacyCarryOpen
    while a legacy carry waits for the office's review."""

    def work(conn: sqlite3.Connection) -> Payout:
        period = request.period
        start, end = int(period.start.timestamp()), int(period.end.timestamp())
        earlier = payout_tables.overlapping(conn, start, end)
        if earlier is not None:
            if (earlier.first, earlier.last) == (period.first, period.last):
                return earlier
            raise PayoutPeriodOverlaps(
                f"{earlier.first} to {earlier.last} was paid already",
                paid_from=earlier.first.isoformat(),
                paid_to=earlier.last.isoformat(),
                payout_id=earlier.payout_id,
            )
        legacy_open(conn)
        rows = payout_queries.usage_in(conn, period)
        runs = store_runs(store_totals(rows), carries_of(carry_tables.sums_in(conn)))
        for store_id in stores_to_pay(runs):
            if store_id not in request.accounts:
                raise StoreBankMissing(
                    f"store {store_id} has no bank account on record", store_id=store_id
                )
        paid = transfers(runs, request.accounts)
        entry = payout_entry(request.txn_id, request.now, paid)
        if entry is not None:
            ledger_tables.save_outcome(conn, Outcome((), entry))
        payout = Payout(
            payout_id=request.payout_id,
            first=period.first,
            last=period.last,
            period_start=period.start,
            period_end=period.end,
            transfer_day=request.transfer_day,
            stores=len(paid),
            total_yen=sum(t.amount_yen for t in paid),
            txn_id=None if entry is None else entry.txn_id,
            created_at=request.now,
            actor=request.actor,
        )
        payout_tables.insert_payout(conn, payout, payout_lines(rows, paid))
        carry_tables.insert_runs(conn, payout.payout_id, runs)
        return payout

    return work
