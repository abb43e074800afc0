"""SQL used inside the writer's transaction: load ledger state, append entries, record codes.

Runs on the writer thread's sqlite3 connection; every function is called inside a SAVEPOINT.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from node.errors import KippuError, StoreMismatch
from node.ledger.model import Customer, Outcome, Redemption, Store, Voucher
from node.ledger.qr import MANUAL_NONCE
from node.ledger.rows import (
    customer_from_row,
    maybe_epoch,
    redemption_from_row,
    store_from_row,
    to_epoch,
    voucher_from_row,
)

VOUCHER_COLUMNS = (
    "voucher_id, face_yen, price_yen, balance_yen, status, holder_id, store_id, created_at, "
    "expires_at, is_gift, has_given_gift, gifted_from, secret, suspended_at"
)
REDEMPTION_COLUMNS = (
    "r.redemption_id, r.voucher_id, r.store_id, r.amount_yen, r.receipt_no, r.txn_id, "
    "r.created_at, v.voided_at"
)
REDEMPTION_FROM = "redemptions r LEFT JOIN redemption_voids v USING (redemption_id)"


def load_voucher(conn: sqlite3.Connection, voucher_id: str) -> Voucher | None:
    row = conn.execute(
        f"SELECT {VOUCHER_COLUMNS} FROM vouchers WHERE voucher_id = ?",  # noqa: S608
        (voucher_id,),
    ).fetchone()
    return None if row is None else voucher_from_row(row)


def load_store(conn: sqlite3.Connection, store_id: str) -> Store | None:
    row = conn.execute(
        "SELECT store_id, name, created_at FROM stores WHERE store_id = ?", (store_id,)
    ).fetchone()
    return None if row is None else store_from_row(row)


def stores_by_id(conn: sqlite3.Connection) -> list[Store]:
    rows = conn.execute(
        "SELECT store_id, name, created_at FROM stores ORDER BY store_id"
    ).fetchall()
    return [store_from_row(r) for r in rows]


def customer_exists(conn: sqlite3.Connection, customer_id: str) -> bool:
    row = conn.execute("SELECT 1 FROM customers WHERE customer_id = ?", (customer_id,)).fetchone()
    return row is not None


def email_taken(conn: sqlite3.Connection, email: str) -> bool:
    row = conn.execute("SELECT 1 FROM customers WHERE email = ?", (email,)).fetchone()
    return row is not None


def load_customer(conn: sqlite3.Connection, customer_id: str) -> Customer | None:
    row = conn.execute(
        "SELECT customer_id, name, email, created_at FROM customers WHERE customer_id = ?",
        (customer_id,),
    ).fetchone()
    return None if row is None else customer_from_row(row)


def anonymise_customer(conn: sqlite3.Connection, customer_id: str, name: str) -> None:
    """The customer's name replaced and their address removed (an erasure on request): the row
    stays, so the books that name the customer still add up."""
    conn.execute(
        "UPDATE customers SET name = ?, email = NULL WHERE customer_id = ?", (name, customer_id)
    )


def rename_customer(conn: sqlite3.Connection, customer_id: str, name: str) -> bool:
    """The name the shop knows the customer by (customers.name): the wallet's header, the
    console, the counter's greeting. Whether the customer exists."""
    changed = conn.execute(
        "UPDATE customers SET name = ? WHERE customer_id = ?", (name, customer_id)
    ).rowcount
    return bool(changed)


def customer_of_email(conn: sqlite3.Connection, email: str) -> str | None:
    row = conn.execute("SELECT customer_id FROM customers WHERE email = ?", (email,)).fetchone()
    return None if row is None else str(row["customer_id"])


def assign_holder(
    conn: sqlite3.Connection, voucher_id: str, customer_id: str, now: datetime
) -> None:
    """The customer now holds the voucher, if nobody did (a held voucher keeps its holder), and
    the moment they got it is recorded (voucher_handovers: CRM counts a voucher's price as their
    spend from then)."""
    changed = conn.execute(
        "UPDATE vouchers SET holder_id = ? WHERE voucher_id = ? AND holder_id IS NULL",
        (customer_id, voucher_id),
    ).rowcount
    if changed:
        conn.execute(
            "INSERT INTO voucher_handovers (voucher_id, customer_id, handed_over_at)"
            " VALUES (?, ?, ?)",
            (voucher_id, customer_id, to_epoch(now)),
        )


