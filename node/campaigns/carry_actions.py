"""Use cases of what stores owe back from their payouts (繰越), taking `Node`: every store that
owes, the write-offs so far, writing one off (the office forgoes it, recorded with its reason),
and each store's books against its revenue account for the reconciliation. Shared by the admin
API, `kippu campaign carries` / `write-off` and the console."""

from __future__ import annotations

from typing import Any

from node.campaigns import carry_tables, payout_queries
from node.campaigns.carry_core import (
    MAX_REASON_CHARS,
    StoreBooks,
    WriteOff,
    carries_of,
    outstanding,
    store_reconciliation,
)
from node.campaigns.carry_operations import WriteOffRequest, record_write_off
from node.clock import iso, ordered_id
from node.errors import BadWriteOffReason, StoreNotFound
from node.ledger import queries as ledger_queries
from node.runtime import Node
from node.text import require_printable


def write_off_json(write_off: WriteOff, names: dict[str, str]) -> dict[str, Any]:
    return {
        "write_off_id": write_off.write_off_id,
        "store_id": write_off.store_id,
        "store_name": names.get(write_off.store_id, ""),
        "amount_yen": write_off.amount_yen,
        "reason": write_off.reason,
        "txn_id": write_off.txn_id,
        "created_at": iso(write_off.created_at),
        "actor": write_off.actor,
    }


async def _names(node: Node) -> dict[str, str]:
    return {s.store_id: s.name for s in await ledger_queries.list_stores(node.require_reader())}


async def list_carries(node: Node) -> dict[str, Any]:
    """Every store that owes back from its payouts (what the next runs will net), by id, with
    the total, and every write-off so far, newest first."""
    reader = node.require_reader()
    names = await _names(node)
    owed = carries_of(await carry_tables.sums(reader))
    carries = [
        {"store_id": store, "store_name": names.get(store, ""), "carry_yen": yen}
        for store, yen in sorted(owed.items())
        if yen > 0
    ]
    return {
        "carries": carries,
        "total_yen": sum(c["carry_yen"] for c in carries),
        "write_offs": [write_off_json(w, names) for w in await carry_tables.write_offs(reader)],
    }


def checked_reason(reason: str) -> str:
    """The reason trimmed: required, at most MAX_REASON_CHARS, printable (it is shown and kept)."""
    cleaned = reason.strip()
    if not cleaned or len(cleaned) > MAX_REASON_CHARS:
        raise BadWriteOffReason(
            "a write-off needs its reason, up to 500 characters",
            field="reason",
            max_chars=MAX_REASON_CHARS,
        )
    return require_printable(cleaned, "reason")


async def write_off(
    node: Node, store_id: str, amount_yen: int, reason: str, actor: str
) -> dict[str, Any]:
    """Forgo all a store owes back (the amount the office saw, so a stale page writes off
    nothing), booked in one writer unit with its reason."""
    cleaned = checked_reason(reason)
    store = await ledger_queries.get_store(node.require_reader(), store_id)
    if store is None:
        raise StoreNotFound(f"no store {store_id}", store_id=store_id)
    now = node.clock.now()
    request = WriteOffRequest(
        write_off_id=ordered_id(now, node.rng, "wo"),
        txn_id=ordered_id(now, node.rng, "tx"),
        store_id=store_id,
        amount_yen=amount_yen,
        reason=cleaned,
        now=now,
        actor=actor,
    )
    made = await node.require_writer().submit(record_write_off(request))
    return write_off_json(made, {store.store_id: store.name})


async def store_books(node: Node) -> list[dict[str, Any]]:
    """Each store with a payout, a write-off or unpaid use of campaign coupons: its figures and
    whether they tie to its revenue account in the journal."""
    reader = node.require_reader()
    names = await _names(node)
    sums = await carry_tables.sums(reader)
    unpaid = await payout_queries.unpaid_by_store(reader)
    revenue = await payout_queries.revenue_by_store(reader)
    answers = []
    for store in sorted(set(sums) | set(unpaid) | set(revenue)):
        transferred, net, written_off = sums.get(store, (0, 0, 0))
        ledger_paid, ledger_balance = revenue.get(store, (0, 0))
        books = StoreBooks(
            store_id=store,
            store_name=names.get(store, ""),
            run_net_yen=net,
            transferred_yen=transferred,
            written_off_yen=written_off,
            carry_yen=outstanding(transferred, net, written_off),
            unpaid_use_yen=unpaid.get(store, 0),
            ledger_paid_yen=ledger_paid,
            ledger_balance_yen=ledger_balance,
        )
        answers.append(store_reconciliation(books))
    return answers
