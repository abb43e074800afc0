"""What a premium campaign's wallet page adds to sell its set by card: the card form (when Stripe
is set up), the 資金決済法 display about the set offered (as the shop shows it before the pay
button), and the resident's card purchases of it. node/web/campaign_premium.py takes the form."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiohttp import web

from node.campaigns import core
from node.campaigns import queries as campaign_queries
from node.campaigns.model import Campaign, CampaignKind
from node.clock import new_id
from node.compliance.display import offer_terms
from node.payments import premium_actions, queries
from node.reads import Reader
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
    reader, now = node.require_reader(), node.clock.now()
    pending = await campaign_queries.own_live_holds(reader, campaign.campaign_id, customer_id, now)
    mine = [
        p
        for p in await queries.payments_of_customer(reader, customer_id)
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
            "pending": [hold.hold_id for hold in pending],  # each hold's id is its payment's
            "more": pending == []
            or await _more_left(reader, campaign, customer_id, len(pending), now),
        },
        "legal": await legal_display(node, offer=offer),
        "t": catalogued_words(language),  # the legal display's words
        "legal_ja": None if language.tag == "ja" else translator("ja"),
        "through": last_day(node.config.zone),
    }


async def _more_left(
    reader: Reader, campaign: Campaign, customer_id: str, pending: int, now: datetime
) -> bool:
    """Whether a resident whose own purchase is in progress may buy another set now: their
    grants and live holds under the per-person limit, and a set left beside every hold
    (theirs included). Otherwise a pay form would only be refused (campaign.limit_reached,
    or the last set being their own)."""
    received = await campaign_queries.grants_of_person(reader, campaign.campaign_id, customer_id)
    if received + pending >= campaign.per_person:
        return False
    held = await campaign_queries.live_holds(reader, campaign.campaign_id, now)
    return not core.is_exhausted(core.with_holds(campaign, *held))


def with_card_policy(node: Node, response: web.Response, context: dict[str, Any]) -> web.Response:
    sale = context.get("sale")
    if sale and sale["enabled"]:
        response.headers["Content-Security-Policy"] = shop.card_policy(node.config.stripe)
    return response
