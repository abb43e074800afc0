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


# --- Participating stores (加盟店): applications, store codes, paying at a store (wt/stores) ---


class InvalidStoreApplication(ValidationError):
    """The store's application is not complete or not valid; the field is named in `field`."""

    code = "campaign.store_application_invalid"
    http_status = 422


class StoreApplicationNotFound(NotFound):
    """There is no store application with that id."""

    code = "campaign.store_application_not_found"


class StoreApplicationDecided(CampaignError):
    """The application was approved or rejected already; its decision stands."""

    code = "campaign.store_application_decided"


class StoreCodeUnknown(NotFound):
    """No participating store has that store code: check the code on the store's poster."""

    code = "campaign.store_code_unknown"


class CouponNotHeld(NotFound):
    """That coupon is not one of your campaign coupons; choose one from the list."""

    code = "campaign.coupon_not_held"


class PayFormUsed(CampaignError):
    """This payment form was used by someone else; start the payment again."""

    code = "campaign.pay_form_used"
