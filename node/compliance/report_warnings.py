"""What the console warns about the 基準日 report, decided by pure rules from two reports and today.

- `due_soon`: from 30 days before a 基準日 to the day itself (the filing is due two months after).
- `filing_open`: a 基準日 has ended, its report must be filed, and its deadline has not passed.
- `near_threshold`: the unused balance under the act has reached 80 % of ¥10,000,000.
- `over_threshold`: it was above ¥10,000,000 on the last 基準日: the 発行保証金 is needed (at
  least half of it) by the filing deadline; `over_threshold_so_far`: it is above it now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from node.compliance.reference_date import (
    NEAR_THRESHOLD_PERCENT,
    THRESHOLD_YEN,
    ReferenceDateReport,
    warning_start,
)


@dataclass(frozen=True)
class ReportWarning:
    """One warning: its kind (a text key's end), the 基準日 it is about, and its facts."""

    kind: str
    reference_date: date
    filing_deadline: date
    days_left: int = 0
    unused_yen: int = 0
    deposit_yen: int = 0


def _of(kind: str, report: ReferenceDateReport, days_left: int = 0) -> ReportWarning:
    return ReportWarning(
        kind,
        report.period.reference_date,
        report.period.filing_deadline,
        days_left,
        report.unused_yen,
        report.deposit_required_yen,
    )


def report_warnings(
    latest: ReferenceDateReport, coming: ReferenceDateReport, today: date
) -> list[ReportWarning]:
    """The warnings for the last 基準日 that ended and the next one (its figures so far)."""
    found: list[ReportWarning] = []
    if latest.filing_required and today <= latest.period.filing_deadline:
        found.append(_of("filing_open", latest, (latest.period.filing_deadline - today).days))
    if latest.passes_threshold and today <= latest.period.filing_deadline:
        found.append(_of("over_threshold", latest))
    day = coming.period.reference_date
    if warning_start(day) <= today <= day:
        found.append(_of("due_soon", coming, (day - today).days))
    if coming.passes_threshold:
        found.append(_of("over_threshold_so_far", coming))
    elif coming.unused_yen * 100 >= THRESHOLD_YEN * NEAR_THRESHOLD_PERCENT:
        found.append(_of("near_threshold", coming))
    return found
