"""SQL for counter sales inside the writer's transaction: record a sale, load it with its issue
entry, record its cancel (tables `counter_sales`, `sale_cancels`)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from node.ledger.model import EntryKind, JournalEntry, Posting, Sale
from node.ledger.rows import from_epoch, sale_from_row, to_epoch

SALE_COLUMNS = (
    "s.voucher_id, s.store_id, v.face_yen, v.price_yen, s.payment_method, s.sold_by, s.txn_id,"
    " s.created_at, c.cancelled_at, c.txn_id AS cancel_txn_id, c.cancelled_by,"
    " v.holder_id IS NOT NULL AS is_received"
)
SALE_FROM = (
    "counter_sales s JOIN vouchers v USING (voucher_id) LEFT JOIN sale_cancels c USING (voucher_id)"
)


def insert_sale(conn: sqlite3.Connection, sale: Sale, request_key: str | None) -> None:
    conn.execute(
        "INSERT INTO counter_sales (voucher_id, store_id, payment_method, sold_by, txn_id,"
        " created_at, request_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            sale.voucher_id,
            sale.store_id,
            str(sale.payment_method),
            sale.sold_by,
            sale.txn_id,
            to_epoch(sale.created_at),
            request_key,
        ),
    )


def sale_of_request(conn: sqlite3.Connection, request_key: str) -> Sale | None:
    """The sale a confirm form's one-time key already made, if it made one."""
    row = conn.execute(
        f"SELECT {SALE_COLUMNS} FROM {SALE_FROM} WHERE s.request_key = ?",  # noqa: S608
        (request_key,),
    ).fetchone()
    return None if row is None else sale_from_row(row)


def load_sale(conn: sqlite3.Connection, voucher_id: str) -> Sale | None:
    row = conn.execute(
        f"SELECT {SALE_COLUMNS} FROM {SALE_FROM} WHERE s.voucher_id = ?",  # noqa: S608
        (voucher_id,),
    ).fetchone()
    return None if row is None else sale_from_row(row)


def load_entry(conn: sqlite3.Connection, txn_id: str) -> JournalEntry | None:
    """One journal entry with its postings in line order."""
    head = conn.execute(
        "SELECT txn_id, kind, created_at FROM journal WHERE txn_id = ?", (txn_id,)
    ).fetchone()
    if head is None:
        return None
    lines = conn.execute(
        "SELECT account, amount_yen FROM postings WHERE txn_id = ? ORDER BY line", (txn_id,)
    ).fetchall()
    return JournalEntry(
        head["txn_id"],
        EntryKind(head["kind"]),
        from_epoch(head["created_at"]),
        tuple(Posting(line["account"], line["amount_yen"]) for line in lines),
    )


def insert_cancel(
    conn: sqlite3.Connection, voucher_id: str, txn_id: str, actor: str, now: datetime
) -> None:
    conn.execute(
        "INSERT INTO sale_cancels (voucher_id, txn_id, cancelled_by, cancelled_at)"
        " VALUES (?, ?, ?, ?)",
        (voucher_id, txn_id, actor, to_epoch(now)),
    )
