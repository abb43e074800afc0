"""Settlement's refusals: claims on partners' vouchers, statements, payments."""

from __future__ import annotations

from node.errors.base import KippuError
from node.errors.request import NotFound


class SettlementError(KippuError):
    """The settlement operation was refused; nothing was changed."""

    code = "settlement.refused"
    http_status = 409
    areas = ("settlement",)
    is_actionable = True


class PartnerNotActive(SettlementError):
    """This voucher's issuer is not an active partner of ours, so it cannot be accepted here."""

    code = "settlement.partner_not_active"


class ExposureLimit(SettlementError):
    """This partner would owe us more than its limit; take no more of its vouchers until it pays."""

    code = "settlement.exposure_limit"


class SettlementPending(SettlementError):
    """Claims, voids or a payment confirmation with this partner are still on their way; try again
    once they are answered (`kippu settlement claims --status CLAIMED`)."""

    code = "settlement.pending"


class ClaimPending(SettlementError):
    """The issuer has not decided this claim yet; wait for its answer (`kippu settlement claims`)."""

    code = "settlement.claim_pending"


class VoidNotAllowed(SettlementError):
    """This claim cannot be voided now (only an accepted claim not yet in a statement can be)."""

    code = "settlement.void_not_allowed"


class StatementOpen(SettlementError):
    """A statement with this partner is still waiting for its answer; wait for it first."""

    code = "settlement.statement_open"


class NotThePayer(SettlementError):
    """This node is not the payer of that statement."""

    code = "settlement.not_payer"


class NotThePayee(SettlementError):
    """This node is not the payee of that statement."""

    code = "settlement.not_payee"


class StatementNotAgreed(SettlementError):
    """The statement is not in a state that allows this (see its status)."""

    code = "settlement.statement_state"


class StatementTooLarge(SettlementError):
    """Too many claims for one statement; choose an earlier cut-off (--until)."""

    code = "settlement.statement_too_large"
    http_status = 422


class NothingToSettle(SettlementError):
    """There is nothing new to put in a statement with this partner up to that cut-off."""

    code = "settlement.nothing_to_settle"


class ClaimRejected(SettlementError):
    """The issuer rejected the claim; its reason is given."""

    code = "settlement.claim_rejected"


class ClaimNotFound(NotFound):
    """No claim with that id; `kippu settlement claims` lists them."""

    code = "settlement.claim_not_found"
    http_status = 404


class StatementNotFound(NotFound):
    """No statement with that id; `kippu settlement statements` lists them."""

    code = "settlement.statement_not_found"
    http_status = 404
