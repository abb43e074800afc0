"""What a payout run for a period would pay, shown to the office before it confirms: the period's
use by store, campaign and store class, each store's total, what it owes back from earlier runs
and what would be transferred, whether it has an account, and
every reason the run would be refused (each the error the run itself raises, collected rather
than raised, so the office sees them all at once beside the form). Nothing is written; the run
(payout_actions.run_payout) checks everything again when it is confirmed.

Also every store with its account, for the console's list of stores' bank accounts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from node.campaigns import bank_tables, carry_actions, payout_tables
from node.campaigns.payout_actions import office_requester, period_runs, transfer_day_of
from node.campaigns.payout_core import Period, payee_lines, period_of, stores_to_pay, transfers
from node.campaigns.store_classes import store_classes
from node.campaigns.zengin import build_transfer_file
from node.errors import (
    KippuError,
    LegacyCarryOpen,
    PayoutPeriodNotOver,
    PayoutPeriodOverlaps,
    StoreBankMissing,
)
from node.runtime import Node


def _period(node: Node, first: str, last: str, refusals: list[KippuError]) -> Period:
    """The period; one not over yet is still read (its use so far), its refusal noted."""
    zone = node.config.zone
    try:
        return period_of(first, last, zone, node.clock.now())
    except PayoutPeriodNotOver as exc:
        refusals.append(exc)
        after = datetime.combine(date.fromisoformat(last) + timedelta(days=1), time(12), zone)
        return period_of(first, last, zone, after)


async def _overlap(node: Node, period: Period) -> KippuError | None:
    """The run whose period shares a day with this one (exactly the same period is not a
    refusal: confirming shows that run again)."""
    for earlier in await payout_tables.payouts(node.require_reader()):
        if (earlier.first, earlier.last) == (period.first, period.last):
            return None
        if earlier.first <= period.last and period.first <= earlier.last:
            return PayoutPeriodOverlaps(
                paid_from=earlier.first.isoformat(),
                paid_to=earlier.last.isoformat(),
                payout_id=earlier.payout_id,
            )
    return None


async def preview_payout(
    node: Node, first: str, last: str, transfer_date: str | None
) -> dict[str, Any]:
    """The period's use and totals, with `refusals`: the errors a run would raise now, empty
    when it can be confirmed. Days that are not days are raised, as the run raises them."""
    refusals: list[KippuError] = []
    period = _period(node, first, last, refusals)
    today = node.clock.now().astimezone(node.config.zone).date()
    transfer_day = transfer_day_of(transfer_date or None, today)
    overlap = await _overlap(node, period)
    if overlap is not None:
        refusals.append(overlap)
    legacy = await carry_actions.open_legacy(node)
    if legacy:
        refusals.append(LegacyCarryOpen(store_ids=", ".join(legacy)))
    rows, runs = await period_runs(node, period)
    accounts = await bank_tables.accounts_of(node.require_reader(), [r.store_id for r in runs])
    names = {row.store_id: row.store_name for row in rows}
    to_pay = stores_to_pay(runs)
    missing = [store for store in to_pay if store not in accounts]
    refusals.extend(StoreBankMissing(store_id=s, store_name=names[s]) for s in missing)
    try:
        requester = office_requester(node.config.campaign_payout)
        if not missing:
            build_transfer_file(requester, transfer_day, payee_lines(transfers(runs, accounts)))
    except KippuError as exc:
        if not exc.is_actionable:
            raise
        store_id = exc.details.get("store_id")
        if isinstance(store_id, str) and store_id in names:
            exc.details["store_name"] = names[store_id]
        refusals.append(exc)
    return {
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        "transfer_date": transfer_day.isoformat(),
        "lines": [
            {
                "store_id": row.store_id,
                "store_name": row.store_name,
                "campaign_id": row.campaign_id,
                "campaign_name": row.campaign_name,
                "store_class": row.store_class,
                "uses": row.uses,
                "amount_yen": row.amount_yen,
                "has_account": row.store_id in accounts,
            }
            for row in rows
        ],
        "stores": [
            {
                "store_id": run.store_id,
                "store_name": names[run.store_id],
                "total_yen": run.net_yen,
                "carry_in_yen": run.carry_in_yen,
                "transfer_yen": run.transferred_yen,
                "carry_out_yen": run.carry_out_yen,
                "has_account": run.store_id in accounts,
                "paid": run.transferred_yen > 0,
            }
            for run in runs
        ],
        "total_yen": sum(run.transferred_yen for run in runs),
        "refusals": refusals,
    }


async def store_banks(node: Node) -> dict[str, Any]:
    """Every store, in the order they were added, with its account (None: not set)."""
    stores = (await store_classes(node))["stores"]
    accounts = await bank_tables.accounts_of(node.require_reader(), [s["store_id"] for s in stores])
    return {
        "stores": [
            {
                "store_id": s["store_id"],
                "name": s["name"],
                "account": accounts[s["store_id"]].to_json() if s["store_id"] in accounts else None,
            }
            for s in stores
        ]
    }
