"""Premium sets sold by card: the hold that reserves a set before the card is charged, and its
end (the grant, in the payment's own settle unit, or the release). Writer units and pieces of
them, called by node/payments/premium_sale.py; the card itself is node.payments' business.

A hold is checked as a grant is (the checks passed, the period, the person's limit, the stock,
the budget), with every other live hold counted as granted (operations.counting_holds), so
concurrent buyers cannot hold more than the stock and nobody is charged for a set that cannot
be granted. It lapses by itself at `expires_at` (the payment's abandonment window): no sweep
returns it, the counts simply stop counting it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from node.campaigns import core, hold_tables, operations, tables
from node.campaigns.model import Campaign, CampaignKind, Grant, Hold, HoldStatus
from node.errors import (
    CampaignNotForSale,
    CustomerNotFound,
    KippuError,
    MunicipalCampaignNotFound,
)
from node.ledger import tables as ledger_tables
from node.ledger.operations import LedgerSettings


def for_sale(campaign: Campaign | None) -> Campaign:
    """The campaign, if it is one whose sets are sold (premium); refused otherwise."""
    if campaign is None:
        raise MunicipalCampaignNotFound()
    if campaign.kind != CampaignKind.PREMIUM:
        raise CampaignNotForSale()
    return campaign


def new_hold(
    campaign: Campaign, customer_id: str, hold_id: str, now: datetime, expires_at: datetime
) -> Hold:
    return Hold(
        hold_id=hold_id,
        campaign_id=campaign.campaign_id,
        customer_id=customer_id,
        face_yen=campaign.grant_face_yen,
        price_yen=campaign.price_yen,
        status=HoldStatus.HELD,
        grant_id=None,
        created_at=now,
        expires_at=expires_at,
    )


def hold_in(conn: sqlite3.Connection, hold: Hold) -> None:
    """Hold a set for the resident, or refuse exactly as a grant now would (nothing written)."""
    campaign = for_sale(tables.load_campaign(conn, hold.campaign_id))
    if not ledger_tables.customer_exists(conn, hold.customer_id):
        raise CustomerNotFound()
    received = tables.grants_of_person(conn, campaign.campaign_id, hold.customer_id)
    passed = tables.passed_methods(conn, campaign.campaign_id, hold.customer_id)
    counted, held = operations.counting_holds(
        conn, campaign, hold.customer_id, hold.created_at, hold.hold_id
    )
    core.require_grantable_held(campaign, counted, hold.created_at, received + held, passed)
    hold_tables.insert_hold(conn, hold)


def grant_held_in(
    conn: sqlite3.Connection,
    request: operations.GrantRequest,
    settings: LedgerSettings,
    now: datetime,
    fresh_number: Callable[[], str],
) -> Grant:
    """The paid hold becomes its grant (checked again: a lapsed hold whose set was taken since,
    or a campaign closed meanwhile, refuses, and the caller refunds the payment)."""
    hold = None if request.hold_id is None else hold_tables.load_hold(conn, request.hold_id)
    if hold is None or hold.customer_id != request.customer_id:
        raise MunicipalCampaignNotFound("No set was held for this payment.")
    if hold.status != HoldStatus.HELD:
        # A payment issues once (its own status guards it), so a hold ended already is a broken
        # invariant: refuse, and the caller refunds, rather than grant beside a released hold.
        raise KippuError(f"the hold {hold.hold_id} of this payment ended already")
    made = operations.grant_in(conn, request, settings, now, fresh_number)
    if not hold_tables.end_hold(conn, hold.hold_id, HoldStatus.GRANTED, made.grant_id, now):
        raise KippuError(f"the hold {hold.hold_id} ended while it was being granted")
    return made


def release_in(conn: sqlite3.Connection, hold_id: str, now: datetime) -> None:
    """The payment ended without a grant (declined, cancelled, refunded): the set is back at
    once. A hold ended already is left as it is."""
    hold_tables.end_hold(conn, hold_id, HoldStatus.RELEASED, None, now)


def vouchers_of_hold(conn: sqlite3.Connection, hold_id: str) -> list[str]:
    """The vouchers of the grant a paid hold became (a 共通券 first); none before it is granted."""
    hold = hold_tables.load_hold(conn, hold_id)
    if hold is None or hold.grant_id is None:
        return []
    return tables.vouchers_of_grant(conn, hold.grant_id)