def load_redemption(conn: sqlite3.Connection, redemption_id: str) -> Redemption | None:
    row = conn.execute(
        f"SELECT {REDEMPTION_COLUMNS} FROM {REDEMPTION_FROM} WHERE r.redemption_id = ?",  # noqa: S608
        (redemption_id,),
    ).fetchone()
    return None if row is None else redemption_from_row(row)


def insert_store(conn: sqlite3.Connection, store: Store) -> None:
    conn.execute(
        "INSERT INTO stores (store_id, name, created_at) VALUES (?, ?, ?)",
        (store.store_id, store.name, to_epoch(store.created_at)),
    )


def insert_customer(
    conn: sqlite3.Connection, customer_id: str, name: str, email: str | None, now: datetime
) -> None:
    conn.execute(
        "INSERT INTO customers (customer_id, name, email, created_at) VALUES (?, ?, ?, ?)",
        (customer_id, name, email, to_epoch(now)),
    )


NEW_VOUCHER_COLUMNS = (
    "voucher_id, face_yen, price_yen, balance_yen, status, holder_id, store_id, created_at,"
    " expires_at, is_gift, has_given_gift, gifted_from, secret"
)


_NEW_VOUCHER_PLACES = ", ".join("?" * (NEW_VOUCHER_COLUMNS.count(",") + 1))


def new_voucher_row(v: Voucher) -> tuple[object, ...]:
    """A new voucher's row (NEW_VOUCHER_COLUMNS) at balance 0: the liability postings that
    follow give it its value (one at a time here, many at once in bulk_tables.py)."""
    return (
        v.voucher_id,
        v.face_yen,
        v.price_yen,
        0,
        str(v.status),
        v.holder_id,
        v.store_id,
        to_epoch(v.created_at),
        maybe_epoch(v.expires_at),
        int(v.is_gift),
        int(v.has_given_gift),
        v.gifted_from,
        v.secret,
    )


def _insert_voucher(conn: sqlite3.Connection, v: Voucher) -> None:
    conn.execute(
        f"INSERT INTO vouchers ({NEW_VOUCHER_COLUMNS}) VALUES ({_NEW_VOUCHER_PLACES})",  # noqa: S608
        new_voucher_row(v),
    )


def save_outcome(conn: sqlite3.Connection, outcome: Outcome) -> None:
    """Append the entry and bring each voucher to its new state, checking the DB agrees."""
    for voucher in outcome.vouchers:
        if voucher.voucher_id in outcome.created_ids:
            _insert_voucher(conn, voucher)
    entry = outcome.entry
    conn.executemany(
        "INSERT INTO postings (txn_id, line, account, amount_yen) VALUES (?, ?, ?, ?)",
        [(entry.txn_id, i, p.account, p.amount_yen) for i, p in enumerate(entry.postings)],
    )
    conn.execute(
        "INSERT INTO journal (txn_id, kind, created_at) VALUES (?, ?, ?)",
        (entry.txn_id, str(entry.kind), to_epoch(entry.created_at)),
    )
    for voucher in outcome.vouchers:
        updated = conn.execute(
            "UPDATE vouchers SET status = ?, has_given_gift = ?"
            " WHERE voucher_id = ? AND balance_yen = ?",
            (
                str(voucher.status),
                int(voucher.has_given_gift),
                voucher.voucher_id,
                voucher.balance_yen,
            ),
        ).rowcount
        if updated != 1:
            raise StoreMismatch(voucher_id=voucher.voucher_id)


