"""What the office, residents and integrations do with campaigns, shared by the JSON API, the CLI
(through the API), the console and the wallet. Each takes `Node` and returns the JSON answer every
surface shows (the API's body; pages read the same keys).

`actor` is who asked: `admin` (the office: the console or the admin token), `key:<name>` (an
integration key), `customer:<id>` (a resident in the wallet). The office's own grant follows the
same rules as a resident's: the checks the campaign asks for, the per-person limit, the stock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from node.campaigns import core, grant_key_queries, grant_keys, operations, queries
from node.campaigns.grant_keys import GrantKey
from node.campaigns.model import Campaign, Grant
from node.clock import iso, ordered_id
from node.errors import InvalidCampaign, MunicipalCampaignNotFound
from node.ledger.fresh import fresh_number, new_voucher
from node.moments import parse_moment
from node.runtime import Node

CAMPAIGN_ID_PREFIX = "cp"


@dataclass(frozen=True)
class CampaignInput:
    """A new campaign as sent: moments as text (ISO 8601 with offset), the rest as JSON values."""

    kind: object
    name: object
    face_yen: object
    starts_at: object
    ends_at: object
    use_until: object = None
    price_yen: object = None
    local_yen: object = None
    book_count: object = None
    stock: object = None
    per_person: object = None
    budget_yen: object = None
    terms: object = None
    eligibility: object = None
    postcodes: object = None
    rounds: object = None  # [{"opens_at": moment, "stock": n}, ...]


def _moment(value: object, field: str) -> datetime:
    return parse_moment(value, field, error=InvalidCampaign)


def _rounds(value: object) -> list[tuple[datetime, object]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(
        isinstance(r, dict) and set(r) == {"opens_at", "stock"} for r in value
    ):
        raise InvalidCampaign(
            "`rounds` is a list of {opens_at, stock}, one per release.", field="rounds"
        )
    return [(_moment(r["opens_at"], "rounds"), r["stock"]) for r in value]


def terms_of(sent: CampaignInput) -> core.NewTerms:
    return core.NewTerms(
        kind=sent.kind,
        name=sent.name,
        face_yen=sent.face_yen,
        starts_at=_moment(sent.starts_at, "starts_at"),
        ends_at=_moment(sent.ends_at, "ends_at"),
        use_until=None if sent.use_until is None else _moment(sent.use_until, "use_until"),
        price_yen=sent.price_yen,
        local_yen=sent.local_yen,
        book_count=sent.book_count,
        stock=sent.stock,
        per_person=sent.per_person,
        budget_yen=sent.budget_yen,
        terms=sent.terms,
        eligibility=sent.eligibility,
        postcodes=sent.postcodes,
        rounds=_rounds(sent.rounds),
    )


def campaign_answer(campaign: Campaign, now: datetime) -> dict[str, Any]:
    released = core.released_stock(campaign, now)
    upcoming = core.next_round(campaign, now)
    return {
        "campaign_id": campaign.campaign_id,
        "kind": campaign.kind.value,
        "name": campaign.name,
        "terms": campaign.terms,
        "face_yen": campaign.face_yen,
        "price_yen": campaign.price_yen,
        "local_yen": campaign.local_yen,
        "book_count": campaign.book_count,
        "grant_face_yen": campaign.grant_face_yen,
        "stock": campaign.stock,
        "per_person": campaign.per_person,
        "budget_yen": campaign.budget_yen,
        "starts_at": iso(campaign.starts_at),
        "ends_at": iso(campaign.ends_at),
        "use_until": iso(campaign.use_until),
        "eligibility": sorted(m.value for m in campaign.eligibility),
        "postcodes": list(campaign.postcodes),
        "rounds": [
            {"round_no": r.round_no, "opens_at": iso(r.opens_at), "stock": r.stock}
            for r in campaign.rounds
        ],
        "released": released,
        "next_round_at": None if upcoming is None else iso(upcoming.opens_at),
        "granted_sets": campaign.granted_sets,
        "granted_yen": campaign.granted_yen,
        "remaining_yen": core.remaining_yen(campaign),
        "sold_out": core.is_exhausted(campaign),
        "is_open": campaign.closed_at is None and campaign.starts_at <= now <= campaign.ends_at,
        "closed_at": iso(campaign.closed_at),
        "created_at": iso(campaign.created_at),
    }


def grant_answer(grant: Grant) -> dict[str, Any]:
    return {
        "grant_id": grant.grant_id,
        "campaign_id": grant.campaign_id,
        "customer_id": grant.customer_id,
        "voucher_id": grant.voucher_ids[0],
        "voucher_ids": list(grant.voucher_ids),
        "face_yen": grant.face_yen,
        "price_yen": grant.price_yen,
        "seq": grant.seq,
        "granted_at": iso(grant.granted_at),
    }


async def create_campaign(node: Node, sent: CampaignInput, actor: str) -> dict[str, Any]:
    now = node.clock.now()
    campaign_id = ordered_id(now, node.rng, CAMPAIGN_ID_PREFIX)
    campaign = core.new_campaign(campaign_id, terms_of(sent), now, actor)
    created = await node.require_writer().submit(operations.create(campaign))
    return campaign_answer(created, now)


async def require_campaign(node: Node, campaign_id: str) -> Campaign:
    found = await queries.campaign(node.require_reader(), campaign_id)
    if found is None:
        raise MunicipalCampaignNotFound()
    return found


async def list_campaigns(node: Node) -> dict[str, Any]:
    now = node.clock.now()
    listed = await queries.campaigns(node.require_reader())
    return {"campaigns": [campaign_answer(c, now) for c in listed]}


async def public_campaigns(node: Node) -> list[dict[str, Any]]:
    now = node.clock.now()
    listed = await queries.public_campaigns(node.require_reader(), now)
    return [campaign_answer(c, now) for c in listed]


async def campaign_status(node: Node, campaign_id: str) -> dict[str, Any]:
    """The budget and where every yen granted is: used at stores, lapsed at expiry, still on the
    vouchers. `reconciled` is false when the campaign's own count and the ledger disagree, or
    granted != used + lapsed + outstanding (an alarm for the office, never expected)."""
    reader, now = node.require_reader(), node.clock.now()
    campaign = await require_campaign(node, campaign_id)
    sums = await queries.ledger_sums(reader, campaign_id)
    sales = await queries.sale_sums(reader, campaign_id, now)
    balanced = sums.granted_yen == sums.used_yen + sums.lapsed_yen + sums.outstanding_yen
    paid_apart = sales.card_yen + sales.counter_yen == sums.price_yen
    return {
        **campaign_answer(campaign, node.clock.now()),
        "budget_yen": campaign.budget_yen,
        "granted_yen": campaign.granted_yen,
        "used_yen": sums.used_yen,
        "lapsed_yen": sums.lapsed_yen,
        "outstanding_yen": sums.outstanding_yen,
        "paid_by_residents_yen": sums.price_yen,
        "funded_by_budget_yen": sums.granted_yen - sums.price_yen,
        "paid_by_card_yen": sales.card_yen,
        "paid_at_counter_yen": sales.counter_yen,
        "sold_by_card_sets": sales.card_sets,
        "held_sets": sales.held_sets,
        "held_yen": sales.held_yen,
        "vouchers": sums.vouchers,
        "reconciled": balanced
        and sums.granted_yen == campaign.granted_yen
        and paid_apart
        and sales.card_yen == sales.card_sets_yen,
    }


def grant_request(
    node: Node,
    campaign: Campaign,
    customer_id: str,
    actor: str,
    gate_passed: bool = False,
    key: GrantKey | None = None,
) -> operations.GrantRequest:
    """A grant with the ids it will need drawn now (the writer thread draws no randomness)."""
    now = node.clock.now()
    return operations.GrantRequest(
        campaign_id=campaign.campaign_id,
        customer_id=customer_id,
        actor=actor,
        grant_id=ordered_id(now, node.rng, "gr"),
        vouchers=[new_voucher(node.rng, now) for _ in range(max(2, campaign.book_count))],
        gate_passed=gate_passed,
        key=key,
    )


async def grant(
    node: Node,
    campaign_id: str,
    customer_id: str,
    actor: str,
    gate_passed: bool = False,
    key: GrantKey | None = None,
) -> dict[str, Any]:
    """One grant now, decided and made in one writer unit; its answer once durable. With `key`
    (grant_keys.py), the grant that key made already, if it made one."""
    campaign = await require_campaign(node, campaign_id)
    request = grant_request(node, campaign, customer_id, actor, gate_passed, key)
    made = await node.require_writer().submit(
        operations.grant(request, node.settings, node.clock.now(), lambda: fresh_number(node.rng))
    )
    return grant_answer(made)


async def keyed_grant(node: Node, key: GrantKey) -> dict[str, Any] | None:
    """The answer to a key sent again, read without the writer (its grant is durable already);
    None for a key not stored (yet). A key sent with another request is refused."""
    stored = await grant_key_queries.stored_key(node.require_reader(), key.key)
    replayed = grant_keys.replayed(stored, key)
    return None if replayed is None else grant_answer(replayed)


async def close_campaign(node: Node, campaign_id: str) -> dict[str, Any]:
    now = node.clock.now()
    closed = await node.require_writer().submit(operations.close(campaign_id, now))
    return campaign_answer(closed, now)


async def set_store_local(node: Node, store_id: str, local: bool) -> dict[str, Any]:
    await node.require_writer().submit(operations.set_store_local(store_id, local))
    return {"store_id": store_id, "local": local}


async def coupons_of(node: Node, customer_id: str) -> list[dict[str, Any]]:
    held = await queries.coupons_of(node.require_reader(), customer_id)
    return [
        {
            "campaign_id": c.campaign_id,
            "campaign_name": c.campaign_name,
            "grant_id": c.grant_id,
            "voucher_id": c.voucher_id,
            "store_class": c.store_class,
            "face_yen": c.face_yen,
            "balance_yen": c.balance_yen,
            "status": c.status,
            "expires_at": iso(c.expires_at),
            "granted_at": iso(c.granted_at),
        }
        for c in held
    ]
