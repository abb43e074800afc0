"""SQL of `campaign_payouts` and `campaign_payout_lines` (migration 0037): payout runs, append-only.

The writer's side (`insert_payout`, `overlapping`) runs inside the one transaction that records
a run with its journal entry (node/campaigns/payout_operations.py); the reads serve the API, the
CLI and the reconciliation."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date

from node.campaigns.bank import AccountType, BankAccount
from node.campaigns.payout_core import Payout, PayoutLine, UsageRow
from node.ledger.rows import from_epoch, to_epoch
from node.reads import Reader

PAYOUT_COLUMNS = (
    "payout_id, from_day, to_day, period_start, period_end, transfer_day, stores, total_yen,"
    " txn_id, created_at, actor"
)
LINE_COLUMNS = (
    "l.store_id, s.name AS store_name, l.campaign_id, c.name AS campaign_name, l.store_class,"
    " l.uses, l.amount_yen, l.transferred, l.bank_code, l.branch_code, l.account_type,"
    " l.account_number, l.holder_kana"
)


def payout_from_row(row: sqlite3.Row) -> Payout:
    return Payout(
        payout_id=row["payout_id"],
        first=date.fromisoformat(row["from_day"]),
        last=date.fromisoformat(row["to_day"]),
        period_start=from_epoch(row["period_start"]),
        period_end=from_epoch(row["period_end"]),
        transfer_day=date.fromisoformat(row["transfer_day"]),
        stores=row["stores"],
        total_yen=row["total_yen"],
        txn_id=row["txn_id"],
        created_at=from_epoch(row["created_at"]),
        actor=row["actor"],
    )


def line_from_row(row: sqlite3.Row) -> PayoutLine:
    usage = UsageRow(
        store_id=row["store_id"],
        store_name=row["store_name"],
        campaign_id=row["campaign_id"],
        campaign_name=row["campaign_name"],
        store_class=row["store_class"],
        uses=row["uses"],
        amount_yen=row["amount_yen"],
    )
    account = None
    if row["transferred"]:
        account = BankAccount(
            row["bank_code"],
            row["branch_code"],
            AccountType(row["account_type"]),
            row["account_number"],
            row["holder_kana"],
        )
    return PayoutLine(usage, bool(row["transferred"]), account)


def overlapping(conn: sqlite3.Connection, start: int, end: int) -> Payout | None:
    """A recorded run whose period shares a moment with [start, end), the earliest."""
    row = conn.execute(
        f"SELECT {PAYOUT_COLUMNS} FROM campaign_payouts"  # noqa: S608
        " WHERE period_start < ? AND ? < period_end ORDER BY period_start LIMIT 1",
        (end, start),
    ).fetchone()
    return None if row is None else payout_from_row(row)


def insert_payout(conn: sqlite3.Connection, payout: Payout, lines: Sequence[PayoutLine]) -> None:
    conn.execute(
        f"INSERT INTO campaign_payouts ({PAYOUT_COLUMNS})"  # noqa: S608
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            payout.payout_id,
            payout.first.isoformat(),
            payout.last.isoformat(),
            to_epoch(payout.period_start),
            to_epoch(payout.period_end),
            payout.transfer_day.isoformat(),
            payout.stores,
            payout.total_yen,
            payout.txn_id,
            to_epoch(payout.created_at),
            payout.actor,
        ),
    )
    conn.executemany(
        "INSERT INTO campaign_payout_lines (payout_id, store_id, campaign_id, store_class, uses,"
        " amount_yen, transferred, bank_code, branch_code, account_type, account_number,"
        " holder_kana) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [_line_values(payout.payout_id, line) for line in lines],
    )


def _line_values(payout_id: str, line: PayoutLine) -> tuple[object, ...]:
    account = line.account
    return (
        payout_id,
        line.usage.store_id,
        line.usage.campaign_id,
        line.usage.store_class,
        line.usage.uses,
        line.usage.amount_yen,
        int(line.transferred),
        None if account is None else account.bank_code,
        None if account is None else account.branch_code,
        None if account is None else account.account_type.value,
        None if account is None else account.account_number,
        None if account is None else account.holder_kana,
    )


async def payout(db: Reader, payout_id: str) -> Payout | None:
    rows = list(
        await db.execute_fetchall(
            f"SELECT {PAYOUT_COLUMNS} FROM campaign_payouts WHERE payout_id = ?",  # noqa: S608
            (payout_id,),
        )
    )
    return payout_from_row(rows[0]) if rows else None


async def payouts(db: Reader) -> list[Payout]:
    rows = await db.execute_fetchall(
        f"SELECT {PAYOUT_COLUMNS} FROM campaign_payouts ORDER BY period_start"  # noqa: S608
    )
    return [payout_from_row(r) for r in rows]


async def lines_of(db: Reader, payout_id: str) -> list[PayoutLine]:
    rows = await db.execute_fetchall(
        f"SELECT {LINE_COLUMNS} FROM campaign_payout_lines l"  # noqa: S608
        " JOIN stores s ON s.store_id = l.store_id"
        " JOIN campaigns c ON c.campaign_id = l.campaign_id"
        " WHERE l.payout_id = ? ORDER BY l.store_id, l.campaign_id, l.store_class",
        (payout_id,),
    )
    return [line_from_row(r) for r in rows]


async def use_by_run(db: Reader) -> dict[tuple[str, str], dict[tuple[str, str], int]]:
    """Per (run, store): each line's use, by (campaign, store class), as the runs counted it."""
    rows: Iterable[sqlite3.Row] = await db.execute_fetchall(
        "SELECT payout_id, store_id, campaign_id, store_class, amount_yen"
        " FROM campaign_payout_lines ORDER BY payout_id, store_id"
    )
    found: dict[tuple[str, str], dict[tuple[str, str], int]] = {}
    for r in rows:
        lines = found.setdefault((str(r["payout_id"]), str(r["store_id"])), {})
        lines[(str(r["campaign_id"]), str(r["store_class"]))] = int(r["amount_yen"])
    return found
