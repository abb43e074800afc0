"""SQL for a unit of first-come grants written together (rush_operations.grant_batch): the
people's grants so far in one query, the grants and their vouchers in multi-row statements, the
campaign's counts raised once for the unit (its CHECKs still refuse an oversell)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from node.campaigns.model import Grant, StoreClass
from node.ledger.bulk_tables import MAX_VARIABLES, insert_rows
from node.ledger.rows import to_epoch


def grants_of_people(
    conn: sqlite3.Connection, campaign_id: str, customer_ids: Sequence[str]
) -> dict[str, int]:
    """Each person's grants of the campaign so far (0 for one who has none)."""
    counts = dict.fromkeys(customer_ids, 0)
    distinct = sorted(counts)
    for start in range(0, len(distinct), MAX_VARIABLES - 1):
        chunk = distinct[start : start + MAX_VARIABLES - 1]
        rows = conn.execute(
            "SELECT customer_id, COUNT(*) AS n FROM campaign_grants WHERE campaign_id = ?"  # noqa: S608
            f" AND customer_id IN ({', '.join('?' * len(chunk))}) GROUP BY customer_id",
            [campaign_id, *chunk],
        ).fetchall()
        counts.update({str(row["customer_id"]): int(row["n"]) for row in rows})
    return counts


def insert_grants(
    conn: sqlite3.Connection, grants: Sequence[tuple[Grant, Sequence[StoreClass]]]
) -> None:
    """As tables.insert_grant for each, in order."""
    insert_rows(
        conn,
        "INSERT INTO campaign_grants (grant_id, campaign_id, customer_id, seq, face_yen,"
        " price_yen, granted_at, actor)",
        [
            (
                g.grant_id,
                g.campaign_id,
                g.customer_id,
                g.seq,
                g.face_yen,
                g.price_yen,
                to_epoch(g.granted_at),
                g.actor,
            )
            for g, _ in grants
        ],
    )
    insert_rows(
        conn,
        "INSERT INTO campaign_grant_vouchers (voucher_id, grant_id, campaign_id, store_class)",
        [
            (voucher_id, g.grant_id, g.campaign_id, store_class.value)
            for g, classes in grants
            for voucher_id, store_class in zip(g.voucher_ids, classes, strict=True)
        ],
    )


def count_grants(conn: sqlite3.Connection, campaign_id: str, sets: int, face_yen: int) -> None:
    """`sets` more grants of `face_yen` each, as that many tables.count_grant."""
    conn.execute(
        "UPDATE campaigns SET granted_sets = granted_sets + ?, granted_yen = granted_yen + ?"
        " WHERE campaign_id = ?",
        (sets, sets * face_yen, campaign_id),
    )
