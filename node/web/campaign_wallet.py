"""A resident's campaign coupons in the wallet (/wallet/campaigns), in the reader's language:
each coupon's campaign, where it can be used, what is left and until when, with the way to pay
with it (the voucher's own page); their card purchases of premium sets, each with where it
stands and its receipt (node/web/campaign_premium.py); and the campaigns giving now."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from node.campaigns import queries
from node.campaigns.model import Campaign
from node.payments import queries as payment_queries
from node.payments.model import CardPayment
from node.reads import Reader
from node.runtime import Node
from node.web.campaign_public import live_listings
from node.web.campaign_render import in_reader_language, render_campaign_page
from node.web.campaign_words import (
    AVAILABILITY_NAMES,
    COUPON_STATUS_NAMES,
    KIND_NAMES,
    PURCHASE_STATUS_NAMES,
    STORE_CLASS_NAMES,
)
from node.web.guard import requires
from node.web.model import Role, Session
from node.web.wallet_pages import customer_of, shown_account


@dataclass(frozen=True)
class SetPurchase:
    """A card purchase of a premium set, with the campaign it bought from."""

    payment: CardPayment
    campaign: Campaign


async def set_purchases(conn: Reader, customer_id: str) -> list[SetPurchase]:
    """The resident's card purchases of premium sets, newest first (the shop's are elsewhere)."""
    found: dict[str, Campaign | None] = {}
    listed = []
    for payment in await payment_queries.payments_of_customer(conn, customer_id):
        if payment.campaign_id is None:
            continue
        if payment.campaign_id not in found:
            found[payment.campaign_id] = await queries.campaign(conn, payment.campaign_id)
        campaign = found[payment.campaign_id]
        if campaign is not None:
            listed.append(SetPurchase(payment, campaign))
    return listed


@in_reader_language(home="/wallet")
@requires(Role.CUSTOMER)
async def my_campaigns(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    reader = node.require_reader()
    now = node.clock.now()
    customer_id = customer_of(session)
    coupons = await queries.coupons_of(reader, customer_id)
    giving = await queries.public_campaigns(reader, now)
    context = {
        "account": await shown_account(node, session.account),
        "coupons": coupons,
        "purchases": await set_purchases(reader, customer_id),
        "listings": await live_listings(reader, giving, now, customer_id),
        "kind_names": KIND_NAMES,
        "availability_names": AVAILABILITY_NAMES,
        "store_class_names": STORE_CLASS_NAMES,
        "status_names": COUPON_STATUS_NAMES,
        "purchase_status_names": PURCHASE_STATUS_NAMES,
    }
    return render_campaign_page(request, "campaigns/wallet.html", context, csrf=session.csrf)


def routes() -> list[web.RouteDef]:
    return [web.get("/wallet/campaigns", my_campaigns)]
