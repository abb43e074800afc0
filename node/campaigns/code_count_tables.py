"""SQL of campaign_code_counts: one-time codes sent and wrong codes typed per day, per subject
and per customer (code_caps.py), read and raised in the writer unit that sends or checks a code."""

from __future__ import annotations

import sqlite3

from node.campaigns.code_caps import Counted, Event, Holders, Scope


def counted(conn: sqlite3.Connection, day: str, event: Event, who: Holders) -> Counted:
    rows = conn.execute(
        "SELECT scope, count FROM campaign_code_counts WHERE day = ? AND event = ?"
        " AND ((scope = 'subject' AND holder = ?) OR (scope = 'customer' AND holder = ?))",
        (day, event.value, who.subject, who.customer),
    ).fetchall()
    by_scope = {row["scope"]: int(row["count"]) for row in rows}
    return Counted(by_scope.get(Scope.SUBJECT, 0), by_scope.get(Scope.CUSTOMER, 0))


def count_one(conn: sqlite3.Connection, day: str, event: Event, who: Holders) -> None:
    conn.executemany(
        "INSERT INTO campaign_code_counts (day, scope, holder, event, count)"
        " VALUES (?, ?, ?, ?, 1)"
        " ON CONFLICT (day, scope, holder, event) DO UPDATE SET count = count + 1",
        [
            (day, Scope.SUBJECT.value, who.subject, event.value),
            (day, Scope.CUSTOMER.value, who.customer, event.value),
        ],
    )


def forget_before(conn: sqlite3.Connection, day: str) -> None:
    """Counts of days before `day` are no longer needed (the primary key leads with the day)."""
    conn.execute("DELETE FROM campaign_code_counts WHERE day < ?", (day,))
