"""The refusals of municipal campaigns (自治体キャンペーン): premium vouchers, first-come, lottery,
ticket-book and survey coupons, eligibility, participating stores and their payouts. Each leaves
everything as it was."""

from __future__ import annotations

from node.errors.base import KippuError
from node.errors.request import NotFound, ValidationError


class CampaignError(KippuError):
    """The campaign cannot do that now; nothing was changed."""

    code = "campaign.refused"
    http_status = 409
    areas = ("campaign", "store", "bank", "serial", "eligibility", "payout")
    is_actionable = True


class InvalidCampaign(ValidationError):
    """The campaign's terms are not valid; the field is named in `field`."""

    code = "campaign.invalid"
    http_status = 422


class MunicipalCampaignNotFound(NotFound):
    """There is no campaign with that id."""

    code = "campaign.not_found"


class CampaignSoldOut(CampaignError):
    """The campaign has nothing left to give: its stock or budget is used up."""

    code = "campaign.sold_out"


class CampaignLimitReached(CampaignError):
    """You have received this campaign's coupons as many times as one person may."""

    code = "campaign.limit_reached"


class CampaignNotOpen(CampaignError):
    """The campaign is not open now: see its period (or the next round's start)."""

    code = "campaign.not_open"


class CampaignNotEligible(CampaignError):
    """This campaign asks for a check you have not passed yet; the missing checks are named in
    `missing`."""

    code = "campaign.not_eligible"
    http_status = 403


class CampaignKindRefused(CampaignError):
    """This campaign's coupons are not given that way (a lottery's go to its winners, a survey's
    to those who answered it)."""

    code = "campaign.kind_refused"


class CampaignClosed(CampaignError):
    """The campaign was closed by the office; nothing more is given from it."""

    code = "campaign.closed"


# --- Stores' bank accounts, the 全銀 transfer file and store payouts (wt/zengin) ---------------


class HolderNotKana(ValidationError):
    """The name cannot be written in the bank's half-width katakana (a kanji or a sign banks do
    not accept); type it in katakana as the passbook shows it."""

    code = "bank.holder_not_kana"
    http_status = 422


class HolderTooLong(ValidationError):
    """The holder's name is longer than a transfer's 30 half-width characters; write it as the
    bank abbreviates it (株式会社 as ｶ), as the passbook shows."""

    code = "bank.holder_too_long"
    http_status = 422


class BadBankCode(ValidationError):
    """A bank code is 4 digits (e.g. 0001); check the passbook."""

    code = "bank.bad_bank_code"
    http_status = 422


class UnknownBank(ValidationError):
    """No bank has this code in the bank-code list; check the 4-digit code."""

    code = "bank.unknown_bank"
    http_status = 422


class BadBranchCode(ValidationError):
    """A branch code is 3 digits (e.g. 001); check the passbook."""

    code = "bank.bad_branch_code"
    http_status = 422


class UnknownBranch(ValidationError):
    """This bank has no branch with this code; check the 3-digit branch code."""

    code = "bank.unknown_branch"
    http_status = 422


class BadAccountType(ValidationError):
    """The account type is ordinary (普通), current (当座) or savings (貯蓄)."""

    code = "bank.bad_account_type"
    http_status = 422


class BadAccountNumber(ValidationError):
    """An account number is up to 7 digits; check the passbook."""

    code = "bank.bad_account_number"
    http_status = 422


class BadTransferAmount(ValidationError):
    """A transfer's amount must be at least ¥1 and at most 10 digits."""

    code = "payout.bad_amount"
    http_status = 422


class PayoutError(CampaignError):
    """The payout cannot be made this way; nothing was changed."""

    code = "payout.refused"


class StoreBankMissing(PayoutError):
    """A store to be paid has no bank account on record; record it (kippu store bank) first."""

    code = "payout.no_bank_account"


class RequesterNotSet(PayoutError):
    """The office's own account (振込依頼人) is not set; fill [campaigns.payout] in config.toml."""

    code = "payout.requester_not_set"


class TransferFileInvalid(ValidationError):
    """This is not a well-formed 全銀 総合振込 file (120-byte records, CRLF, header, data,
    trailer, end, the trailer's totals equal to the data)."""

    code = "payout.bad_file"
    http_status = 422


class BadPayoutPeriod(ValidationError):
    """A payout's period is two days, the first not after the last (YYYY-MM-DD)."""

    code = "payout.bad_period"
    http_status = 422


class PayoutPeriodNotOver(PayoutError):
    """A period is paid once it is over: its last day must be before today."""

    code = "payout.period_not_over"


class PayoutPeriodOverlaps(PayoutError):
    """Part of this period was paid already (no period is paid twice); pay from the day after
    the last payout's period, or ask for exactly that period to see it again."""

    code = "payout.period_overlaps"


class PayoutNotFound(NotFound):
    """There is no payout with that id."""

    code = "payout.not_found"


# -- The rush (先着の殺到): the waiting room's answers (node/admission, node/campaigns/rush.py) --


class CampaignBusy(CampaignError):
    """So many people are waiting for this campaign that the line is full; please try again
    after `retry_after_ms` milliseconds."""

    code = "campaign.busy"
    http_status = 503


class CampaignTicketUnknown(NotFound):
    """There is no waiting ticket of that number for this campaign (it expired after not being
    checked for a while, or it was never given): please ask again."""

    code = "campaign.ticket_unknown"
