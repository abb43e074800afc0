"""Use cases of store payouts, taking `Node`: what the admin API and the CLI share.

A run is checked whole before anything is written: the office's account (config
[campaigns.payout]), every store to pay has an account, every name converts, every amount fits
the transfer file; then one writer unit records it with its journal entry, each store's period
netted against what it owes back from earlier runs (carry_core). Its usage CSV and its 全銀 file
are made again from what was recorded, so asking twice gives the same bytes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from node.campaigns import (
    bank_actions,
    carry_actions,
    carry_tables,
    payout_queries,
    payout_tables,
    queries,
)
from node.campaigns.bank import (
    AccountType,
    BankAccount,
    check_account_number,
    check_bank_code,
    check_branch_code,
)
from node.campaigns.carry_core import StoreRun, carries_of, store_runs
from node.campaigns.kana import to_zengin_kana
from node.campaigns.payout_core import (
    CampaignBooks,
    Payout,
    PayoutLine,
    Period,
    Transfer,
    UsageRow,
    apportion,
    cash_by_campaign,
    payee_lines,
    period_of,
    reconciliation,
    store_totals,
    stores_to_pay,
    transfers,
    transfers_of,
    usage_csv,
)
from node.campaigns.payout_operations import PayoutRequest, record_payout
from node.campaigns.zengin import Requester, build_transfer_file, read_zengin
from node.clock import iso, ordered_id
from node.config import CampaignPayoutConfig
from node.errors import (
    BadAccountType,
    BadPayoutPeriod,
    PayoutNotFound,
    RequesterNotSet,
    StoreMismatch,
)
from node.runtime import Node


def office_requester(config: CampaignPayoutConfig) -> Requester:
    """The office (振込依頼人) from [campaigns.payout], its codes checked against the bank-code
    list and its name written half-width."""
    if not config.is_set:
        raise RequesterNotSet("[campaigns.payout] in config.toml is not set")
    bank = check_bank_code(config.bank)
    try:
        kind = AccountType(config.account_type)
    except ValueError:
        raise BadAccountType(field="account_type") from None
    name = to_zengin_kana(config.requester_name_kana, field="requester_name_kana")
    account = BankAccount(
        bank,
        check_branch_code(bank, config.branch),
        kind,
        check_account_number(config.account_number),
        name,
    )
    return Requester(config.requester_code, name, account)


def transfer_day_of(text: str | None, today: date) -> date:
    """The 振込指定日 typed, today or later; none typed: tomorrow."""
    if text is None:
        return today + timedelta(days=1)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise BadPayoutPeriod(f"{text!r} is not a day", field="transfer_date") from None
    if len(text) != 10 or day < today:
        raise BadPayoutPeriod(f"{text} is not today or later", field="transfer_date")
    return day


async def run_payout(
    node: Node, first: str, last: str, transfer_date: str | None, actor: str
) -> dict[str, Any]:
    """Record the payout of a period that is over (or show the one recorded for exactly that
    period), after checking that its transfer file can be made."""
    now = node.clock.now()
    period = period_of(first, last, node.config.zone, now)
    transfer_day = transfer_day_of(transfer_date, now.astimezone(node.config.zone).date())
    requester = office_requester(node.config.campaign_payout)
    _, runs = await period_runs(node, period)
    accounts = await bank_actions.accounts_to_pay(node, stores_to_pay(runs))
    build_transfer_file(requester, transfer_day, payee_lines(transfers(runs, accounts)))
    request = PayoutRequest(
        payout_id=ordered_id(now, node.rng, "po"),
        txn_id=ordered_id(now, node.rng, "tx"),
        period=period,
        transfer_day=transfer_day,
        accounts=accounts,
        now=now,
        actor=actor,
    )
    payout = await node.require_writer().submit(record_payout(request))
    return await _answer(node, payout)


async def period_runs(node: Node, period: Period) -> tuple[list[UsageRow], list[StoreRun]]:
    """The period's use and each store's run as the reader sees it now (the writer reads both
    again when it records the run)."""
    reader = node.require_reader()
    rows = await payout_queries.usage(reader, period)
    carries = carries_of(await carry_tables.sums(reader))
    return rows, store_runs(store_totals(rows), carries)


async def require_payout(node: Node, payout_id: str) -> tuple[Payout, list[PayoutLine]]:
    reader = node.require_reader()
    payout = await payout_tables.payout(reader, payout_id)
    if payout is None:
        raise PayoutNotFound(f"no payout {payout_id}")
    return payout, await payout_tables.lines_of(reader, payout_id)


async def show_payout(node: Node, payout_id: str) -> dict[str, Any]:
    payout, _ = await require_payout(node, payout_id)
    return await _answer(node, payout)


async def list_payouts(node: Node) -> dict[str, Any]:
    found = await payout_tables.payouts(node.require_reader())
    return {"payouts": [_summary(p) for p in found]}


def _summary(payout: Payout) -> dict[str, Any]:
    return {
        "payout_id": payout.payout_id,
        "from": payout.first.isoformat(),
        "to": payout.last.isoformat(),
        "transfer_date": payout.transfer_day.isoformat(),
        "stores": payout.stores,
        "total_yen": payout.total_yen,
        "txn_id": payout.txn_id,
        "created_at": iso(payout.created_at),
        "actor": payout.actor,
    }


def run_stores(runs: Sequence[StoreRun], names: dict[str, str]) -> list[dict[str, Any]]:
    """Each store of a run: its net, what it owed back, what was transferred, what it still owes."""
    return [
        {
            "store_id": run.store_id,
            "store_name": names.get(run.store_id, ""),
            "net_yen": run.net_yen,
            "carry_in_yen": run.carry_in_yen,
            "transferred_yen": run.transferred_yen,
            "carry_out_yen": run.carry_out_yen,
        }
        for run in runs
    ]


async def _answer(node: Node, payout: Payout) -> dict[str, Any]:
    reader = node.require_reader()
    lines = await payout_tables.lines_of(reader, payout.payout_id)
    runs = await carry_tables.runs_of(reader, payout.payout_id)
    names = {line.usage.store_id: line.usage.store_name for line in lines}
    sent = {run.store_id: run.transferred_yen for run in runs}
    use: dict[str, dict[tuple[str, str], int]] = {}
    for line in lines:
        key = (line.usage.campaign_id, line.usage.store_class)
        use.setdefault(line.usage.store_id, {})[key] = line.usage.amount_yen
    cash = {store: apportion(found, sent.get(store, 0)) for store, found in use.items()}
    return {
        **_summary(payout),
        "by_store": run_stores(runs, names),
        "lines": [
            {
                "store_id": line.usage.store_id,
                "store_name": line.usage.store_name,
                "campaign_id": line.usage.campaign_id,
                "store_class": line.usage.store_class,
                "uses": line.usage.uses,
                "amount_yen": line.usage.amount_yen,
                "transferred": line.transferred,
                "cash_yen": cash[line.usage.store_id].get(
                    (line.usage.campaign_id, line.usage.store_class), 0
                ),
            }
            for line in lines
        ],
    }


async def payout_csv(node: Node, payout_id: str) -> str:
    """The run's use by store, campaign and store class, as CSV."""
    _, lines = await require_payout(node, payout_id)
    runs = await carry_tables.runs_of(node.require_reader(), payout_id)
    return usage_csv([line.usage for line in lines], runs)


