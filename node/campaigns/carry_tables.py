"""SQL of `campaign_payout_stores`, `campaign_carry_write_offs` and `campaign_carry_reviews`
(migration 0043): each run's stores netted against what they owed back, the write-offs and
repayments that cleared it, and the office's reviews of carries older than the migration.
Append-only.

What a store owes back is not stored as a running balance: it is read from the runs' sums and
the write-offs (carry_core.outstanding), on the writer's connection inside the unit that records
a run or a write-off, so two of them cannot both spend the same carry."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from node.campaigns.carry_core import REPAID, WRITE_OFF, CarrySums, StoreRun, WriteOff
from node.ledger.rows import from_epoch, to_epoch
from node.reads import Reader

RUN_COLUMNS = "store_id, net_yen, carry_in_yen, transferred_yen, carry_out_yen"
WRITE_OFF_COLUMNS = "write_off_id, kind, store_id, amount_yen, reason, txn_id, created_at, actor"
# Per store: the runs' transfers and nets, the write-offs and the repayments, summed (a store
# that never had a run, a write-off or a repayment has no row).
SUMS_SQL = f"""
    SELECT store_id, sum(transferred) AS transferred, sum(net) AS net,
           sum(written_off) AS written_off, sum(repaid) AS repaid
    FROM (SELECT store_id, transferred_yen AS transferred, net_yen AS net, 0 AS written_off,
                 0 AS repaid
          FROM campaign_payout_stores
          UNION ALL
          SELECT store_id, 0, 0,
                 CASE WHEN kind = '{WRITE_OFF}' THEN amount_yen ELSE 0 END,
                 CASE WHEN kind = '{REPAID}' THEN amount_yen ELSE 0 END
          FROM campaign_carry_write_offs)
    GROUP BY store_id ORDER BY store_id
"""  # noqa: S608
# Stores whose runs before migration 0043 left them owing (settled by hand then, perhaps) and
# whose carry the office has not reviewed yet.
LEGACY_SQL = """
    SELECT DISTINCT s.store_id FROM campaign_payout_stores s
    WHERE s.is_legacy = 1 AND s.carry_out_yen > 0
      AND NOT EXISTS (SELECT 1 FROM campaign_carry_reviews r WHERE r.store_id = s.store_id)
    ORDER BY s.store_id
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
        kind=row["kind"],
        store_id=row["store_id"],
        amount_yen=row["amount_yen"],
        reason=row["reason"],
        txn_id=row["txn_id"],
        created_at=from_epoch(row["created_at"]),
        actor=row["actor"],
    )


def _sums(rows: Iterable[sqlite3.Row]) -> dict[str, CarrySums]:
    return {
        str(r["store_id"]): CarrySums(
            int(r["transferred"]), int(r["net"]), int(r["written_off"]), int(r["repaid"])
        )
        for r in rows
    }


def sums_in(conn: sqlite3.Connection) -> dict[str, CarrySums]:
    """Per store its runs' and clearings' sums, on the writer's connection."""
    return _sums(conn.execute(SUMS_SQL).fetchall())


def legacy_in(conn: sqlite3.Connection) -> list[str]:
    """The stores with a legacy carry not reviewed yet, on the writer's connection."""
    return [str(r["store_id"]) for r in conn.execute(LEGACY_SQL).fetchall()]


async def legacy(db: Reader) -> list[str]:
    """The same, for the reads."""
    return [str(r["store_id"]) for r in await db.execute_fetchall(LEGACY_SQL)]


def insert_review(
    conn: sqlite3.Connection, store_id: str, carry_yen: int, reason: str, at: int, actor: str
) -> None:
    """The office keeps a legacy carry for the runs to net (once per store: the key refuses a
    second)."""
    conn.execute(
        "INSERT INTO campaign_carry_reviews (store_id, carry_yen, reason, created_at, actor)"
        " VALUES (?, ?, ?, ?, ?)",
        (store_id, carry_yen, reason, at, actor),
    )


async def sums(db: Reader) -> dict[str, CarrySums]:
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


async def transferred_by_run(db: Reader) -> dict[tuple[str, str], int]:
    """Per (run, store) what the run transferred."""
    rows = await db.execute_fetchall(
        "SELECT payout_id, store_id, transferred_yen FROM campaign_payout_stores"
    )
    return {(str(r["payout_id"]), str(r["store_id"])): int(r["transferred_yen"]) for r in rows}


def insert_write_off(conn: sqlite3.Connection, write_off: WriteOff) -> None:
    conn.execute(
        f"INSERT INTO campaign_carry_write_offs ({WRITE_OFF_COLUMNS})"  # noqa: S608
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            write_off.write_off_id,
            write_off.kind,
            write_off.store_id,
            write_off.amount_yen,
            write_off.reason,
            write_off.txn_id,
            to_epoch(write_off.created_at),
            write_off.actor,
        ),
    )


def write_off_in(conn: sqlite3.Connection, write_off_id: str) -> WriteOff | None:
    """One write-off or repayment by its id (an idempotency key's record), on the writer's
    connection."""
    row = conn.execute(
        f"SELECT {WRITE_OFF_COLUMNS} FROM campaign_carry_write_offs"  # noqa: S608
        " WHERE write_off_id = ?",
        (write_off_id,),
    ).fetchone()
    return None if row is None else _write_off(row)


def review_in(conn: sqlite3.Connection, store_id: str) -> tuple[int, str, str] | None:
    """A store's review of its legacy carry (carry_yen, reason, actor), on the writer's
    connection."""
    row = conn.execute(
        "SELECT carry_yen, reason, actor FROM campaign_carry_reviews WHERE store_id = ?",
        (store_id,),
    ).fetchone()
    return None if row is None else (int(row["carry_yen"]), str(row["reason"]), str(row["actor"]))


async def write_offs(db: Reader) -> list[WriteOff]:
    """Every write-off and repayment, newest first."""
    rows = await db.execute_fetchall(
        f"SELECT {WRITE_OFF_COLUMNS} FROM campaign_carry_write_offs"  # noqa: S608
        " ORDER BY created_at DESC, write_off_id DESC"
    )
    return [_write_off(r) for r in rows]
