"""A premium campaign's set (プレミアム商品券) bought by card: the payment that holds the set, and
the unit that grants it from its hold when Stripe says it was paid.

The card flow is the shop's (actions.charge, settle, the webhook, the sweep, refunds and fees):
only what is bought differs. The start unit holds the set (node/campaigns/holds.py) in the same
transaction that records the payment, so a refused hold charges nothing; the settle unit turns
the hold into the grant in the same transaction as the payment's `issued`, the price paid into
Stripe's clearing account and the premium from the campaign's budget. A grant refused at settle
(the hold lapsed and the stock went meanwhile, the campaign closed) marks the payment to be
refunded, in that same transaction, and releases the hold.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from node.campaigns import holds
from node.campaigns.model import Campaign
from node.campaigns.operations import GrantRequest
from node.clock import ordered_id
from node.compliance import refund_operations
from node.ledger.fresh import fresh_number, new_voucher
from node.ledger.model import psp_account
from node.payments import operations
from node.payments.model import PROVIDER, CardPayment
from node.runtime import Node


def new_set_payment(
    campaign: Campaign, customer_id: str, payment_id: str, now: datetime
) -> CardPayment:
    return CardPayment.pending(
        payment_id,
        customer_id,
        campaign.price_yen,
        campaign.grant_face_yen,
        now,
        campaign_id=campaign.campaign_id,
    )


def grant_for(node: Node, now: datetime) -> operations.SellFor:
    """The unit that grants a paid set from its hold; ids and secrets drawn now (the writer
    thread draws no randomness)."""
    grant_id = ordered_id(now, node.rng, "gr")
    vouchers = [new_voucher(node.rng, now) for _ in range(2)]  # a 共通券 and a 専用券 at most

    def fresh() -> str:
        return fresh_number(node.rng)

    def unit(payment: CardPayment) -> Callable[[sqlite3.Connection], str]:
        request = GrantRequest(
            campaign_id=str(payment.campaign_id),
            customer_id=payment.customer_id,
            actor=f"customer:{payment.customer_id}",
            grant_id=grant_id,
            vouchers=vouchers,
            paid_into=psp_account(PROVIDER),
            hold_id=payment.payment_id,
        )

        def grant(conn: sqlite3.Connection) -> str:
            made = holds.grant_held_in(conn, request, node.settings, now, fresh)
            return made.voucher_ids[0]

        return refund_operations.while_selling(now, grant)

    return unit
