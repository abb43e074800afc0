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
