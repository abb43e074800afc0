"""Buying a premium campaign's set by card (node tier: localstripe and the node in this loop,
the real Stripe SDK): the set is held before the charge and granted in the payment's settle;
concurrent buyers never get more than the stock or their limit; a declined card, a closed
campaign and a campaign that sells nothing change nothing; a lapsed hold returns to the stock,
and a payment that succeeds after its set was taken is refunded; the webhook settles; a form
posted twice charges once; the office's status tells card from counter and still reconciles."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from node.campaigns import actions as campaign_actions
from node.campaigns import holds
from node.campaigns.model import campaign_account
from node.clock import new_id
from node.errors import (
    CampaignClosed,
    CampaignLimitReached,
    CampaignNotEligible,
    CampaignNotForSale,
    CampaignSetsHeld,
    CampaignSoldOut,
)
from node.ledger import queries as ledger_queries
from node.ledger.model import cash_account, psp_account
from node.payments import actions, operations, queries
from node.payments.model import ABANDONED_AFTER_S, PaymentStatus
from node.payments.premium_sale import new_set_payment
from tests.payments_helpers import Shop, account_balances, card_shop, stripe_get
from tests.premium_helpers import DECLINED, VISA, buy, premium, status
from tests.stripe_server import card, intent_event, post_webhook, signed
from tests.test_payments_webhooks import _reversal

PSP = psp_account("stripe")


async def _charged_not_settled(shop: Shop, campaign_id: str, customer: str) -> str:
    """A set held and its card charged at Stripe, the result not brought back yet: its id."""
    campaign = await campaign_actions.require_campaign(shop.node, campaign_id)
    now = shop.clock.now()
    payment = new_set_payment(campaign, customer, new_id(shop.node.rng, "cp"), now)
    hold = holds.new_hold(
        campaign, customer, payment.payment_id, now, now + timedelta(seconds=ABANDONED_AFTER_S)
    )
    start = operations.start(payment, shop.node.settings.zone, lambda c: holds.hold_in(c, hold))
    await shop.node.require_writer().submit(start)
    intent = await shop.gateway.pay(payment, await card(shop.api_base, VISA))
    assert intent.status == "succeeded"
    attach = operations.attach_intent(payment.payment_id, intent.intent_id, now)
    await shop.node.require_writer().submit(attach)
    return payment.payment_id


async def _grants(shop: Shop, campaign_id: str) -> list[tuple[str, int]]:
    rows = await shop.node.require_reader().execute_fetchall(
        "SELECT customer_id, price_yen FROM campaign_grants WHERE campaign_id = ?",
        (campaign_id,),
    )
    return [(str(r["customer_id"]), int(r["price_yen"])) for r in rows]


async def test_a_set_bought_by_card_is_granted_and_booked_to_stripe(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        campaign = await premium(shop)
        resident = await shop.customer()
        payment = await buy(shop, campaign.campaign_id, resident)
        assert payment.status == PaymentStatus.ISSUED and payment.voucher_id is not None
        assert (payment.amount_yen, payment.face_yen) == (10_000, 12_000)
        vouchers = await ledger_queries.list_vouchers(shop.node.require_reader(), resident)
        assert sorted(v.face_yen for v in vouchers) == [2_000, 10_000]  # 専用券 and 共通券
        balances = await account_balances(shop)
        assert balances[PSP] == 10_000  # the price, to Stripe's clearing account
        assert balances[campaign_account(campaign.campaign_id)] == 2_000  # the premium
        assert cash_account(None) not in balances
        assert sum(balances.values()) == 0
        intent = await stripe_get(shop, f"/v1/payment_intents/{payment.intent_id}")
        assert intent["amount"] == 10_000
        assert intent["metadata"] == {
            "payment_id": payment.payment_id,
            "campaign_id": campaign.campaign_id,
            "customer_id": resident,
        }
        counter = await shop.customer("窓口太郎")
        await campaign_actions.grant(shop.node, campaign.campaign_id, counter, "admin")
        shown = await status(shop, campaign.campaign_id)
        assert (shown["paid_by_card_yen"], shown["paid_at_counter_yen"]) == (10_000, 10_000)
        assert (shown["sold_by_card_sets"], shown["held_sets"], shown["granted_sets"]) == (1, 0, 2)
        assert shown["reconciled"] is True


async def test_concurrent_buyers_get_exactly_the_stock(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        campaign = await premium(shop, stock=4, per_person=2)
        people = [await shop.customer(f"住民{i}") for i in range(6)]
        asks = [p for p in people for _ in range(2)] + [people[0]] * 2  # the first asks 4 times
        results = await asyncio.gather(
            *(buy(shop, campaign.campaign_id, p) for p in asks), return_exceptions=True
        )
        issued = [r for r in results if not isinstance(r, BaseException)]
        refused = [r for r in results if isinstance(r, BaseException)]
        assert all(r.status == PaymentStatus.ISSUED for r in issued)
        assert len(issued) == 4, results
        refusals = CampaignSoldOut | CampaignSetsHeld | CampaignLimitReached  # held: until paid
        assert all(isinstance(r, refusals) for r in refused), refused
        granted = await _grants(shop, campaign.campaign_id)
        assert len(granted) == 4
        assert max(granted.count(g) for g in granted) <= 2  # nobody over the per-person limit
        listed = await stripe_get(shop, "/v1/payment_intents?limit=100")
        charged = [i for i in listed["data"] if i["status"] == "succeeded"]  # type: ignore[index]
        assert len(charged) == 4  # nobody charged for a set that could not be granted
        balances = await account_balances(shop)
        assert balances[PSP] == 40_000 and sum(balances.values()) == 0
        shown = await status(shop, campaign.campaign_id)
        assert shown["sold_out"] is True and shown["reconciled"] is True


async def test_a_declined_card_grants_nothing_and_gives_the_set_back(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        campaign = await premium(shop, stock=1)
        resident = await shop.customer()
        payment = await buy(shop, campaign.campaign_id, resident, DECLINED)
        assert payment.status == PaymentStatus.FAILED
        assert await _grants(shop, campaign.campaign_id) == []
        shown = await status(shop, campaign.campaign_id)
        assert (shown["held_sets"], shown["granted_sets"]) == (0, 0)
        other = await shop.customer("次の人")
        again = await buy(shop, campaign.campaign_id, other)  # the one set is there to buy
        assert again.status == PaymentStatus.ISSUED


@pytest.mark.parametrize("refusal", ["closed", "not_for_sale", "not_eligible"])
async def test_refusals_charge_nothing_and_change_nothing(tmp_path: Path, refusal: str) -> None:
    async with card_shop(tmp_path) as shop:
        extra: dict[str, object] = {}
        if refusal == "not_for_sale":
            extra = {"kind": "first-come", "price_yen": None, "local_yen": None}
        if refusal == "not_eligible":
            extra = {"eligibility": ["residence"], "postcodes": ["802"]}
        campaign = await premium(shop, **extra)
        if refusal == "closed":
            await campaign_actions.close_campaign(shop.node, campaign.campaign_id)
        resident = await shop.customer()
        expected = {
            "closed": CampaignClosed,
            "not_for_sale": CampaignNotForSale,
            "not_eligible": CampaignNotEligible,
        }[refusal]
        with pytest.raises(expected):
            await buy(shop, campaign.campaign_id, resident)
        assert await queries.payments_of_customer(shop.node.require_reader(), resident) == []
        listed = await stripe_get(shop, "/v1/payment_intents?limit=100")
        assert listed["data"] == []
        shown = await status(shop, campaign.campaign_id)
        assert (shown["held_sets"], shown["granted_sets"]) == (0, 0)


async def test_a_lapsed_hold_returns_to_stock_and_its_late_payment_is_refunded(
    tmp_path: Path,
) -> None:
    async with card_shop(tmp_path) as shop:
        campaign = await premium(shop, stock=1)
        first, second = await shop.customer("先の人"), await shop.customer("後の人")
        late = await _charged_not_settled(shop, campaign.campaign_id, first)
        assert (await status(shop, campaign.campaign_id))["held_sets"] == 1
        with pytest.raises(CampaignSetsHeld):  # held: nobody else pays for it meanwhile
            await buy(shop, campaign.campaign_id, second)
        shop.clock.advance(seconds=ABANDONED_AFTER_S + 1)
        assert (await status(shop, campaign.campaign_id))["held_sets"] == 0  # lapsed
        bought = await buy(shop, campaign.campaign_id, second)
        assert bought.status == PaymentStatus.ISSUED
        # The first buyer comes back from the card's page: paid, but the set is gone.
        settled = await actions.on_return(shop.node, shop.gateway, first, late)
        assert settled.status == PaymentStatus.REFUNDED
        assert settled.refund_reason == CampaignSoldOut.code and settled.refund_id is not None
        refunds = await stripe_get(shop, f"/v1/refunds?payment_intent={settled.intent_id}")
        assert len(refunds["data"]) == 1  # type: ignore[arg-type]
        assert await _grants(shop, campaign.campaign_id) == [(second, 10_000)]
        shown = await status(shop, campaign.campaign_id)
        assert shown["paid_by_card_yen"] == 10_000 and shown["reconciled"] is True


async def test_a_lapsed_hold_still_in_stock_is_granted_when_paid(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        campaign = await premium(shop, stock=2)
        resident = await shop.customer()
        late = await _charged_not_settled(shop, campaign.campaign_id, resident)
        shop.clock.advance(seconds=ABANDONED_AFTER_S + 1)
        settled = await actions.on_return(shop.node, shop.gateway, resident, late)
        assert settled.status == PaymentStatus.ISSUED


async def test_the_webhook_grants_a_paid_set(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        campaign = await premium(shop)
        resident = await shop.customer()
        payment_id = await _charged_not_settled(shop, campaign.campaign_id, resident)
        stored = await queries.get_payment(shop.node.require_reader(), payment_id)
        assert stored is not None and stored.intent_id is not None
        intent = await stripe_get(shop, f"/v1/payment_intents/{stored.intent_id}")
        payload, signature = signed(intent_event("evt_set", intent, "payment_intent.succeeded"))
        code, answer = await post_webhook(shop.session, shop.base_url, payload, signature)
        assert code == 200 and answer["already_processed"] is False
        settled = await queries.get_payment(shop.node.require_reader(), payment_id)
        assert settled is not None and settled.status == PaymentStatus.ISSUED
        assert await _grants(shop, campaign.campaign_id) == [(resident, 10_000)]
        code, answer = await post_webhook(shop.session, shop.base_url, payload, signature)
        assert code == 200 and answer["already_processed"] is True
        assert len(await _grants(shop, campaign.campaign_id)) == 1


async def test_the_same_form_posted_twice_charges_once(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        campaign = await premium(shop, per_person=3)
        resident = await shop.customer()
        key = new_id(shop.node.rng, "cp")
        first, second = await asyncio.gather(
            buy(shop, campaign.campaign_id, resident, key=key),
            buy(shop, campaign.campaign_id, resident, key=key),
        )
        assert first.payment_id == second.payment_id == key
        assert {first.status, second.status} <= {PaymentStatus.ISSUED, PaymentStatus.PENDING}
        settled = await queries.get_payment(shop.node.require_reader(), key)
        assert settled is not None and settled.status == PaymentStatus.ISSUED
        listed = await stripe_get(shop, "/v1/payment_intents?limit=100")
        assert len(listed["data"]) == 1  # type: ignore[arg-type]
        assert len(await _grants(shop, campaign.campaign_id)) == 1


async def test_the_office_cannot_grant_a_set_held_for_a_card(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        campaign = await premium(shop, stock=1)
        resident, walk_in = await shop.customer(), await shop.customer("窓口の人")
        payment_id = await _charged_not_settled(shop, campaign.campaign_id, resident)
        with pytest.raises(CampaignSetsHeld):
            await campaign_actions.grant(shop.node, campaign.campaign_id, walk_in, "admin")
        settled = await actions.on_return(shop.node, shop.gateway, resident, payment_id)
        assert settled.status == PaymentStatus.ISSUED
        assert await _grants(shop, campaign.campaign_id) == [(resident, 10_000)]


async def test_a_disputed_set_has_both_its_vouchers_suspended(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        campaign = await premium(shop)
        resident = await shop.customer()
        payment = await buy(shop, campaign.campaign_id, resident)
        assert payment.intent_id is not None
        event = _reversal("evt_dispute", "charge.dispute.created", payment.intent_id)
        code, _ = await post_webhook(shop.session, shop.base_url, *signed(event))
        assert code == 200
        vouchers = await ledger_queries.list_vouchers(shop.node.require_reader(), resident)
        assert len(vouchers) == 2 and all(v.suspended_at is not None for v in vouchers)
        settled = await queries.get_payment(shop.node.require_reader(), payment.payment_id)
        assert settled is not None and settled.attention == "charge.dispute.created"
