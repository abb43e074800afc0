"""The Payment Services Act (資金決済法) duties' refusals: compliance.* codes."""

from __future__ import annotations

from node.errors.base import KippuError


class ComplianceError(KippuError):
    """The Payment Services Act (資金決済法) does not allow this, or a request about its duties
    cannot be answered as asked; the message says why."""

    code = "compliance.error"
    http_status = 409
    areas = ("compliance",)
    is_actionable = True


# The 基準日 report (node/compliance/reference_date.py).


class NotReferenceDate(ComplianceError):
    """A 基準日 report is made for 31 March or 30 September only (資金決済法: 基準日); give one
    of those dates as YYYY-MM-DD, e.g. 2027-03-31."""

    code = "compliance.not_reference_date"
    http_status = 422
