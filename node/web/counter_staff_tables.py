"""Who made each redemption at our counter (web_redemption_staff), written in the redemption's
own transaction, and the display names of who sold (counter_sales.sold_by): read by the console's
records and CSVs."""

from __future__ import annotations

import sqlite3

from node.reads import Reader

MAX_IDS_PER_QUERY = 500  # below SQLite's bound-parameter limit


def insert_redemption_staff(conn: sqlite3.Connection, redemption_id: str, account_id: str) -> None:
    conn.execute(
        "INSERT INTO web_redemption_staff (redemption_id, account_id) VALUES (?, ?)",
        (redemption_id, account_id),
    )


async def staff_of_redemptions(db: Reader, redemption_ids: list[str]) -> dict[str, str]:
    """Display name of the staff member who made each of `redemption_ids` (those recorded)."""
    names: dict[str, str] = {}
    for start in range(0, len(redemption_ids), MAX_IDS_PER_QUERY):
        chunk = redemption_ids[start : start + MAX_IDS_PER_QUERY]
        marks = ", ".join("?" for _ in chunk)
        rows = await db.execute_fetchall(
            "SELECT s.redemption_id, a.display_name FROM web_redemption_staff s"  # noqa: S608
            f" JOIN web_accounts a USING (account_id) WHERE s.redemption_id IN ({marks})",
            chunk,
        )
        names.update({str(r["redemption_id"]): str(r["display_name"]) for r in rows})
    return names


async def display_names(db: Reader, actors: set[str]) -> dict[str, str]:
    """Display name of each of `actors` as the counter records who sold ("<role>:<login>"); an
    actor whose account is gone keeps its recorded form (the caller falls back to it)."""
    logins = sorted({actor.partition(":")[2] for actor in actors})
    names: dict[str, str] = {}
    for start in range(0, len(logins), MAX_IDS_PER_QUERY):
        chunk = logins[start : start + MAX_IDS_PER_QUERY]
        marks = ", ".join("?" for _ in chunk)
        rows = await db.execute_fetchall(
            "SELECT role, login, display_name FROM web_accounts"  # noqa: S608
            f" WHERE login IN ({marks})",
            chunk,
        )
        names.update({f"{r['role']}:{r['login']}": str(r["display_name"]) for r in rows})
    return names
