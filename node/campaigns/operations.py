"""The campaigns' writer units: each loads state, applies a rule of core.py and saves it in the
writer's one transaction, so its answer is given only once it is durable.

A grant is decided and made in one unit: the campaign's counts, the person's grants so far and
the checks they passed are read, the rule applied, the vouchers issued through the ledger (one
issue entry each: cash at the price, the campaign's budget for the rest, the voucher at face),
and the counts raised. Two grants can never both take the last of the stock: the writer runs one
unit at a time, and the schema's CHECKs refuse an oversell besides.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from node.campaigns import core, grant_key_tables, grant_keys, hold_tables, tables
from node.campaigns.grant_keys import GrantKey
from node.campaigns.model import (
    LOCAL_GROUP,
    Campaign,
    CampaignKind,
    CouponPlan,
    Grant,
    StoreClass,
    campaign_account,
)
from node.errors import CustomerNotFound, KippuError, MunicipalCampaignNotFound, StoreNotFound
from node.ledger import core as ledger_core
from node.ledger import operations as ledger_operations
from node.ledger import tables as ledger_tables
from node.ledger import terms_tables
from node.ledger.fresh import NewVoucher
from node.ledger.operations import LedgerSettings


def create(campaign: Campaign) -> Callable[[sqlite3.Connection], Campaign]:
    def work(conn: sqlite3.Connection) -> Campaign:
        tables.insert_campaign(conn, campaign)
        return campaign

    return work


def close(campaign_id: str, now: datetime) -> Callable[[sqlite3.Connection], Campaign]:
    def work(conn: sqlite3.Connection) -> Campaign:
        if tables.load_campaign(conn, campaign_id) is None:
            raise MunicipalCampaignNotFound()
        tables.close_campaign(conn, campaign_id, now)
        closed = tables.load_campaign(conn, campaign_id)
        assert closed is not None  # noqa: S101 - loaded just above in this transaction
        return closed

    return work


@dataclass(frozen=True)
class GrantRequest:
    """One grant asked for: who, by whom (`actor`: `admin`, `customer:<id>`, `key:<name>`), the
    ids drawn for it beforehand (the writer thread draws no randomness), and whether the
    campaign's own gate was passed (a lottery win claimed, a survey answered). `key`: the
    caller's idempotency key (grant_keys.py), stored with the grant it makes."""

    campaign_id: str
    customer_id: str
    actor: str
    grant_id: str
    vouchers: Sequence[NewVoucher]  # at least as many as the campaign's coupons per grant
    gate_passed: bool = False
    key: GrantKey | None = None
    paid_into: str | None = None  # where the price goes: the office's cash (None), or Stripe's
    hold_id: str | None = None  # the hold this grant makes good (a premium set paid by card)


def grant_in(
    conn: sqlite3.Connection,
    request: GrantRequest,
    settings: LedgerSettings,
    now: datetime,
    fresh_number: Callable[[], str],
    loaded: Campaign | None = None,
) -> Grant:
    """Decide and make one grant inside the caller's transaction (a batch of grants calls this
    once per request, each under its own SAVEPOINT, passing the campaign as this transaction
    has it in `loaded`: rush_operations.grant_batch). A key sent before answers its grant
    (not `request.grant_id`'s), before any rule: the grant stands whatever changed since."""
    if request.key is not None:
        earlier = grant_key_tables.stored_key(conn, request.key.key)
        replayed = grant_keys.replayed(earlier, request.key)
        if replayed is not None:
            return replayed
    campaign = loaded or tables.load_campaign(conn, request.campaign_id)
    if campaign is None:
        raise MunicipalCampaignNotFound()
    if not ledger_tables.customer_exists(conn, request.customer_id):
        raise CustomerNotFound()
    received = tables.grants_of_person(conn, campaign.campaign_id, request.customer_id)
    passed = (
        tables.passed_methods(conn, campaign.campaign_id, request.customer_id)
        if campaign.eligibility
        else set()
    )
    counted, held = counting_holds(conn, campaign, request.customer_id, now, request.hold_id)
    core.require_grantable_held(
        campaign, counted, now, received + held, passed, gate_passed=request.gate_passed
    )
    plans = core.coupon_plan(campaign)
    if len(request.vouchers) < len(plans):
        raise KippuError(f"a grant of {len(plans)} coupons was drawn {len(request.vouchers)} ids")
    voucher_ids: list[str] = []
    for plan, drawn in zip(plans, request.vouchers, strict=False):
        issue = issue_request(campaign, plan, drawn, request)
        voucher = ledger_operations.issue(issue, settings, now, fresh_number)(conn)
        terms_tables.set_voucher_terms(
            conn, voucher.voucher_id, store_group(plan), no_gift=True, own_stores_only=True
        )
        voucher_ids.append(voucher.voucher_id)
    grant = made_grant(campaign, request, received, now, voucher_ids)
    tables.insert_grant(conn, grant, [plan.store_class for plan in plans])
    tables.count_grant(conn, campaign.campaign_id, campaign.grant_face_yen)
    if request.key is not None:
        grant_key_tables.insert_key(conn, request.key, grant, now)
    return grant


