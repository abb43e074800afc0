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


# --- Lottery and survey campaigns (the gates: apply, draw, claim; answer) -----------------------


class InvalidLottery(ValidationError):
    """The lottery's set-up or draw is not valid; the field is named in `field`."""

    code = "campaign.lottery_invalid"
    http_status = 422


class LotteryNotSetUp(CampaignError):
    """This campaign's lottery is not set up (or the campaign is not a lottery)."""

    code = "campaign.lottery_not_set_up"


class LotteryAlreadySetUp(CampaignError):
    """This campaign's lottery is set up already; its commitment cannot change."""

    code = "campaign.lottery_set_up"


class LotteryAlreadyApplied(CampaignError):
    """You have applied to this lottery already; one application per person."""

    code = "campaign.already_applied"


class LotteryEntriesClosed(CampaignError):
    """Applications to this lottery are not taken now: see its application period."""

    code = "campaign.entries_closed"


class LotteryEntriesOpen(CampaignError):
    """The application period has not ended, or the entries are not closed yet: close them
    after the period, then draw."""

    code = "campaign.entries_open"


class LotterySeedRefused(CampaignError):
    """The seed was refused: the secret is not the one committed to, or the beacon round is not
    the one announced (or not after the last draw's)."""

    code = "campaign.seed_refused"
    http_status = 422


class LotteryNothingToDraw(CampaignError):
    """There is nothing to draw: every entry has won already, or no coupon is left for a draw."""

    code = "campaign.nothing_to_draw"


class LotteryClaimsOpen(CampaignError):
    """Winners may still claim until the deadline `claim_until`; draw again after it."""

    code = "campaign.claims_open"


class LotteryNotWon(CampaignError):
    """You have no win to claim in this lottery."""

    code = "campaign.not_won"
    http_status = 403


class LotteryClaimExpired(CampaignError):
    """The deadline to claim this win has passed; the coupon went back to the budget."""

    code = "campaign.claim_expired"


class LotteryAlreadyClaimed(CampaignError):
    """You have claimed this win already; the coupon is in your wallet."""

    code = "campaign.already_claimed"


class InvalidSurvey(ValidationError):
    """The questionnaire is not valid; the field is named in `field`."""

    code = "campaign.survey_invalid"
    http_status = 422


class SurveyAnswerInvalid(ValidationError):
    """An answer does not fit its question; the question's number is in `question`."""

    code = "campaign.answer_invalid"
    http_status = 422


class SurveyNotDefined(CampaignError):
    """This campaign has no questionnaire yet (or the campaign is not a survey)."""

    code = "campaign.survey_not_defined"


class SurveyLocked(CampaignError):
    """Residents have answered this questionnaire already; it can no longer change."""

    code = "campaign.survey_locked"


class SurveyAlreadyAnswered(CampaignError):
    """You have answered this survey already; its coupon is in your wallet."""

    code = "campaign.already_answered"
