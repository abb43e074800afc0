"""Store payouts (精算): what a period's use of campaign coupons owes each store, the journal
entry that pays it, the usage CSV and the reconciliation's identities. Pure: no I/O.

A store is owed what campaign coupons paid for at its counter: the ledger credited its revenue
account (`revenue:<store_id>`) at each redemption and debited it back at a void. A payout run
takes a period of whole local days that is over, sums each store's use in it (by campaign and
store class, net of voids: a void counts in the period it happened), and transfers each store
its net less what it owes back from earlier runs if that is above zero (node/campaigns/
carry_core.py: a store whose net is below what it owes, through voids of coupons paid in an
earlier run, is transferred nothing and carries the rest to its next runs); one balanced entry
books the run: Dr `revenue:<store>` for each store paid, Cr `cash:hq` for the total (kind
`settlement`: a debt cleared through the bank).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from node.campaigns.bank import BankAccount
from node.campaigns.carry_core import StoreRun
from node.campaigns.zengin import PayeeLine
from node.errors import BadPayoutPeriod, PayoutPeriodNotOver
from node.ledger.core import journal_entry
from node.ledger.model import EntryKind, JournalEntry, cash_account, revenue_account

CSV_HEADER = (
    "store_id",
    "store_name",
    "campaign_id",
    "campaign_name",
    "store_class",
    "uses",
    "amount_yen",
    "line",
)
# The kinds of CSV line: a store's use (by campaign and class), then what it owed back from
# earlier runs (as minus), what was transferred and what it still owes back after the run.
USE, CARRIED_IN, TRANSFERRED, CARRIED_FORWARD = (
    "use",
    "carried_in",
    "transferred",
    "carried_forward",
)


@dataclass(frozen=True)
class Period:
    """Whole local days, `first` to `last`; `start` inclusive and `end` exclusive in UTC."""

    first: date
    last: date
    start: datetime
    end: datetime


@dataclass(frozen=True)
class UsageRow:
    """One store's use of one campaign's coupons of one class in a period, net of voids."""

    store_id: str
    store_name: str
    campaign_id: str
    campaign_name: str
    store_class: str
    uses: int
    amount_yen: int


@dataclass(frozen=True)
class Transfer:
    """One store's transfer in a run: its net for the period and the account it goes to."""

    line_no: int
    store_id: str
    amount_yen: int
    account: BankAccount


def period_of(first_text: str, last_text: str, zone: ZoneInfo, now: datetime) -> Period:
    """The period from two ISO days; refused unless both are days, in order, and the last one
    is before today (a period still running could yet change)."""
    try:
        first, last = date.fromisoformat(first_text), date.fromisoformat(last_text)
    except (TypeError, ValueError):
        raise BadPayoutPeriod(
            f"{first_text!r} to {last_text!r} are not two days (YYYY-MM-DD)", field="from"
        ) from None
    if len(first_text) != 10 or len(last_text) != 10 or first > last:
        raise BadPayoutPeriod(f"{first_text} is after {last_text}", field="from")
    if last >= now.astimezone(zone).date():
        raise PayoutPeriodNotOver(f"{last} is not over yet", to_day=last.isoformat())
    start = datetime.combine(first, time.min, zone)
    end = datetime.combine(last + timedelta(days=1), time.min, zone)
    return Period(first, last, start, end)


def store_totals(rows: Iterable[UsageRow]) -> dict[str, int]:
    """Each store's net for the period, over its campaigns and classes."""
    totals: dict[str, int] = {}
    for row in rows:
        totals[row.store_id] = totals.get(row.store_id, 0) + row.amount_yen
    return totals


def stores_to_pay(runs: Iterable[StoreRun]) -> list[str]:
    """The stores the run transfers to (net above what they owe back), by id."""
    return sorted(run.store_id for run in runs if run.transferred_yen > 0)


def transfers(runs: Sequence[StoreRun], accounts: Mapping[str, BankAccount]) -> list[Transfer]:
    """One transfer per store to pay, of its net less its carry, numbered from 1 in store id
    order (顧客コード1)."""
    paid = sorted((run for run in runs if run.transferred_yen > 0), key=lambda r: r.store_id)
    return [
        Transfer(n, run.store_id, run.transferred_yen, accounts[run.store_id])
        for n, run in enumerate(paid, start=1)
    ]


def payee_lines(paid: Iterable[Transfer]) -> list[PayeeLine]:
    return [PayeeLine(t.store_id, t.account, t.amount_yen, str(t.line_no)) for t in paid]


def payout_entry(txn_id: str, now: datetime, paid: Sequence[Transfer]) -> JournalEntry | None:
    """The run's one entry: each paid store's revenue debited, head office's cash credited by
    the total; None when no store is paid."""
    if not paid:
        return None
    total = sum(t.amount_yen for t in paid)
    lines = [(revenue_account(t.store_id), t.amount_yen) for t in paid]
    return journal_entry(txn_id, EntryKind.SETTLEMENT, now, *lines, (cash_account(None), -total))


