"""Use cases of what stores owe back from their payouts (繰越), taking `Node`: every store that
owes (a carry left by runs before migration 0043 marked until the office reviews it), the
write-offs and repayments so far, writing one off (the office forgoes it), recording a store's
repayment, keeping a legacy carry for the runs to net, and each store's books against its
revenue account for the reconciliation. Shared by the admin API, `kippu campaign carries` /
`write-off` / `carry-repaid` / `carry-keep` and the console."""

from __future__ import annotations

from typing import Any

from node.campaigns import carry_tables, payout_queries
from node.campaigns.carry_core import (
    MAX_REASON_CHARS,
    REPAID,
    WRITE_OFF,
    CarrySums,
    StoreBooks,
    WriteOff,
    carries_of,
    store_reconciliation,
)
from node.campaigns.carry_operations import (
    WriteOffRequest,
    keyed_id,
    record_keep,
    record_write_off,
)
from node.campaigns.grant_keys import require_key
from node.clock import iso, ordered_id
from node.errors import BadWriteOffReason, StoreNotFound
from node.ledger import queries as ledger_queries
from node.runtime import Node
from node.text import require_printable


def write_off_json(write_off: WriteOff, names: dict[str, str]) -> dict[str, Any]:
    return {
        "write_off_id": write_off.write_off_id,
        "kind": write_off.kind,
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


async def open_legacy(node: Node) -> list[str]:
    """The stores owing a legacy carry the office has not reviewed (runs are refused meanwhile)."""
    reader = node.require_reader()
    owed = carries_of(await carry_tables.sums(reader))
    return [store for store in await carry_tables.legacy(reader) if store in owed]


async def list_carries(node: Node) -> dict[str, Any]:
    """Every store that owes back from its payouts (what the next runs will net), by id, with
    the total and whether it is a legacy carry waiting for review; every write-off and every
    repayment so far, newest first."""
    reader = node.require_reader()
    names = await _names(node)
    owed = carries_of(await carry_tables.sums(reader))
    legacy = set(await open_legacy(node))
    carries = [
        {
            "store_id": store,
            "store_name": names.get(store, ""),
            "carry_yen": yen,
            "is_legacy": store in legacy,
        }
        for store, yen in sorted(owed.items())
    ]
    cleared = [write_off_json(w, names) for w in await carry_tables.write_offs(reader)]
    return {
        "carries": carries,
        "total_yen": sum(c["carry_yen"] for c in carries),
        "legacy_open": sorted(legacy),
        "write_offs": [c for c in cleared if c["kind"] == WRITE_OFF],
        "repayments": [c for c in cleared if c["kind"] == REPAID],
    }


def checked_reason(reason: str) -> str:
    """The reason trimmed: required, at most MAX_REASON_CHARS, printable (it is shown and kept)."""
    cleaned = reason.strip()
    if not cleaned or len(cleaned) > MAX_REASON_CHARS:
        raise BadWriteOffReason(
            "a write-off, a repayment or a review needs its reason, up to 500 characters",
            field="reason",
            max_chars=MAX_REASON_CHARS,
        )
    return require_printable(cleaned, "reason")


async def _request(
    node: Node, store_id: str, amount_yen: int, reason: str, actor: str, kind: str, key: str | None
) -> tuple[WriteOffRequest, str]:
    """The request checked before the writer (the key, the reason, the store), with the store's
    name. With an idempotency key the record's id is the key's (a replay finds it); without
    one, a new id is drawn, so every call records anew."""
    sent = None if key is None else require_key(key)
    cleaned = checked_reason(reason)
    store = await ledger_queries.get_store(node.require_reader(), store_id)
    if store is None:
        raise StoreNotFound(f"no store {store_id}", store_id=store_id)
    now = node.clock.now()
    request = WriteOffRequest(
        write_off_id=(
            keyed_id(sent)
            if sent
            else ordered_id(now, node.rng, "wo" if kind == WRITE_OFF else "rp")
        ),
        txn_id=ordered_id(now, node.rng, "tx"),
        store_id=store_id,
        amount_yen=amount_yen,
        reason=cleaned,
        now=now,
        actor=actor,
        kind=kind,
        keyed=sent is not None,
    )
    return request, store.name


async def write_off(
    node: Node,
    store_id: str,
    amount_yen: int,
    reason: str,
    actor: str,
    key: str | None = None,
    kind: str = WRITE_OFF,
) -> dict[str, Any]:
    """Forgo all a store owes back (the amount the office saw, so a stale page writes off
    nothing), or, `kind` REPAID, record that the store paid back `amount_yen` of it (Dr
    cash:hq); booked in one writer unit with its reason. With an idempotency `key` (the API's
    header, the CLI's per run, the console form's one-time key) the same request sent again
    answers the first record and books nothing: a repayment's amount is any part of the carry,
    so without it a double click or a retry would book the yen twice."""
    request, name = await _request(node, store_id, amount_yen, reason, actor, kind, key)
    made = await node.require_writer().submit(record_write_off(request))
    return write_off_json(made, {store_id: name})


async def repaid(
    node: Node, store_id: str, amount_yen: int, reason: str, actor: str, key: str | None = None
) -> dict[str, Any]:
    """The store paid back `amount_yen` of what it owes (cash at the office, a transfer)."""
    return await write_off(node, store_id, amount_yen, reason, actor, key, REPAID)


async def keep(
    node: Node, store_id: str, amount_yen: int, reason: str, actor: str, key: str | None = None
) -> dict[str, Any]:
    """The office confirms that a legacy carry is still owed and lets the runs net it."""
    request, name = await _request(node, store_id, amount_yen, reason, actor, WRITE_OFF, key)
    kept = await node.require_writer().submit(record_keep(request))
    return {"store_id": store_id, "store_name": name, "carry_yen": kept, "reason": request.reason}


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
        figures = sums.get(store, CarrySums())
        ledger_paid, ledger_balance = revenue.get(store, (0, 0))
        books = StoreBooks(
            store_id=store,
            store_name=names.get(store, ""),
            run_net_yen=figures.net_yen,
            transferred_yen=figures.transferred_yen,
            written_off_yen=figures.written_off_yen,
            repaid_yen=figures.repaid_yen,
            carry_yen=figures.owed_yen,
            unpaid_use_yen=unpaid.get(store, 0),
            ledger_paid_yen=ledger_paid,
            ledger_balance_yen=ledger_balance,
        )
        answers.append(store_reconciliation(books))
    return answers
