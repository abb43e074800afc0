"""SQL of campaign_postcodes: a campaign's area, postcodes and 3-digit prefixes."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence


def replace_area(conn: sqlite3.Connection, campaign_id: str, entries: Sequence[str]) -> None:
    conn.execute("DELETE FROM campaign_postcodes WHERE campaign_id = ?", (campaign_id,))
    conn.executemany(
        "INSERT INTO campaign_postcodes (campaign_id, postcode) VALUES (?, ?)",
        [(campaign_id, entry) for entry in entries],
    )


def area_of(conn: sqlite3.Connection, campaign_id: str) -> list[str]:
    rows = conn.execute(
        "SELECT postcode FROM campaign_postcodes WHERE campaign_id = ? ORDER BY postcode",
        (campaign_id,),
    ).fetchall()
    return [str(row["postcode"]) for row in rows]
