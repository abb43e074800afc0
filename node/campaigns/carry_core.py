"""Carry-forward of store payouts (繰越): a store whose net for a period is below what it owes
back is transferred nothing and owes the rest to its next runs. Pure: no I/O.

A void of a coupon redeemed in a period already paid makes the store's net negative in the
period of the void: the store was paid for a use that did not stand. Rather than leave it to be
settled by hand, each run nets the store's period against what it owes back (`carry_in`):
what is left above zero is transferred, what is left below is carried (`carry_out`). So over
any history, for each store:

    transferred - owed back now - written off - repaid == net use of the paid periods

and nothing negative is ever transferred. The ledger needs no entry of its own for a carry: the
void already debited the store's revenue account, and the next transfer debits it only by what
is paid. Besides a run, two records clear a carry, each credits the store's revenue account:
the office forgoing it (a store that left: a write-off, against the office's write-off
expense) and the store paying it back (cash or a transfer to the office: against cash:hq).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from node.ledger.core import journal_entry
from node.ledger.model import EntryKind, JournalEntry, cash_account, revenue_account

WRITE_OFF_ACCOUNT = "payout_write_off_expense"  # what the office forgave stores that owed back
MAX_REASON_CHARS = 500
WRITE_OFF, REPAID = "write_off", "repaid"  # the kinds of record that clear a carry besides a run
CLEARING_KINDS = (WRITE_OFF, REPAID)


@dataclass(frozen=True)
class CarrySums:
    """One store's sums over its runs and the records that cleared its carry."""

    transferred_yen: int = 0
    net_yen: int = 0
    written_off_yen: int = 0
    repaid_yen: int = 0

    @property
    def owed_yen(self) -> int:
        """What the store owes back now (the identity above)."""
        return outstanding(
            self.transferred_yen, self.net_yen, self.written_off_yen, self.repaid_yen
        )


@dataclass(frozen=True)
class StoreRun:
    """One store in one run: its net for the period, what it owed back before, what the run
    transferred and what it still owes back after."""

    store_id: str
    net_yen: int
    carry_in_yen: int
    transferred_yen: int
    carry_out_yen: int


def settle_store(store_id: str, net_yen: int, carry_in_yen: int) -> StoreRun:
    """The period's net less what the store owes back: transferred if above zero, else carried."""
    due = net_yen - carry_in_yen
    return StoreRun(store_id, net_yen, carry_in_yen, max(due, 0), max(-due, 0))


def store_runs(totals: Mapping[str, int], carries: Mapping[str, int]) -> list[StoreRun]:
    """Each store with use in the period, by id, netted against what it owes back."""
    return [settle_store(store, totals[store], carries.get(store, 0)) for store in sorted(totals)]


def outstanding(transferred_yen: int, net_yen: int, written_off_yen: int, repaid_yen: int) -> int:
    """What a store owes back now, from its runs' sums, its write-offs and its repayments."""
    return transferred_yen - net_yen - written_off_yen - repaid_yen


def carries_of(sums: Mapping[str, CarrySums]) -> dict[str, int]:
    """What each store owes back, from its sums; only amounts above zero (a store that owes
    nothing is left out, and a sum below zero, which no run or record can make, is never netted:
    the store's books report it as not reconciled)."""
    return {store: s.owed_yen for store, s in sums.items() if s.owed_yen > 0}


def clearing_entry(
    kind: str, txn_id: str, now: datetime, store_id: str, amount_yen: int
) -> JournalEntry:
    """`amount_yen` the store owes back cleared: its revenue account is credited (brought back
    to what its unpaid use says) against the office's write-off expense (the office forgoes it)
    or head office's cash (the store paid it back). Kind settlement: like a payout, a debt with
    the store closed, no redemption undone."""
    debited = WRITE_OFF_ACCOUNT if kind == WRITE_OFF else cash_account(None)
    return journal_entry(
        txn_id,
        EntryKind.SETTLEMENT,
        now,
        (debited, amount_yen),
        (revenue_account(store_id), -amount_yen),
    )


@dataclass(frozen=True)
class StoreBooks:
    """One store's payout figures beside its revenue account, for the reconciliation."""

    store_id: str
    store_name: str
    run_net_yen: int  # net use in the paid periods, from the runs
    transferred_yen: int  # from the runs
    written_off_yen: int  # from the write-offs
    repaid_yen: int  # from the repayments
    carry_yen: int  # owed back now
    unpaid_use_yen: int  # net use outside every paid period, from the redemptions
    ledger_paid_yen: int  # the runs', write-offs' and repayments' net debits on revenue:<store>
    ledger_balance_yen: int  # the credit balance of revenue:<store> from campaign coupons


def store_reconciliation(books: StoreBooks) -> dict[str, object]:
    """A store's identities against its revenue account: the ledger's payouts and write-offs on
    it are what the runs transferred less what was written off or repaid, and its balance is the use not
    paid yet less what the store owes back (the carry the runs left, never below zero)."""
    ledger_holds = (
        books.ledger_paid_yen == books.transferred_yen - books.written_off_yen - books.repaid_yen
        and books.ledger_balance_yen == books.unpaid_use_yen - books.carry_yen
    )
    return {
        "store_id": books.store_id,
        "store_name": books.store_name,
        "run_net_yen": books.run_net_yen,
        "transferred_yen": books.transferred_yen,
        "written_off_yen": books.written_off_yen,
        "repaid_yen": books.repaid_yen,
        "carry_yen": books.carry_yen,
        "unpaid_use_yen": books.unpaid_use_yen,
        "ledger_paid_yen": books.ledger_paid_yen,
        "ledger_balance_yen": books.ledger_balance_yen,
        "reconciled": ledger_holds and books.carry_yen >= 0,
    }


@dataclass(frozen=True)
class WriteOff:
    """A recorded write-off (`kind` WRITE_OFF) or repayment (REPAID) of what a store owed back."""

    write_off_id: str
    kind: str
    store_id: str
    amount_yen: int
    reason: str
    txn_id: str
    created_at: datetime
    actor: str
