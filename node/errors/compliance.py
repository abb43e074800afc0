"""Refusals the Payment Services Act (資金決済法) makes, and requests about its duties that cannot
be answered as asked: compliance.* codes, one branch."""

from __future__ import annotations

from node.errors.base import KippuError


class ComplianceError(KippuError):
    """The Payment Services Act (資金決済法) does not allow this, or a request about its duties
    cannot be answered as asked; the message says why."""

    code = "compliance.error"
    http_status = 409
    areas = ("compliance",)
    is_actionable = True


# The display and the classes (wt/display).


class RegistrationRequired(ComplianceError):
    """Accepting our vouchers at a partner makes them 第三者型前払式支払手段, which may only be
    issued after registration (資金決済法7条). Register as a 第三者型発行者 with the 財務局 and set
    `[issuer] registration_number` in config.toml, or, if the partner is a 密接関係者 (parent,
    subsidiary or sister company), declare its node id in `[issuer] related_partners`; then
    restart the node and try again. Nothing was changed."""

    code = "compliance.registration_required"
    http_status = 409


# The 基準日 report (node/compliance/reference_date.py).


class NotReferenceDate(ComplianceError):
    """A 基準日 report is made for 31 March or 30 September only (資金決済法: 基準日); give one
    of those dates as YYYY-MM-DD, e.g. 2027-03-31."""

    code = "compliance.not_reference_date"
    http_status = 422