def claim_code(
    conn: sqlite3.Connection,
    voucher_id: str,
    step: int,
    nonce: str,
    redemption_id: str | None = None,
) -> bool:
    """Record a voucher code as used (by our redemption `redemption_id`, or by a partner's
    claim when None); False when it already was."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO used_codes (voucher_id, step, nonce, redemption_id)"
        " VALUES (?, ?, ?, ?)",
        (voucher_id, step, nonce, redemption_id),
    )
    return cursor.rowcount == 1


def code_use(
    conn: sqlite3.Connection, voucher_id: str, step: int, nonce: str
) -> tuple[bool, Redemption | None]:
    """Whether a code was used, and the redemption of ours that used it, if one did."""
    row = conn.execute(
        "SELECT redemption_id FROM used_codes WHERE voucher_id = ? AND step = ? AND nonce = ?",
        (voucher_id, step, nonce),
    ).fetchone()
    if row is None:
        return False, None
    made = row["redemption_id"]
    return True, None if made is None else load_redemption(conn, str(made))


def used_manual_steps(conn: sqlite3.Connection, voucher_id: str, from_step: int) -> list[int]:
    """The steps since `from_step` in which a typed code of the voucher made a redemption."""
    rows = conn.execute(
        "SELECT step FROM used_codes WHERE voucher_id = ? AND step >= ? AND nonce = ?"
        " AND redemption_id IS NOT NULL",
        (voucher_id, from_step, MANUAL_NONCE),
    ).fetchall()
    return [int(r["step"]) for r in rows]


def next_counter(conn: sqlite3.Connection, name: str) -> int:
    row = conn.execute(
        "UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value", (name,)
    ).fetchone()
    if row is None:
        raise KippuError(f"counter {name!r} is missing")
    return int(row["value"])


def insert_redemption(conn: sqlite3.Connection, r: Redemption) -> None:
    conn.execute(
        "INSERT INTO redemptions (redemption_id, voucher_id, store_id, amount_yen, receipt_no,"
        " txn_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            r.redemption_id,
            r.voucher_id,
            r.store_id,
            r.amount_yen,
            r.receipt_no,
            r.txn_id,
            to_epoch(r.created_at),
        ),
    )


def insert_void(conn: sqlite3.Connection, redemption_id: str, txn_id: str, now: datetime) -> None:
    conn.execute(
        "INSERT INTO redemption_voids (redemption_id, txn_id, voided_at) VALUES (?, ?, ?)",
        (redemption_id, txn_id, to_epoch(now)),
    )


def vouchers_due_for_expiry(conn: sqlite3.Connection, now: datetime, limit: int) -> list[Voucher]:
    rows = conn.execute(
        f"SELECT {VOUCHER_COLUMNS} FROM vouchers"  # noqa: S608
        " WHERE status = 'active' AND expires_at IS NOT NULL AND expires_at <= ? LIMIT ?",
        (to_epoch(now), limit),
    ).fetchall()
    return [voucher_from_row(row) for row in rows]


def prune_used_codes(conn: sqlite3.Connection, before_step: int) -> int:
    return conn.execute("DELETE FROM used_codes WHERE step < ?", (before_step,)).rowcount


# Journal sums for the small-amount refund limit (node/compliance/refund_rules.py), here so that
# the ledger's SQL stays the ledger's; node/ledger/queries.py runs the same text on the read pools.
# Voucher accounts are model.VOUCHER_PREFIX (`voucher:`, 8 characters) and the voucher's id.
ISSUED_FACE_BETWEEN = (
    "SELECT coalesce(-sum(p.amount_yen), 0) AS total FROM journal j"
    " JOIN postings p ON p.txn_id = j.txn_id"
    " WHERE j.kind IN ('issue', 'sale_cancel') AND substr(p.account, 1, 8) = 'voucher:'"
    " AND j.created_at >= ? AND j.created_at < ?"
)
VOUCHER_LIABILITY_BEFORE = (
    "SELECT coalesce(-sum(p.amount_yen), 0) AS total FROM journal j"
    " JOIN postings p ON p.txn_id = j.txn_id"
    " WHERE substr(p.account, 1, 8) = 'voucher:' AND j.created_at < ?"
)
# The same change over the entries of [start, end): read by the journal's time index.
VOUCHER_LIABILITY_BETWEEN = (
    "SELECT coalesce(-sum(p.amount_yen), 0) AS total FROM journal j"
    " JOIN postings p ON p.txn_id = j.txn_id"
    " WHERE substr(p.account, 1, 8) = 'voucher:' AND j.created_at >= ? AND j.created_at < ?"
)


def issued_face_between(conn: sqlite3.Connection, start: datetime, end: datetime) -> int:
    """Face value issued in [start, end): every `issue` entry's voucher credit, less the same-day
    counter sale cancels (`sale_cancel`) that negate them; gifts move value, they issue none."""
    row = conn.execute(ISSUED_FACE_BETWEEN, (to_epoch(start), to_epoch(end))).fetchone()
    return int(row["total"])


def voucher_liability_before(conn: sqlite3.Connection, end: datetime) -> int:
    """What every voucher was still worth just before `end`: the voucher accounts' credit balance
    over the entries before it (基準日未使用残高 when `end` is the end of a 基準日)."""
    return int(conn.execute(VOUCHER_LIABILITY_BEFORE, (to_epoch(end),)).fetchone()["total"])
