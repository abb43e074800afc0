"""The writer unit of a carry's write-off: what the store owes back read in the same transaction
that books the write-off, so a write-off never forgives more than is owed, nor twice."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from node.campaigns import carry_tables
from node.campaigns.carry_core import WriteOff, carries_of, write_off_entry
from node.errors import CarryChanged, CarryNothingOwed
from node.ledger import tables as ledger_tables
from node.ledger.model import Outcome


@dataclass(frozen=True)
class WriteOffRequest:
    write_off_id: str
    txn_id: str
    store_id: str
    amount_yen: int  # what the office saw the store owe: it must still be what it owes
    reason: str
    now: datetime
    actor: str


def record_write_off(request: WriteOffRequest) -> Callable[[sqlite3.Connection], WriteOff]:
    """The write-off of all the store owes back, booked; CarryNothingOwed when it owes nothing,
    CarryChanged when it owes another amount than the one the office confirmed."""

    def work(conn: sqlite3.Connection) -> WriteOff:
        owed = carries_of(carry_tables.sums_in(conn)).get(request.store_id, 0)
        if owed <= 0:
            raise CarryNothingOwed(
                f"store {request.store_id} owes nothing back", store_id=request.store_id
            )
        if owed != request.amount_yen:
            raise CarryChanged(
                f"store {request.store_id} owes {owed} back, not {request.amount_yen}",
                store_id=request.store_id,
                carry_yen=owed,
            )
        entry = write_off_entry(request.txn_id, request.now, request.store_id, owed)
        ledger_tables.save_outcome(conn, Outcome((), entry))
        write_off = WriteOff(
            write_off_id=request.write_off_id,
            store_id=request.store_id,
            amount_yen=owed,
            reason=request.reason,
            txn_id=entry.txn_id,
            created_at=request.now,
            actor=request.actor,
        )
        carry_tables.insert_write_off(conn, write_off)
        return write_off

    return work
