"""CRM's one SQLite-only construct: the local month (YYYY-MM) of an epoch-seconds column, shifted
by the zone's offset given as the `:offset` parameter. PostgreSQL's form is
to_char(to_timestamp(col + :offset) AT TIME ZONE 'UTC', 'YYYY-MM')."""

from __future__ import annotations


def local_month(column: str) -> str:
    """SQL for the local month of `column` (a fixed name from our own statements, never input)."""
    return f"strftime('%Y-%m', {column} + :offset, 'unixepoch')"
