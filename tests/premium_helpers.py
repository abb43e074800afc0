"""A premium campaign (プレミアム商品券) on a node that sells by card against localstripe
(tests/payments_helpers.py card_shop): made through the campaigns' own writer units."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from node.campaigns import actions as campaign_actions
from node.campaigns import core, operations
from node.campaigns.model import Campaign
from node.clock import ordered_id
from node.payments import premium_actions
from node.payments.model import CardPayment
from tests.payments_helpers import Shop
from tests.stripe_server import card

VISA = "4242424242424242"
DECLINED = "4000000000000341"  # localstripe declines this one when charged


async def premium(shop: Shop, **extra: Any) -> Campaign:
    """¥12,000 of face (¥2,000 of it 専用券) for ¥10,000, open from an hour ago for 30 days."""
    now = shop.clock.now()
    sent: dict[str, Any] = {
        "kind": "premium",
        "name": "北九州プレミアム商品券",
        "face_yen": 12_000,
        "price_yen": 10_000,
        "local_yen": 2_000,
        "stock": 10,
        "per_person": 1,
        "starts_at": now - timedelta(hours=1),
        "ends_at": now + timedelta(days=30),
        "use_until": now + timedelta(days=60),
        **extra,
    }
    terms = core.NewTerms(**sent)
    made = core.new_campaign(ordered_id(now, shop.node.rng, "cp"), terms, now, "admin")
    return await shop.node.require_writer().submit(operations.create(made))


async def buy(
    shop: Shop, campaign_id: str, customer: str, number: str = VISA, key: str | None = None
) -> CardPayment:
    campaign = await campaign_actions.require_campaign(shop.node, campaign_id)
    method = await card(shop.api_base, number)
    payment, _ = await premium_actions.buy_set(
        shop.node, shop.gateway, customer, campaign, method, key
    )
    return payment


async def status(shop: Shop, campaign_id: str) -> dict[str, Any]:
    return await campaign_actions.campaign_status(shop.node, campaign_id)
