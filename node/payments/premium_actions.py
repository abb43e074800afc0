"""Buying a premium campaign's set by card: hold it (node/campaigns/holds.py, in the payment's
start unit), then charge through the shop's card flow (actions.charge); premium_sale.py grants
the set from its hold when the payment settles."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from node.campaigns import holds
from node.campaigns.model import Campaign
from node.clock import new_id
from node.compliance import refund_actions
from node.payments import actions, operations
from node.payments.gateway import StripeGateway
from node.payments.model import ABANDONED_AFTER_S, CardPayment, IntentView
from node.payments.premium_sale import new_set_payment
from node.runtime import Node

PAYMENT_PREFIX = "cp"  # the same one-time form key as the shop's


async def buy_set(
    node: Node,
    gateway: StripeGateway,
    customer_id: str,
    campaign: Campaign,
    payment_method_id: str,
    payment_id: str | None = None,
) -> tuple[CardPayment, IntentView | None]:
    """Hold a set for the resident, then charge their card; the same form posted again
    (`payment_id`, its one-time key) charges nothing more. Refused before any charge, changing
    nothing, when the set could not be granted now, and while a business abolition is open."""
    holds.for_sale(campaign)
    await refund_actions.require_selling(node)
    now = node.clock.now()
    payment = new_set_payment(
        campaign, customer_id, payment_id or new_id(node.rng, PAYMENT_PREFIX), now
    )
    hold = holds.new_hold(
        campaign, customer_id, payment.payment_id, now, now + timedelta(seconds=ABANDONED_AFTER_S)
    )

    def reserve(conn: sqlite3.Connection) -> None:
        holds.hold_in(conn, hold)

    start = operations.start(payment, node.settings.zone, reserve)
    return await actions.charge(node, gateway, start, payment_method_id)
