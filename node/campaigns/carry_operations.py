"""The writer units that clear or keep a carry: what the store owes back read in the same
transaction that books the write-off or repayment (or records the review), so a carry is never
cleared beyond what is owed, nor twice, even beside a run."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from node.campaigns import carry_tables
from node.campaigns.carry_core import WRITE_OFF, WriteOff, carries_of, clearing_entry
from node.errors import (
    CarryChanged,
    CarryKeyConflict,
    CarryNothingOwed,
    CarryNotLegacy,
    CarryRepaidTooMuch,
    LegacyCarryOpen,
)
from node.ledger import tables as ledger_tables
from node.ledger.model import Outcome
from node.ledger.rows import to_epoch


@dataclass(frozen=True)
class WriteOffRequest:
    write_off_id: str
    txn_id: str
    store_id: str
    # a write-off: what the office saw the store owe (it must still be what it owes);
    # a repayment: what the store paid back (at most what it owes)
    amount_yen: int
    reason: str
    now: datetime
    actor: str
    kind: str = WRITE_OFF
    # an idempotency key was sent: write_off_id is derived from it (keyed_id), so the key is
    # stored with the record in the same unit and a replay finds it
    keyed: bool = False


KEY_PREFIX = "key:"


def keyed_id(key: str) -> str:
    """The record id an idempotency key names: one namespace for repayments and write-offs, so
    a key reused for another kind, store or amount is found and refused."""
    return KEY_PREFIX + key


def _replayed(conn: sqlite3.Connection, request: WriteOffRequest) -> WriteOff | None:
    """The record this request's key made already, when the request is the same (store, amount,
    kind, note, caller); CarryKeyConflict when the key made another; None for a new key."""
    if not request.keyed:
        return None
    earlier = carry_tables.write_off_in(conn, request.write_off_id)
    if earlier is None:
        return None
    asked = (request.kind, request.store_id, request.amount_yen, request.reason, request.actor)
    made = (earlier.kind, earlier.store_id, earlier.amount_yen, earlier.reason, earlier.actor)
    if asked != made:
        raise CarryKeyConflict(
            "this Idempotency-Key recorded another repayment or write-off",
            field="idempotency_key",
        )
    return earlier


def legacy_open(conn: sqlite3.Connection) -> None:
    """LegacyCarryOpen while a store owes a legacy carry the office has not reviewed: before
    migration 0043 the office settled a negative net by hand, so netting it could take twice."""
    owing = carries_of(carry_tables.sums_in(conn))
    open_ones = [store for store in carry_tables.legacy_in(conn) if store in owing]
    if open_ones:
        raise LegacyCarryOpen(
            f"stores {', '.join(open_ones)} owe legacy carries not reviewed",
            store_ids=", ".join(open_ones),
        )


def _owed(conn: sqlite3.Connection, store_id: str) -> int:
    owed = carries_of(carry_tables.sums_in(conn)).get(store_id, 0)
    if owed <= 0:
        raise CarryNothingOwed(f"store {store_id} owes nothing back", store_id=store_id)
    return owed


def _check_amount(request: WriteOffRequest, owed: int) -> None:
    """A write-off forgoes exactly what the office saw; a repayment is any part of what is owed."""
    if request.kind == WRITE_OFF and owed != request.amount_yen:
        raise CarryChanged(
            f"store {request.store_id} owes {owed} back, not {request.amount_yen}",
            store_id=request.store_id,
            carry_yen=owed,
        )
    if request.amount_yen > owed:
        raise CarryRepaidTooMuch(
            f"store {request.store_id} owes {owed} back, less than {request.amount_yen}",
            store_id=request.store_id,
            carry_yen=owed,
        )


def record_write_off(request: WriteOffRequest) -> Callable[[sqlite3.Connection], WriteOff]:
    """The write-off of all the store owes back, or its repayment of part or all of it, booked;
    CarryNothingOwed when it owes nothing, CarryChanged when a write-off's amount is not what it
    owes, CarryRepaidTooMuch when a repayment is more. Clearing all of a legacy carry records
    its review too. With a key, the record its key made already is answered instead (checked
    first: after a whole repayment the store owes nothing, yet the retry must get its answer)."""

    def work(conn: sqlite3.Connection) -> WriteOff:
        earlier = _replayed(conn, request)
        if earlier is not None:
            return earlier  # a double post or a retry: answered, nothing booked again
        owed = _owed(conn, request.store_id)
        _check_amount(request, owed)
        entry = clearing_entry(
            request.kind, request.txn_id, request.now, request.store_id, request.amount_yen
        )
        ledger_tables.save_outcome(conn, Outcome((), entry))
        write_off = WriteOff(
            write_off_id=request.write_off_id,
            kind=request.kind,
            store_id=request.store_id,
            amount_yen=request.amount_yen,
            reason=request.reason,
            txn_id=entry.txn_id,
            created_at=request.now,
            actor=request.actor,
        )
        carry_tables.insert_write_off(conn, write_off)
        if request.amount_yen == owed and request.store_id in carry_tables.legacy_in(conn):
            # a legacy carry cleared whole is reviewed by that: a later carry is not legacy
            carry_tables.insert_review(
                conn, request.store_id, owed, request.reason, to_epoch(request.now), request.actor
            )
        return write_off

    return work


def record_keep(request: WriteOffRequest) -> Callable[[sqlite3.Connection], int]:
    """The office keeps a store's legacy carry for the runs to net (the amount it saw, which
    must still be what the store owes; `request.kind` is WRITE_OFF for that check);
    CarryNotLegacy when the store has none waiting. A keyed keep sent again (the store's one
    review, with the same amount, note and caller) is answered; a key that made a repayment or
    write-off is refused."""

    def work(conn: sqlite3.Connection) -> int:
        if request.keyed:
            if carry_tables.write_off_in(conn, request.write_off_id) is not None:
                raise CarryKeyConflict(
                    "this Idempotency-Key recorded a repayment or write-off, not a keep",
                    field="idempotency_key",
                )
            review = carry_tables.review_in(conn, request.store_id)
            if review == (request.amount_yen, request.reason, request.actor):
                return request.amount_yen  # the same keep sent again: reviews are once a store
        if request.store_id not in carry_tables.legacy_in(conn):
            raise CarryNotLegacy(
                f"store {request.store_id} has no legacy carry to review",
                store_id=request.store_id,
            )
        owed = _owed(conn, request.store_id)
        _check_amount(request, owed)
        carry_tables.insert_review(
            conn, request.store_id, owed, request.reason, to_epoch(request.now), request.actor
        )
        return owed

    return work
