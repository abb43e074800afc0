"""SQL for issuing many vouchers in one go (node/ledger/bulk_issue.py): a few multi-row statements
for a whole writer unit instead of a handful of statements per voucher.

Each statement inserts many rows in one `execute`: the ledger's per-row triggers still run for
every row (a posting to a known voucher only, the voucher's balance kept from its postings, an
entry sealed once it balances, its place in `journal_seq`), but the writer thread crosses from
Python into SQLite once per statement, not once per row. In a rush that crossing, and the GIL
handed back and forth with the event loop at each one, is most of a grant's cost.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from node.errors import StoreMismatch
from node.ledger import tables
from node.ledger.model import Outcome, Voucher
from node.ledger.rows import to_epoch

# Bound variables per statement: SQLite's smallest compiled-in limit (999) with room to spare.
MAX_VARIABLES = 900

Row = tuple[Any, ...]


def insert_rows(conn: sqlite3.Connection, head: str, rows: Sequence[Row]) -> None:
    """`head` ("INSERT INTO t (a, b)") with `rows` as multi-row VALUES, as few statements as
    the variable limit allows, in order."""
    if not rows:
        return
    width = len(rows[0])
    per_statement = max(1, MAX_VARIABLES // width)
    one = "(" + ", ".join("?" * width) + ")"
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        values = [value for row in chunk for value in row]
        conn.execute(f"{head} VALUES {', '.join([one] * len(chunk))}", values)


def _in_list(count: int) -> str:
    return ", ".join("?" * count)


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), MAX_VARIABLES):
        yield ids[start : start + MAX_VARIABLES]


def existing_customers(conn: sqlite3.Connection, customer_ids: Sequence[str]) -> set[str]:
    """Which of `customer_ids` are customers of this node."""
    return _existing(
        conn, "SELECT customer_id AS id FROM customers WHERE customer_id", customer_ids
    )


def existing_vouchers(conn: sqlite3.Connection, voucher_ids: Sequence[str]) -> set[str]:
    """Which of `voucher_ids` are taken."""
    return _existing(conn, "SELECT voucher_id AS id FROM vouchers WHERE voucher_id", voucher_ids)


def _existing(conn: sqlite3.Connection, select: str, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(ids):
        rows = conn.execute(f"{select} IN ({_in_list(len(chunk))})", list(chunk)).fetchall()
        found.update(str(row["id"]) for row in rows)
    return found


def save_issues(conn: sqlite3.Connection, outcomes: Sequence[Outcome]) -> None:
    """Append issue outcomes (each: one new voucher and its entry) as `tables.save_outcome` does
    one at a time: the vouchers at balance 0, then every entry's postings (the triggers give each
    voucher its balance), then the journal rows that seal them, in order; then check that the
    database agrees with every voucher (StoreMismatch otherwise, as save_outcome does)."""
    vouchers = [voucher for outcome in outcomes for voucher in outcome.vouchers]
    insert_rows(
        conn,
        f"INSERT INTO vouchers ({tables.NEW_VOUCHER_COLUMNS})",
        [tables.new_voucher_row(voucher) for voucher in vouchers],
    )
    insert_rows(
        conn,
        "INSERT INTO postings (txn_id, line, account, amount_yen)",
        [
            (outcome.entry.txn_id, line, posting.account, posting.amount_yen)
            for outcome in outcomes
            for line, posting in enumerate(outcome.entry.postings)
        ],
    )
    insert_rows(
        conn,
        "INSERT INTO journal (txn_id, kind, created_at)",
        [(o.entry.txn_id, str(o.entry.kind), to_epoch(o.entry.created_at)) for o in outcomes],
    )
    _require_balances(conn, vouchers)


def insert_voucher_terms(
    conn: sqlite3.Connection, terms: Sequence[tuple[str, str | None, bool, bool]]
) -> None:
    """(voucher_id, store_group, no_gift, own_stores_only) for each, as set_voucher_terms."""
    insert_rows(
        conn,
        "INSERT INTO voucher_terms (voucher_id, store_group, no_gift, own_stores_only)",
        [(vid, group, int(no_gift), int(own)) for vid, group, no_gift, own in terms],
    )


def _require_balances(conn: sqlite3.Connection, vouchers: Sequence[Voucher]) -> None:
    expected = {v.voucher_id: v for v in vouchers}
    for chunk in _chunks(list(expected)):
        rows = conn.execute(
            "SELECT voucher_id, balance_yen, status, has_given_gift FROM vouchers"  # noqa: S608
            f" WHERE voucher_id IN ({_in_list(len(chunk))})",
            list(chunk),
        ).fetchall()
        seen = {str(row["voucher_id"]): row for row in rows}
        for voucher_id in chunk:
            row, voucher = seen.get(voucher_id), expected[voucher_id]
            if (
                row is None
                or row["balance_yen"] != voucher.balance_yen
                or row["status"] != str(voucher.status)
                or bool(row["has_given_gift"]) != voucher.has_given_gift
            ):
                raise StoreMismatch(voucher_id=voucher_id)
