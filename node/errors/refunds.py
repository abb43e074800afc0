"""The refund ban of the Payment Services Act (資金決済法20条) and the abolition procedure's refusals."""

from __future__ import annotations

from node.errors.base import KippuError
from node.errors.request import NotFound, ValidationError


class RefundError(KippuError):
    """The refund was refused; nothing was paid back and nothing changed."""

    code = "refund.refused"
    http_status = 409
    areas = ("refund",)
    is_actionable = True


class RefundProhibited(RefundError):
    """資金決済法20条 prohibits paying back a voucher's unused balance (払戻し), except on the
    abolition of the business (a public notice and a claim period of at least 60 days) and in the
    府令's small-amount and unavoidable cases. Keep the voucher for use; if one of those grounds
    applies, give it (`--ground small_amount` or `--ground unavoidable --reason ...`), or open
    the abolition procedure (`kippu compliance abolish`)."""

    code = "refund.prohibited"


class SmallAmountExceeded(RefundError):
    """This refund would carry the small-amount refunds of this 基準期間 past the 府令's limit
    (the larger of 20 % of the previous period's issuance and 5 % of the previous 基準日's unused
    balance); it was not paid. Refunds under this ground wait for the next period."""

    code = "refund.small_amount_exceeded"


class RefundWindowClosed(RefundError):
    """The refund claim period of the business abolition has ended: the remaining balances are
    excluded (除斥) and no new claim is accepted."""

    code = "refund.window_closed"


class RefundWindowNotOpen(RefundError):
    """No refund claim period is open now: claims are accepted only from the public notice date
    of a business abolition until the last day of its claim period."""

    code = "refund.window_not_open"


class AbolitionOpen(RefundError):
    """A business abolition is already announced and its claim period has not ended; there can
    be only one at a time."""

    code = "refund.abolition_open"


class BusinessAbolished(RefundError):
    """Vouchers are no longer sold: a business abolition (事業の廃止) is announced and its claim
    period has not ended, and a voucher sold now could not be refunded lawfully. Do not take the
    customer's money; if the abolition was recorded by mistake, ask head office."""

    code = "refund.business_abolished"


class ClaimPeriodTooShort(RefundError):
    """The claim period must end at least 60 days after the public notice date (資金決済法20条2項);
    choose a later last day."""

    code = "refund.claim_period_too_short"
    http_status = 422


class NoticeDateInPast(RefundError):
    """The public notice date of an abolition cannot be in the past: give today or a later day."""

    code = "refund.notice_in_past"
    http_status = 422


class RefundClaimExists(RefundError):
    """A refund claim was already made for this voucher; head office pays it to the account given."""

    code = "refund.claim_exists"


class RefundClaimPaid(RefundError):
    """This refund claim has already been paid; nothing was paid twice."""

    code = "refund.claim_paid"


class NothingToRefund(RefundError):
    """The voucher has no unused balance to pay back (used up, expired, void or refunded)."""

    code = "refund.nothing_to_refund"


class RefundAmountMismatch(RefundError):
    """The amount to refund is not the voucher's whole unused balance (it changed meanwhile);
    look at the voucher again."""

    code = "refund.amount_mismatch"


class RefundNotHolder(RefundError):
    """Only the voucher's holder can claim its refund, from their own wallet."""

    code = "refund.not_holder"
    http_status = 403


class RefundVoucherHeld(RefundError):
    """This voucher has a holder with an account: they claim its refund from their own wallet.
    Head office records a claim only for a voucher nobody holds (a counter sale nobody took, a
    gift not received)."""

    code = "refund.voucher_held"


class InvalidBankAccount(ValidationError):
    """The bank account is not complete: give the bank and branch names, the account type, a
    7-digit account number and the holder's name in katakana as on the passbook."""

    code = "refund.invalid_bank_account"
    http_status = 422


class RefundReasonRequired(ValidationError):
    """A refund for unavoidable circumstances needs its reason: where the holder moves (where the
    vouchers cannot be used), or that they leave Japan."""

    code = "refund.reason_required"
    http_status = 422


class RefundClaimNotFound(NotFound):
    """No refund claim has that id; list the claims in the console or `kippu compliance claims`."""

    code = "refund.claim_not_found"
