"""Moments head office types or sends (a program's or a rank table's effective_from, a campaign's
start and end, a lottery's period): one reading for the API, the CLI and the console.

It sits in the base layer beside node.clock because points, campaigns and the pages all read
moments and none of them owns the rule. Each caller names the error of its own area (`error`),
so a bad moment reads as points.invalid on the points API and campaign.invalid on a campaign's.

Years are kept from 2000 to 2999: a moment is later turned to UTC, printed, and has days, months
or a year added to it (a lot's expiry, the next recompute), and near year 1 or 9999 any of those
overflows (a 500, not an answer). Nothing the office schedules is that far out.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from node.errors import ValidationError

FIRST_YEAR = 2000
LAST_YEAR = 2999
MAX_MOMENT_CHARS = 40
EXAMPLE = "2027-02-01T10:00:00+09:00"
# An ISO 8601 moment with its offset, nothing looser (the OpenAPI document's pattern too).
MOMENT_CORE = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})"
)
# The console's datetime-local field: a local time without an offset, seconds optional.
_LOCAL = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?")
_MOMENT = re.compile(MOMENT_CORE)


def parse_moment(
    value: object,
    field: str,
    not_before: datetime | None = None,
    *,
    zone: ZoneInfo | None = None,
    error: type[ValidationError],
) -> datetime:
    """`value` as a UTC moment in whole seconds: an ISO 8601 moment with its offset or, given
    `zone`, a local time without one read in that zone (the console's form). Refused with
    `error` naming `field`: anything else, a year outside FIRST_YEAR..LAST_YEAR, and a moment
    before `not_before` when one is given."""
    problem = error(
        f"`{field}` must be a moment with its offset, e.g. {EXAMPLE},"
        f" in the years {FIRST_YEAR}-{LAST_YEAR}.",
        field=field,
    )
    text = value.strip() if isinstance(value, str) and len(value) <= MAX_MOMENT_CHARS else ""
    local = zone is not None and _LOCAL.fullmatch(text) is not None
    if not (local or _MOMENT.fullmatch(text)):
        raise problem
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise problem from None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise problem
    if parsed.tzinfo is None and zone is not None:
        parsed = parsed.replace(tzinfo=zone)
    moment = parsed.astimezone(UTC)
    if not_before is not None and moment < not_before:
        raise error(f"`{field}` must not be in the past.", field=field)
    return moment.replace(microsecond=0)


def require_day_in_range(day: date, field: str, error: type[ValidationError]) -> date:
    """A day typed as YYYY-MM-DD, within the years moments may have."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise error(f"`{field}` must be a day in the years {FIRST_YEAR}-{LAST_YEAR}.", field=field)
    return day
