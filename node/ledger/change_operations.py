"""Writer units for a voucher's recorded changes: each loads the voucher, applies the rule in
node/ledger/changes.py, and writes the new terms and the log line in the same transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from node.errors import VoucherNotFound
from node.ledger import change_tables, changes, tables
from node.ledger.changes import ChangeRequest, VoucherChange
from node.ledger.model import Voucher

Rule = Callable[[Voucher], tuple[Voucher, VoucherChange]]


def _apply(voucher_id: str, rule: Rule) -> Callable[[sqlite3.Connection], VoucherChange]:
    def work(conn: sqlite3.Connection) -> VoucherChange:
        before = tables.load_voucher(conn, voucher_id)
        if before is None:
            raise VoucherNotFound()
        after, change = rule(before)
        change_tables.save_terms(conn, before, after)
        change_tables.insert_change(conn, change)
        return change

    return work


def suspend(request: ChangeRequest, now: datetime) -> Callable[[sqlite3.Connection], VoucherChange]:
    return _apply(request.voucher_id, lambda v: changes.suspend(v, request, now))


def resume(request: ChangeRequest, now: datetime) -> Callable[[sqlite3.Connection], VoucherChange]:
    return _apply(request.voucher_id, lambda v: changes.resume(v, request, now))


def extend(
    request: ChangeRequest, new_expiry: datetime, now: datetime
) -> Callable[[sqlite3.Connection], VoucherChange]:
    return _apply(request.voucher_id, lambda v: changes.extend(v, request, new_expiry, now))
