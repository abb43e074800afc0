"""SQL of `rest_payments`: the rest of a sale paid another way, one row per redemption."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from node.ledger.model import PaymentMethod
from node.ledger.rows import to_epoch
from node.ledger.tender import RestPayment
from node.reads import Reader

REST_COLUMNS = "redemption_id, amount_yen, method"


def _rest_from_row(row: sqlite3.Row) -> RestPayment:
    return RestPayment(int(row["amount_yen"]), PaymentMethod(row["method"]))


def insert_rest(
    conn: sqlite3.Connection, redemption_id: str, rest: RestPayment, created_at: datetime
) -> None:
    conn.execute(
        "INSERT INTO rest_payments (redemption_id, amount_yen, method, created_at)"
        " VALUES (?, ?, ?, ?)",
        (redemption_id, rest.amount_yen, rest.method.value, to_epoch(created_at)),
    )


def load_rest(conn: sqlite3.Connection, redemption_id: str) -> RestPayment | None:
    row = conn.execute(
        f"SELECT {REST_COLUMNS} FROM rest_payments WHERE redemption_id = ?",  # noqa: S608
        (redemption_id,),
    ).fetchone()
    return _rest_from_row(row) if row else None


async def rests_of(db: Reader, redemption_ids: list[str]) -> dict[str, RestPayment]:
    """The rests recorded with these redemptions, by redemption id (most have none)."""
    found: dict[str, RestPayment] = {}
    for start in range(0, len(redemption_ids), 500):
        batch = redemption_ids[start : start + 500]
        marks = ", ".join("?" for _ in batch)
        rows = await db.execute_fetchall(
            f"SELECT {REST_COLUMNS} FROM rest_payments WHERE redemption_id IN ({marks})",  # noqa: S608
            tuple(batch),
        )
        found.update({str(r["redemption_id"]): _rest_from_row(r) for r in rows})
    return found