async def payout_file(node: Node, payout_id: str) -> bytes:
    """The run's 全銀 総合振込 file, from what was recorded (the stores' accounts as they were)."""
    payout, lines = await require_payout(node, payout_id)
    requester = office_requester(node.config.campaign_payout)
    paid = transfers_of(lines, await carry_tables.runs_of(node.require_reader(), payout_id))
    content = build_transfer_file(requester, payout.transfer_day, payee_lines(paid))
    check_file(payout, paid, content)
    return content


def check_file(payout: Payout, paid: Sequence[Transfer], content: bytes) -> None:
    """Read the file back field by field before it leaves the node: its data records must be
    the run's transfers and its trailer the run's count and total (a bug otherwise: logged)."""
    read = read_zengin(content)
    written = [(r["bank_code"], r["account_number"], int(r["amount"])) for r in read.data]
    expected = [(t.account.bank_code, t.account.account_number, t.amount_yen) for t in paid]
    if (
        written != expected
        or int(read.trailer["count"]) != payout.stores
        or int(read.trailer["total"]) != payout.total_yen
    ):
        raise StoreMismatch(f"the transfer file of {payout.payout_id} differs from its run")


async def reconcile(node: Node) -> dict[str, Any]:
    """Every campaign's books: the ledger's sums beside the campaign's count and the payouts
    (what the runs sent, apportioned to campaigns, adds up to the runs' totals: `cash_holds`);
    and every store's: what it was transferred, owes back and had written off, beside its
    revenue account."""
    reader = node.require_reader()
    use = await payout_tables.use_by_run(reader)
    sent = cash_by_campaign(use, await carry_tables.transferred_by_run(reader))
    settled: dict[str, int] = {}
    for lines in use.values():
        for (campaign_id, _), yen in lines.items():
            settled[campaign_id] = settled.get(campaign_id, 0) + yen
    outside = await payout_queries.unpaid_periods(reader)
    answers = []
    for campaign in sorted(await queries.campaigns(reader), key=lambda c: c.campaign_id):
        sums = await queries.ledger_sums(reader, campaign.campaign_id)
        books = CampaignBooks(
            campaign_id=campaign.campaign_id,
            budget_yen=campaign.budget_yen,
            granted_yen=campaign.granted_yen,
            ledger_granted_yen=sums.granted_yen,
            used_yen=sums.used_yen,
            lapsed_yen=sums.lapsed_yen,
            outstanding_yen=sums.outstanding_yen,
            settled_yen=settled.get(campaign.campaign_id, 0),
            paid_yen=sent.get(campaign.campaign_id, 0),
            unpaid_periods_yen=outside.get(campaign.campaign_id, 0),
        )
        answers.append(reconciliation(books))
    stores = await carry_actions.store_books(node)
    cash_sent = sum(p.total_yen for p in await payout_tables.payouts(reader))
    cash_holds = sum(sent.values()) == cash_sent
    return {
        "campaigns": answers,
        "stores": stores,
        "cash_sent_yen": cash_sent,
        "cash_holds": cash_holds,
        "reconciled": cash_holds and all(a["reconciled"] for a in [*answers, *stores]),
    }
