"""A resident's campaign coupons in the wallet (/wallet/campaigns), in the reader's language:
each coupon's campaign, where it can be used, what is left and until when, with the way to pay
with it (the voucher's own page); and the campaigns giving now."""

from __future__ import annotations

from aiohttp import web

from node.campaigns import queries
from node.runtime import Node
from node.web.campaign_public import listing
from node.web.campaign_render import in_reader_language, render_campaign_page
from node.web.campaign_words import (
    AVAILABILITY_NAMES,
    COUPON_STATUS_NAMES,
    KIND_NAMES,
    STORE_CLASS_NAMES,
)
from node.web.guard import requires
from node.web.model import Role, Session
from node.web.wallet_pages import customer_of, shown_account


@in_reader_language(home="/wallet")
@requires(Role.CUSTOMER)
async def my_campaigns(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    reader = node.require_reader()
    now = node.clock.now()
    coupons = await queries.coupons_of(reader, customer_of(session))
    giving = await queries.public_campaigns(reader, now)
    context = {
        "account": await shown_account(node, session.account),
        "coupons": coupons,
        "listings": [listing(campaign, now) for campaign in giving],
        "kind_names": KIND_NAMES,
        "availability_names": AVAILABILITY_NAMES,
        "store_class_names": STORE_CLASS_NAMES,
        "status_names": COUPON_STATUS_NAMES,
    }
    return render_campaign_page(request, "campaigns/wallet.html", context, csrf=session.csrf)


def routes() -> list[web.RouteDef]:
    return [web.get("/wallet/campaigns", my_campaigns)]
