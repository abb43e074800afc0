"""SQL for the voucher_changes log (append-only) and the voucher terms a change moves: the
suspension mark and the expiry (the database lets an expiry move later only)."""

from __future__ import annotations

import sqlite3

from node.errors import StoreMismatch
from node.ledger.changes import ChangeKind, VoucherChange
from node.ledger.model import Voucher
from node.ledger.rows import from_epoch, maybe_datetime, maybe_epoch, to_epoch
from node.reads import Reader

CHANGE_COLUMNS = (
    "change_id, voucher_id, kind, reason, actor, expires_before, expires_after, created_at"
)


def insert_change(conn: sqlite3.Connection, change: VoucherChange) -> None:
    conn.execute(
        f"INSERT INTO voucher_changes ({CHANGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        (
            change.change_id,
            change.voucher_id,
            str(change.kind),
            change.reason,
            change.actor,
            maybe_epoch(change.expires_before),
            maybe_epoch(change.expires_after),
            to_epoch(change.created_at),
        ),
    )


def save_terms(conn: sqlite3.Connection, before: Voucher, after: Voucher) -> None:
    """Write the new suspension mark and expiry, only over the state the rule was given."""
    updated = conn.execute(
        "UPDATE vouchers SET suspended_at = ?, expires_at = ?"
        " WHERE voucher_id = ? AND suspended_at IS ? AND expires_at IS ?",
        (
            maybe_epoch(after.suspended_at),
            maybe_epoch(after.expires_at),
            after.voucher_id,
            maybe_epoch(before.suspended_at),
            maybe_epoch(before.expires_at),
        ),
    ).rowcount
    if updated != 1:
        raise StoreMismatch(voucher_id=after.voucher_id)


def _change_from_row(row: sqlite3.Row) -> VoucherChange:
    return VoucherChange(
        change_id=row["change_id"],
        voucher_id=row["voucher_id"],
        kind=ChangeKind(row["kind"]),
        reason=row["reason"],
        actor=row["actor"],
        created_at=from_epoch(row["created_at"]),
        expires_before=maybe_datetime(row["expires_before"]),
        expires_after=maybe_datetime(row["expires_after"]),
    )


async def changes_of(db: Reader, voucher_id: str) -> list[VoucherChange]:
    """A voucher's changes, newest first."""
    rows = await db.execute_fetchall(
        f"SELECT {CHANGE_COLUMNS} FROM voucher_changes WHERE voucher_id = ?"  # noqa: S608
        " ORDER BY created_at DESC, change_id DESC",  # change ids sort by the millisecond
        (voucher_id,),
    )
    return [_change_from_row(row) for row in rows]
