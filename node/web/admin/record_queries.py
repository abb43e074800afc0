"""The console's voucher detail: the ledger's history of a voucher joined with the redemption,
partner claim or gift each line records (the SQL is in the ledger's and settlement's read modules)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from node.ledger import queries as ledger_queries
from node.ledger import record_queries as ledger_records
from node.ledger.model import Customer, Voucher
from node.reads import Reader
from node.settlement import queries as settlement_queries
from node.settlement.queries import PartnerRedemption


@dataclass(frozen=True)
class HistoryEntry:
    """One journal line that moved the voucher's balance, with what it refers to."""

    txn_id: str
    kind: str
    created_at: datetime
    amount_yen: int  # the change of the balance: positive adds value, negative spends it
    store_name: str | None = None
    reference: str | None = None  # a redemption id or a partner's claim id
    receipt_no: str | None = None
    partner: str | None = None
    other_voucher: str | None = None  # a gift's other side
    is_voided: bool = False


@dataclass(frozen=True)
class VoucherDetail:
    voucher: Voucher
    holder: Customer | None
    store_name: str | None
    gifted_to: str | None  # the voucher this one's gift created
    history: tuple[HistoryEntry, ...]
    partner_redemptions: tuple[PartnerRedemption, ...]


def history_entries(
    lines: Sequence[ledger_queries.HistoryLine],
    redemptions: Sequence[ledger_records.RedemptionFacts],
    claims: Sequence[PartnerRedemption],
    counterparts: dict[str, str],
) -> tuple[HistoryEntry, ...]:
    """Each journal line of the voucher joined with the redemption, claim or gift it records."""
    by_txn: dict[str, dict[str, Any]] = {}
    for r in redemptions:
        facts = {"store_name": r.store_name, "reference": r.redemption_id}
        by_txn[r.txn_id] = {**facts, "receipt_no": r.receipt_no, "is_voided": bool(r.void_txn_id)}
        if r.void_txn_id:
            by_txn[r.void_txn_id] = facts
    for c in claims:
        facts = {"store_name": c.store_name, "reference": c.claim_id, "partner": c.partner}
        if c.txn_id:
            voided = c.void_txn_id is not None
            by_txn[c.txn_id] = {**facts, "receipt_no": c.receipt_no, "is_voided": voided}
        if c.void_txn_id:
            by_txn[c.void_txn_id] = facts
    return tuple(
        HistoryEntry(
            txn_id=line.txn_id,
            kind=line.kind,
            created_at=line.created_at,
            amount_yen=line.amount_yen,
            other_voucher=counterparts.get(line.txn_id),
            **by_txn.get(line.txn_id, {}),
        )
        for line in lines
    )


async def voucher_detail(db: Reader, voucher_id: str) -> VoucherDetail | None:
    voucher = await ledger_queries.get_voucher(db, voucher_id)
    if voucher is None:
        return None
    holder = (
        None
        if voucher.holder_id is None
        else await ledger_records.get_customer(db, voucher.holder_id)
    )
    store = (
        None if voucher.store_id is None else await ledger_queries.get_store(db, voucher.store_id)
    )
    claims = await settlement_queries.partner_redemptions(db, voucher_id)
    counterparts = await ledger_records.gift_counterparts(db, voucher_id)
    history = history_entries(
        await ledger_queries.voucher_history(db, voucher_id),
        await ledger_records.redemption_facts(db, voucher_id),
        claims,
        counterparts,
    )
    gifted_to = next(
        (e.other_voucher for e in history if e.kind == "gift" and e.amount_yen < 0), None
    )
    return VoucherDetail(
        voucher=voucher,
        holder=holder,
        store_name=None if store is None else store.name,
        gifted_to=gifted_to,
        history=history,
        partner_redemptions=tuple(claims),
    )
