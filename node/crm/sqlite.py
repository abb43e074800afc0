"""CRM's SQLite-only constructs:

- the local month (YYYY-MM) of an epoch-seconds column, shifted by the zone's offset given as the
  `:offset` parameter. PostgreSQL's form is
  to_char(to_timestamp(col + :offset) AT TIME ZONE 'UTC', 'YYYY-MM');
- a column among a list of ids given as one JSON array in the `:ids` parameter (json_each).
  PostgreSQL's form is col = ANY(ARRAY(SELECT json_array_elements_text(:ids::json))).
"""

from __future__ import annotations


def local_month(column: str) -> str:
    """SQL for the local month of `column` (a fixed name from our own statements, never input)."""
    return f"strftime('%Y-%m', {column} + :offset, 'unixepoch')"


def ids_in(column: str) -> str:
    """SQL for `column` being one of the ids in `:ids` (a JSON array of strings)."""
    return f"{column} IN (SELECT value FROM json_each(:ids))"  # noqa: S608