def issue_request(
    campaign: Campaign, plan: CouponPlan, drawn: NewVoucher, request: GrantRequest
) -> ledger_core.IssueRequest:
    """The ledger's issue of one of a grant's coupons: to the resident, paid from the
    campaign's budget (the price, if any, as cash or into `request.paid_into`), valid until
    the campaign's use-by."""
    return ledger_core.IssueRequest(
        voucher_id=drawn.voucher_id,
        secret=drawn.secret,
        face_yen=plan.face_yen,
        price_yen=plan.price_yen,
        holder_id=request.customer_id,
        store_id=None,
        valid_days=None,
        txn_id=drawn.txn_id,
        expires_at=campaign.use_until,
        funded_from=campaign_account(campaign.campaign_id),
        paid_into=request.paid_into,
    )


def store_group(plan: CouponPlan) -> str | None:
    """The stores a coupon is spent at: a 専用券 at the local shops only."""
    return LOCAL_GROUP if plan.store_class == StoreClass.LOCAL else None


def made_grant(
    campaign: Campaign,
    request: GrantRequest,
    received: int,
    now: datetime,
    voucher_ids: Sequence[str],
) -> Grant:
    """The grant record of `request` once its coupons are issued (`received`: before it)."""
    return Grant(
        grant_id=request.grant_id,
        campaign_id=campaign.campaign_id,
        customer_id=request.customer_id,
        seq=received + 1,
        face_yen=campaign.grant_face_yen,
        price_yen=campaign.price_yen,
        granted_at=now,
        actor=request.actor,
        voucher_ids=tuple(voucher_ids),
    )


def counting_holds(
    conn: sqlite3.Connection,
    campaign: Campaign,
    customer_id: str,
    now: datetime,
    except_hold: str | None,
) -> tuple[Campaign, int]:
    """The campaign with the sets held for card payments counted as granted, and the person's
    own live holds: what a grant or a new hold is checked against. Only premium sets are held
    (the other kinds skip the reads: the rush's grants stay as they were)."""
    if campaign.kind != CampaignKind.PREMIUM:
        return campaign, 0
    sets, yen = hold_tables.live_holds(conn, campaign.campaign_id, now, except_hold)
    mine = hold_tables.live_holds_of_person(
        conn, campaign.campaign_id, customer_id, now, except_hold
    )
    return core.with_holds(campaign, sets, yen), mine


def grant(
    request: GrantRequest,
    settings: LedgerSettings,
    now: datetime,
    fresh_number: Callable[[], str],
) -> Callable[[sqlite3.Connection], Grant]:
    def work(conn: sqlite3.Connection) -> Grant:
        return grant_in(conn, request, settings, now, fresh_number)

    return work


def set_store_local(store_id: str, local: bool) -> Callable[[sqlite3.Connection], bool]:
    """Mark a store a small local shop (専用券 accepted) or not; answers the new state."""

    def work(conn: sqlite3.Connection) -> bool:
        if ledger_tables.load_store(conn, store_id) is None:
            raise StoreNotFound()
        if local:
            terms_tables.join_group(conn, store_id, LOCAL_GROUP)
        else:
            terms_tables.leave_group(conn, store_id, LOCAL_GROUP)
        return local

    return work
