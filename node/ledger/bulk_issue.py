"""Issuing many vouchers in one writer unit with a few statements (a campaign's rush of grants).

The same rule and the same rows as `operations.issue` for each voucher, in order: a taken
number is replaced by a fresh one, `core.issue_voucher` decides each voucher and its balanced
entry, holders and stores must exist, and the database keeps every guarantee it keeps for one
issue (its triggers run per row: see bulk_tables.py). What differs is only how the rows reach
SQLite: a few multi-row statements for the whole unit instead of about eight per voucher, which
is what a unit of grants spends most of its time on.

Split in two so a caller can refuse one request without failing the others: `prepare` is pure
(a refusal raised for that request alone), `save` writes what was prepared, all or nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime

from node.errors import CustomerNotFound, StoreNotFound
from node.ledger import bulk_tables, core, tables
from node.ledger.model import Outcome, Voucher
from node.ledger.operations import LedgerSettings


class VoucherNumbers:
    """Numbers for the vouchers of a unit, as `operations.issue` gives them one at a time: a
    drawn number already taken (in the database, by a voucher kept earlier in the unit, or
    earlier in the same `choose`) is replaced by a fresh one. The drawn numbers are looked up
    in one query; only a (rare) fresh number costs another."""

    def __init__(
        self, conn: sqlite3.Connection, drawn: Sequence[str], fresh_number: Callable[[], str]
    ) -> None:
        self._conn = conn
        self._fresh_number = fresh_number
        self._taken = bulk_tables.existing_vouchers(conn, drawn)

    def choose(self, drawn: Sequence[str]) -> list[str]:
        """Numbers for one request's vouchers; `keep` them once the request is decided."""
        chosen: list[str] = []
        for voucher_id in drawn:
            while voucher_id in self._taken or voucher_id in chosen:
                voucher_id = self._fresh_number()
                self._taken |= bulk_tables.existing_vouchers(self._conn, [voucher_id])
            chosen.append(voucher_id)
        return chosen

    def keep(self, voucher_ids: Sequence[str]) -> None:
        """These will be issued in this unit: taken for the requests after."""
        self._taken.update(voucher_ids)


def prepare(request: core.IssueRequest, settings: LedgerSettings, now: datetime) -> Outcome:
    """The issue `operations.issue` would make of `request` (its number already unique):
    refusals (an amount above the ledger's limit, a price above face ...) raised."""
    return core.issue_voucher(request, settings.policy, now, settings.zone)


def save(conn: sqlite3.Connection, outcomes: Sequence[Outcome]) -> list[Voucher]:
    """Write prepared issues, in order: CustomerNotFound or StoreNotFound if a holder or store
    is unknown (nothing written then); a failed guarantee raises from the database."""
    vouchers = [voucher for outcome in outcomes for voucher in outcome.vouchers]
    holders = sorted({v.holder_id for v in vouchers if v.holder_id is not None})
    if set(holders) - bulk_tables.existing_customers(conn, holders):
        raise CustomerNotFound()
    for store_id in sorted({v.store_id for v in vouchers if v.store_id is not None}):
        if tables.load_store(conn, store_id) is None:
            raise StoreNotFound()
    bulk_tables.save_issues(conn, outcomes)
    return vouchers
