"""What a premium campaign's wallet page adds to sell its set by card: the card form (when Stripe
is set up), the 資金決済法 display about the set offered (as the shop shows it before the pay
button), and the resident's card purchases of it. node/web/campaign_premium.py takes the form."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.campaigns.model import Campaign, CampaignKind
from node.clock import new_id
from node.compliance.display import offer_terms
from node.payments import premium_actions, queries
from node.runtime import Node
from node.web import shop
from node.web.campaign_render import request_language
from node.web.catalog_errors import catalogued_words
from node.web.i18n import translator
from node.web.legal import legal_display
from node.web.pages import last_day


async def sale_context(
    request: web.Request, node: Node, campaign: Campaign, customer_id: str
) -> dict[str, Any]:
    """What the campaign's page adds for a premium set: the card form (when Stripe is set up),
    the legal display about the set offered, and the resident's card purchases of it."""
    if campaign.kind != CampaignKind.PREMIUM:
        return {"sale": None}
    enabled = shop.gateway_of(request) is not None
    offer = offer_terms(campaign.grant_face_yen, None, campaign.use_until)
    mine = [
        p
        for p in await queries.payments_of_customer(node.require_reader(), customer_id)
        if p.campaign_id == campaign.campaign_id
    ]
    # The display in the reader's language; the Japanese one binds, and is shown beside it.
    language = request_language(request)
    return {
        "sale": {
            "enabled": enabled,
            "purchase_key": new_id(node.rng, premium_actions.PAYMENT_PREFIX),
            "publishable_key": node.config.stripe.publishable_key,
            "js_url": node.config.stripe.js_url,
            "purchases": mine,
        },
        "legal": await legal_display(node, offer=offer),
        "t": catalogued_words(language),  # the legal display's words
        "legal_ja": None if language.tag == "ja" else translator("ja"),
        "through": last_day(node.config.zone),
    }


def with_card_policy(node: Node, response: web.Response, context: dict[str, Any]) -> web.Response:
    sale = context.get("sale")
    if sale and sale["enabled"]:
        response.headers["Content-Security-Policy"] = shop.card_policy(node.config.stripe)
    return response