def usage_csv(rows: Sequence[UsageRow], runs: Sequence[StoreRun]) -> str:
    """The usage as CSV (UTF-8 with BOM, which spreadsheet programs in Japan expect; CRLF): each
    store's use lines, then, when it owed back, that carry as minus; the yen transferred; and
    what it still owes back, if anything. A store's use and carried_in lines add up to its
    transferred less its carried_forward."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    by_store = {run.store_id: run for run in runs}
    for store_id in sorted({row.store_id for row in rows} | set(by_store)):
        used = [row for row in rows if row.store_id == store_id]
        for row in used:
            writer.writerow(
                (
                    row.store_id,
                    row.store_name,
                    row.campaign_id,
                    row.campaign_name,
                    row.store_class,
                    row.uses,
                    row.amount_yen,
                    USE,
                )
            )
        run = by_store.get(store_id)
        if run is None:
            continue
        name = used[0].store_name if used else ""
        for kind, amount in (
            (CARRIED_IN, -run.carry_in_yen),
            (TRANSFERRED, run.transferred_yen),
            (CARRIED_FORWARD, run.carry_out_yen),
        ):
            if amount or kind == TRANSFERRED:
                writer.writerow((store_id, name, "", "", "", "", amount, kind))
    return "\ufeff" + out.getvalue()


LineKey = tuple[str, str]  # (campaign_id, store_class): one line of a store in a run


def apportion(use: Mapping[LineKey, int], transferred_yen: int) -> dict[LineKey, int]:
    """A store's transfer in one run shared among the lines its use came from, for the
    per-campaign figures: in proportion to each line's use above zero (a line below zero, a
    void, is sent nothing), whole yen by largest remainder, ties by key. Each line gets at most
    its use, since a run transfers at most the store's net (carry_core.settle_store)."""
    positive = {key: yen for key, yen in use.items() if yen > 0}
    total = sum(positive.values())
    if transferred_yen <= 0 or total <= 0:
        return {}
    shares = {key: transferred_yen * yen // total for key, yen in positive.items()}
    left = transferred_yen - sum(shares.values())
    by_remainder = sorted(
        positive, key=lambda key: (-(transferred_yen * positive[key] % total), key)
    )
    for key in by_remainder[:left]:
        shares[key] += 1
    return shares


def cash_by_campaign(
    use: Mapping[tuple[str, str], Mapping[LineKey, int]], transferred: Mapping[tuple[str, str], int]
) -> dict[str, int]:
    """Per campaign, the yen the payouts sent for its use: each (run, store)'s transfer
    apportioned to its lines. Summed over campaigns it is what the runs sent (cash:hq)."""
    sent: dict[str, int] = {}
    for run_store, lines in use.items():
        for (campaign_id, _), yen in apportion(lines, transferred.get(run_store, 0)).items():
            sent[campaign_id] = sent.get(campaign_id, 0) + yen
    return sent


@dataclass(frozen=True)
class CampaignBooks:
    """One campaign's figures from the ledger and from the payouts, for the reconciliation."""

    campaign_id: str
    budget_yen: int | None
    granted_yen: int  # the campaign's own count
    ledger_granted_yen: int  # face issued, from the journal
    used_yen: int  # redeemed at stores net of voids, from the journal
    lapsed_yen: int
    outstanding_yen: int
    settled_yen: int  # net use counted by the payout runs (the paid periods)
    paid_yen: int  # the yen the runs sent for it (apportion): the cash that left cash:hq
    unpaid_periods_yen: int  # used outside every paid period (from the redemptions)


def reconciliation(books: CampaignBooks) -> dict[str, object]:
    """The identities, each with its figures: budget = granted + remaining; granted = used +
    lapsed + outstanding; settled + unpaid periods = used. Of what was settled, `paid_yen` was
    sent to stores and `netted_yen` was not: deducted from what stores owed back from earlier
    runs, or carried (a void, below zero). `unpaid_yen` is netted plus the unpaid periods, so
    paid + unpaid = used. `reconciled` is all of them holding."""
    remaining = None if books.budget_yen is None else books.budget_yen - books.granted_yen
    netted = books.settled_yen - books.paid_yen
    unpaid = netted + books.unpaid_periods_yen
    granted_holds = (
        books.granted_yen
        == books.ledger_granted_yen
        == (books.used_yen + books.lapsed_yen + books.outstanding_yen)
    )
    paid_holds = books.settled_yen + books.unpaid_periods_yen == books.used_yen
    return {
        "campaign_id": books.campaign_id,
        "budget_yen": books.budget_yen,
        "granted_yen": books.granted_yen,
        "remaining_yen": remaining,
        "used_yen": books.used_yen,
        "lapsed_yen": books.lapsed_yen,
        "outstanding_yen": books.outstanding_yen,
        "settled_yen": books.settled_yen,
        "paid_yen": books.paid_yen,
        "netted_yen": netted,
        "unpaid_yen": unpaid,
        "unpaid_periods_yen": books.unpaid_periods_yen,
        "budget_holds": remaining is None or remaining >= 0,
        "granted_holds": granted_holds,
        "paid_holds": paid_holds,
        "reconciled": granted_holds and paid_holds and (remaining is None or remaining >= 0),
    }


@dataclass(frozen=True)
class Payout:
    """A recorded payout run."""

    payout_id: str
    first: date
    last: date
    period_start: datetime
    period_end: datetime
    transfer_day: date
    stores: int
    total_yen: int
    txn_id: str | None
    created_at: datetime
    actor: str


@dataclass(frozen=True)
class PayoutLine:
    """What a run found for one store, campaign and class, and whether the store was paid (to
    the account it had then)."""

    usage: UsageRow
    transferred: bool
    account: BankAccount | None


def payout_lines(rows: Sequence[UsageRow], paid: Sequence[Transfer]) -> list[PayoutLine]:
    accounts = {t.store_id: t.account for t in paid}
    return [PayoutLine(row, row.store_id in accounts, accounts.get(row.store_id)) for row in rows]


def transfers_of(lines: Sequence[PayoutLine], runs: Sequence[StoreRun]) -> list[Transfer]:
    """A recorded run's transfers again: the amounts from its stores' rows, each account as its
    lines recorded it (the file is made from these)."""
    accounts = {
        line.usage.store_id: line.account
        for line in lines
        if line.transferred and line.account is not None
    }
    return transfers([run for run in runs if run.store_id in accounts], accounts)
