"""SQL of `campaign_payout_stores` and `campaign_carry_write_offs` (migration 0043): each run's
stores netted against what they owed back, and the office's write-offs of it. Append-only.

What a store owes back is not stored as a running balance: it is read from the runs' sums and
the write-offs (carry_core.outstanding), on the writer's connection inside the unit that records
a run or a write-off, so two of them cannot both spend the same carry."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from node.campaigns.carry_core import StoreRun, WriteOff
from node.ledger.rows import from_epoch, to_epoch
from node.reads import Reader

RUN_COLUMNS = "store_id, net_yen, carry_in_yen, transferred_yen, carry_out_yen"
WRITE_OFF_COLUMNS = "write_off_id, store_id, amount_yen, reason, txn_id, created_at, actor"
# Per store: the runs' transfers and nets and the write-offs, summed (a store that never had a
# run or a write-off has no row).
SUMS_SQL = """
    SELECT store_id, sum(transferred) AS transferred, sum(net) AS net,
           sum(written_off) AS written_off
    FROM (SELECT store_id, transferred_yen AS transferred, net_yen AS net, 0 AS written_off
          FROM campaign_payout_stores
          UNION ALL
          SELECT store_id, 0, 0, amount_yen FROM campaign_carry_write_offs)
    GROUP BY store_id ORDER BY store_id
"""


def _run(row: sqlite3.Row) -> StoreRun:
    return StoreRun(
        store_id=row["store_id"],
        net_yen=row["net_yen"],
        carry_in_yen=row["carry_in_yen"],
        transferred_yen=row["transferred_yen"],
        carry_out_yen=row["carry_out_yen"],
    )


def _write_off(row: sqlite3.Row) -> WriteOff:
    return WriteOff(
        write_off_id=row["write_off_id"],
        store_id=row["store_id"],
        amount_yen=row["amount_yen"],
        reason=row["reason"],
        txn_id=row["txn_id"],
        created_at=from_epoch(row["created_at"]),
        actor=row["actor"],
    )


def _sums(rows: Iterable[sqlite3.Row]) -> dict[str, tuple[int, int, int]]:
    return {
        str(r["store_id"]): (int(r["transferred"]), int(r["net"]), int(r["written_off"]))
        for r in rows
    }


def sums_in(conn: sqlite3.Connection) -> dict[str, tuple[int, int, int]]:
    """Per store (transferred, net of the paid periods, written off), on the writer's connection."""
    return _sums(conn.execute(SUMS_SQL).fetchall())


async def sums(db: Reader) -> dict[str, tuple[int, int, int]]:
    """The same, for the reads (preview, the list of carries, the reconciliation)."""
    return _sums(await db.execute_fetchall(SUMS_SQL))


def insert_runs(conn: sqlite3.Connection, payout_id: str, runs: Sequence[StoreRun]) -> None:
    conn.executemany(
        f"INSERT INTO campaign_payout_stores (payout_id, {RUN_COLUMNS})"  # noqa: S608
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                payout_id,
                r.store_id,
                r.net_yen,
                r.carry_in_yen,
                r.transferred_yen,
                r.carry_out_yen,
            )
            for r in runs
        ],
    )


async def runs_of(db: Reader, payout_id: str) -> list[StoreRun]:
    rows = await db.execute_fetchall(
        f"SELECT {RUN_COLUMNS} FROM campaign_payout_stores"  # noqa: S608
        " WHERE payout_id = ? ORDER BY store_id",
        (payout_id,),
    )
    return [_run(r) for r in rows]


def insert_write_off(conn: sqlite3.Connection, write_off: WriteOff) -> None:
    conn.execute(
        f"INSERT INTO campaign_carry_write_offs ({WRITE_OFF_COLUMNS})"  # noqa: S608
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            write_off.write_off_id,
            write_off.store_id,
            write_off.amount_yen,
            write_off.reason,
            write_off.txn_id,
            to_epoch(write_off.created_at),
            write_off.actor,
        ),
    )


async def write_offs(db: Reader) -> list[WriteOff]:
    """Every write-off, newest first."""
    rows = await db.execute_fetchall(
        f"SELECT {WRITE_OFF_COLUMNS} FROM campaign_carry_write_offs"  # noqa: S608
        " ORDER BY created_at DESC, write_off_id DESC"
    )
    return [_write_off(r) for r in rows]
