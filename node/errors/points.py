"""The refusals of points, member ranks, the membership card, the exchange catalogue, point
lotteries and webhooks. Each leaves everything as it was."""

from __future__ import annotations

from node.errors.base import KippuError
from node.errors.request import NotFound, ValidationError


class PointsError(KippuError):
    """The points cannot be moved that way; nothing was changed."""

    code = "points.refused"
    http_status = 409
    areas = ("points", "member", "rank")
    is_actionable = True


class InsufficientPoints(PointsError):
    """The member does not have that many points; use fewer."""

    code = "points.insufficient"


class BelowMinimumUse(PointsError):
    """Fewer points than the program's minimum use; use more, or none."""

    code = "points.below_minimum"


class PointsTxnConflict(PointsError):
    """This transaction id was used already for a different request; send a new id, or the same
    request again to get its first answer."""

    code = "points.txn_conflict"


class PurchaseReturned(PointsError):
    """This purchase was returned already; its points were taken back then."""

    code = "points.already_returned"


class UseAlreadyReturned(PointsError):
    """This use of points was given back already (its sale was returned); it cannot be given
    back twice."""

    code = "points.use_already_returned"


class CardCannotSpend(PointsError):
    """The printed card number earns points but cannot spend them; ask the member to show the
    membership card in the wallet (its code changes every minute)."""

    code = "member.card_cannot_spend"
    http_status = 403


class MemberCodeExpired(PointsError):
    """The membership card's code has expired; ask the member to show the card again."""

    code = "member.code_expired"
    http_status = 422


class MemberCodeInvalid(PointsError):
    """The code does not match this member's card; scan again or retype it."""

    code = "member.code_invalid"
    http_status = 422


class MemberCodeUsed(PointsError):
    """This card code was used already; ask the member to show the card again."""

    code = "member.code_used"


class ExchangeSoldOut(PointsError):
    """This item is out of stock; choose another."""

    code = "points.exchange_sold_out"


class ExchangeOrderClosed(PointsError):
    """This exchange order was shipped or cancelled already; it cannot change again."""

    code = "points.order_closed"


class LotteryNotOpen(PointsError):
    """This lottery is not taking entries now (before its start or after its close)."""

    code = "points.lottery_not_open"


class LotteryNotClosed(PointsError):
    """This lottery is still open; it can be drawn only after it closes."""

    code = "points.lottery_not_closed"


class LotteryDrawn(PointsError):
    """This lottery was drawn already; its draw cannot change."""

    code = "points.lottery_drawn"


class LotteryEntryLimit(PointsError):
    """You hold as many entries to this lottery as one member may; wait for the draw."""

    code = "points.lottery_entry_limit"


class PrizeLimitExceeded(PointsError):
    """The prizes exceed the 景品表示法 limits for a lottery (each prize at most 20 times the
    entry's value and at most ¥100,000; all prizes at most 2 % of the related sales)."""

    code = "points.prize_limit"
    http_status = 422


class SeedMismatch(PointsError):
    """The seed does not match the commitment published when the lottery was set up."""

    code = "points.seed_mismatch"
    http_status = 422


class RankFloorNotLower(PointsError):
    """A manual rank is a floor: it must end after today and name a rank of the table."""

    code = "rank.floor_refused"


class InvalidPoints(ValidationError):
    """Something in the points request is not right; correct the field named and try again."""

    code = "points.invalid"
    http_status = 422


class InvalidMemberCode(ValidationError):
    """That is not a membership card's code nor a member number; scan again or retype it."""

    code = "member.invalid_code"
    http_status = 422


class InvalidRankTable(ValidationError):
    """The rank table is not valid; correct the field named and try again."""

    code = "rank.invalid"
    http_status = 422


class MemberNotFound(NotFound):
    """There is no member with that number on this node."""

    code = "member.not_found"


class PurchaseNotFound(NotFound):
    """No purchase with that transaction id earned points here."""

    code = "points.purchase_not_found"


class CampaignNotFound(NotFound):
    """There is no points campaign with that id."""

    code = "points.campaign_not_found"


class ExchangeItemNotFound(NotFound):
    """There is no exchange item with that id."""

    code = "points.item_not_found"


class ExchangeOrderNotFound(NotFound):
    """There is no exchange order with that id."""

    code = "points.order_not_found"


class LotteryNotFound(NotFound):
    """There is no point lottery with that id."""

    code = "points.lottery_not_found"


class WebhookError(KippuError):
    """The webhook cannot be changed that way; nothing was changed."""

    code = "webhook.refused"
    http_status = 409
    areas = ("webhook",)
    is_actionable = True


class WebhookUrlTaken(WebhookError):
    """A webhook to this address exists already; change that one instead."""

    code = "webhook.url_taken"


class WebhookDeliveryDone(WebhookError):
    """This delivery was received by the webhook already; it is not sent again."""

    code = "webhook.delivered"


class InvalidWebhook(ValidationError):
    """The webhook's address or events are not valid; correct the field named and try again."""

    code = "webhook.invalid"
    http_status = 422


class WebhookNotFound(NotFound):
    """There is no webhook with that id."""

    code = "webhook.not_found"


class WebhookDeliveryNotFound(NotFound):
    """There is no webhook delivery with that id."""

    code = "webhook.delivery_not_found"
