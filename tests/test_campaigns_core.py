"""The campaigns' pure rules (node/campaigns/core.py), property-tested: one grant's coupons always
add up to the grant's face and price, and however grants are asked for, the rules never let the
stock, the budget, the rounds or a person's limit be passed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from node.campaigns import core
from node.campaigns.model import Campaign, Method, StoreClass
from node.errors import (
    CampaignClosed,
    CampaignError,
    CampaignLimitReached,
    CampaignNotEligible,
    CampaignNotOpen,
    CampaignSoldOut,
    InvalidCampaign,
)

START = datetime(2027, 1, 10, 3, 0, tzinfo=UTC)


def _campaign(**sent: object) -> Campaign:
    base: dict[str, object] = {
        "kind": "first-come",
        "name": "テスト",
        "face_yen": 1000,
        "starts_at": START,
        "ends_at": START + timedelta(days=10),
        "stock": 10,
    }
    base.update(sent)
    return core.new_campaign("cp1", core.NewTerms(**base), START, "admin")  # type: ignore[arg-type]


@given(
    face=st.integers(2, 100_000),
    price_part=st.floats(0.01, 0.99),
    local_part=st.floats(0, 0.9),
)
def test_a_premium_sets_coupons_add_up(face: int, price_part: float, local_part: float) -> None:
    price = max(1, min(face - 1, int(face * price_part)))
    local = int(face * local_part)
    if local >= face:
        return
    campaign = _campaign(kind="premium", face_yen=face, price_yen=price, local_yen=local)
    plans = core.coupon_plan(campaign)
    assert sum(p.face_yen for p in plans) == face
    assert sum(p.price_yen for p in plans) == price
    assert all(0 <= p.price_yen <= p.face_yen and p.face_yen > 0 for p in plans)
    assert sum(p.face_yen for p in plans if p.store_class == StoreClass.LOCAL) == local


@given(face=st.integers(1, 10_000), book=st.integers(2, 100))
def test_a_ticket_books_tickets_add_up(face: int, book: int) -> None:
    campaign = _campaign(kind="ticket-book", face_yen=face, book_count=book)
    plans = core.coupon_plan(campaign)
    assert len(plans) == book and sum(p.face_yen for p in plans) == campaign.grant_face_yen


@settings(max_examples=200)
@given(
    stock=st.one_of(st.none(), st.integers(1, 30)),
    budget_units=st.one_of(st.none(), st.integers(1, 30)),
    per_person=st.integers(1, 3),
    askers=st.lists(st.integers(0, 9), max_size=80),
)
def test_grants_never_pass_the_stock_budget_or_a_persons_limit(
    stock: int | None, budget_units: int | None, per_person: int, askers: list[int]
) -> None:
    if stock is None and budget_units is None:
        stock = 5
    campaign = _campaign(
        stock=stock,
        budget_yen=None if budget_units is None else budget_units * 1000,
        per_person=per_person,
    )
    received: dict[int, int] = {}
    now = START + timedelta(hours=1)
    for person in askers:
        try:
            core.require_grantable(campaign, now, received.get(person, 0), set())
        except CampaignError:
            continue
        received[person] = received.get(person, 0) + 1
        campaign = Campaign(
            **{
                **campaign.__dict__,
                "granted_sets": campaign.granted_sets + 1,
                "granted_yen": campaign.granted_yen + campaign.grant_face_yen,
            }
        )
    assert all(n <= per_person for n in received.values())
    if stock is not None:
        assert campaign.granted_sets <= stock
    if budget_units is not None:
        assert campaign.granted_yen <= budget_units * 1000
    wanted = {p: min(askers.count(p), per_person) for p in set(askers)}
    limit = min(x for x in (stock, budget_units) if x is not None)
    assert campaign.granted_sets == min(sum(wanted.values()), limit)


def test_refusals_in_order() -> None:
    campaign = _campaign(eligibility=["sms"], per_person=1, stock=1)
    with pytest.raises(CampaignNotOpen):
        core.require_grantable(campaign, START - timedelta(seconds=1), 0, set())
    with pytest.raises(CampaignNotEligible):
        core.require_grantable(campaign, START, 0, set())
    with pytest.raises(CampaignLimitReached):
        core.require_grantable(campaign, START, 1, {Method.SMS})
    full = Campaign(**{**campaign.__dict__, "granted_sets": 1, "granted_yen": 1000})
    with pytest.raises(CampaignSoldOut):
        core.require_grantable(full, START, 0, {Method.SMS})
    closed = Campaign(**{**campaign.__dict__, "closed_at": START})
    with pytest.raises(CampaignClosed):
        core.require_grantable(closed, START, 0, {Method.SMS})


@pytest.mark.parametrize(
    ("typed", "normal"),
    [("〒802-0001", "8020001"), ("８０２０００１", "8020001"), ("802", "802"), ("80-2", None)],
)
def test_postcodes_are_read_as_typed(typed: str, normal: str | None) -> None:
    assert core.normal_postcode(typed) == normal


def test_rounds_must_release_the_whole_stock() -> None:
    rounds = [(START, 3), (START + timedelta(days=1), 3)]
    with pytest.raises(InvalidCampaign) as refused:
        _campaign(stock=10, rounds=rounds)
    assert refused.value.details.get("field") == "rounds" or "rounds" in str(refused.value)
    made = _campaign(stock=6, rounds=rounds)
    assert core.released_stock(made, START) == 3
    assert core.released_stock(made, START + timedelta(days=1)) == 6
