"""A charge refunded or disputed at Stripe before our payment settled (node tier: localstripe
and the node in this loop, the real Stripe SDK): the `charge.refunded` or
`charge.dispute.created` that arrives while the payment is `pending` ends it `refunded` with the
reason, its held set back in stock; the customer's return, the late `payment_intent.succeeded`
and the sweep that come after issue no voucher, grant no set and refund nothing again; a replay
of the event changes nothing; no yen is booked and the books balance. A payment given up here
whose charge is then refunded at Stripe ends the same way, refunded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from node.errors import KippuError
from node.ledger import queries as ledger_queries
from node.ledger.model import psp_account
from node.payments import actions, operations, queries
from node.payments.model import ABANDONED_AFTER_S, CardPayment, PaymentStatus
from tests.payments_helpers import Shop, account_balances, card_shop, stripe_get
from tests.premium_helpers import buy, premium, status
from tests.stripe_server import SECRET_KEY, intent_event, post_webhook, signed
from tests.test_campaign_premium_sale import _charged_not_settled, _grants
from tests.test_payments_flow import _paid_not_settled
from tests.test_payments_webhooks import _reversal

PSP = psp_account("stripe")
REASONS = {
    "charge.refunded": "payment.refunded_at_stripe",
    "charge.dispute.created": "payment.disputed",
}
REVERSALS = pytest.mark.parametrize("kind", sorted(REASONS))


async def _stored(shop: Shop, payment_id: str) -> CardPayment:
    payment = await queries.get_payment(shop.node.require_reader(), payment_id)
    assert payment is not None
    return payment


async def _refunds_at_stripe(shop: Shop, intent_id: str) -> int:
    listed = await stripe_get(shop, f"/v1/refunds?payment_intent={intent_id}")
    return len(listed["data"])  # type: ignore[arg-type]


async def _reversed_at_stripe(shop: Shop, payment_id: str, kind: str) -> CardPayment:
    """Stripe reverses the pending payment's charge (a refund in the dashboard, made at
    localstripe; a dispute) and tells the node; the event sent twice. The payment after it."""
    intent_id = (await _stored(shop, payment_id)).intent_id
    assert intent_id is not None
    if kind == "charge.refunded":
        headers = {"Authorization": f"Bearer {SECRET_KEY}"}
        url = f"{shop.api_base}/v1/refunds"
        async with shop.session.post(url, data={"payment_intent": intent_id}, headers=headers) as r:
            assert r.status == 200, await r.text()
    payload, signature = signed(_reversal(f"evt_{kind}", kind, intent_id))
    code, answer = await post_webhook(shop.session, shop.base_url, payload, signature)
    assert (code, answer["already_processed"]) == (200, False)
    ended = await _stored(shop, payment_id)
    code, answer = await post_webhook(shop.session, shop.base_url, payload, signature)
    assert (code, answer["already_processed"]) == (200, True)  # the replay changes nothing
    assert await _stored(shop, payment_id) == ended
    return ended


async def _settled_late(shop: Shop, customer: str, payment_id: str) -> None:
    """Everything that would settle a pending payment, after the reversal: the customer's
    return, the late payment_intent.succeeded, the sweep past the abandonment window."""
    returned = await actions.on_return(shop.node, shop.gateway, customer, payment_id)
    assert returned.status == PaymentStatus.REFUNDED
    intent = await stripe_get(shop, f"/v1/payment_intents/{returned.intent_id}")
    assert intent["status"] == "succeeded"  # Stripe still says the intent was paid
    event = intent_event(f"evt_late_{payment_id}", intent, "payment_intent.succeeded")
    code, answer = await post_webhook(shop.session, shop.base_url, *signed(event))
    assert (code, answer["already_processed"]) == (200, False)
    shop.clock.advance(seconds=ABANDONED_AFTER_S + 1)
    assert await actions.sweep(shop.node, shop.gateway) == 0  # nothing left to finish


def _ended_as(payment: CardPayment, kind: str) -> None:
    assert payment.status == PaymentStatus.REFUNDED
    assert (payment.refund_reason, payment.attention) == (REASONS[kind], kind)
    assert payment.voucher_id is None and payment.refund_id is None  # not refunded by us


@REVERSALS
async def test_a_product_reversed_before_it_settles_is_never_issued(
    tmp_path: Path, kind: str
) -> None:
    async with card_shop(tmp_path) as shop:
        product = await shop.product(10_000, 9_500)
        customer = await shop.customer()
        payment_id = await _paid_not_settled(shop, product.product_id, customer)
        assert (await _stored(shop, payment_id)).status == PaymentStatus.PENDING
        _ended_as(await _reversed_at_stripe(shop, payment_id, kind), kind)
        await _settled_late(shop, customer, payment_id)
        final = await _stored(shop, payment_id)
        _ended_as(final, kind)
        assert final.fee_yen == 0  # Stripe's fee read once (localstripe's is 0)
        assert final.intent_id is not None
        assert await _refunds_at_stripe(shop, final.intent_id) == (
            1 if kind == "charge.refunded" else 0
        )
        reader = shop.node.require_reader()
        assert await ledger_queries.list_vouchers(reader, customer) == []
        balances = await account_balances(shop)
        assert balances.get(PSP, 0) == 0 and sum(balances.values()) == 0  # no yen created
        # The product is still there to buy: the reversed payment no longer counts as pending.
        bought = await shop.product(5_000, 5_000)
        again = await _paid_not_settled(shop, bought.product_id, customer)
        issued = await actions.on_return(shop.node, shop.gateway, customer, again)
        assert issued.status == PaymentStatus.ISSUED


@REVERSALS
async def test_a_premium_set_reversed_before_it_settles_is_never_granted(
    tmp_path: Path, kind: str
) -> None:
    async with card_shop(tmp_path) as shop:
        campaign = await premium(shop, stock=1)
        resident, next_one = await shop.customer(), await shop.customer("次の人")
        payment_id = await _charged_not_settled(shop, campaign.campaign_id, resident)
        assert (await status(shop, campaign.campaign_id))["held_sets"] == 1
        _ended_as(await _reversed_at_stripe(shop, payment_id, kind), kind)
        shown = await status(shop, campaign.campaign_id)
        assert (shown["held_sets"], shown["granted_sets"]) == (0, 0)  # the set is back at once
        await _settled_late(shop, resident, payment_id)
        final = await _stored(shop, payment_id)
        _ended_as(final, kind)
        assert final.intent_id is not None
        assert await _refunds_at_stripe(shop, final.intent_id) == (
            1 if kind == "charge.refunded" else 0
        )
        assert await _grants(shop, campaign.campaign_id) == []
        reader = shop.node.require_reader()
        assert await ledger_queries.list_vouchers(reader, resident) == []
        assert sum((await account_balances(shop)).values()) == 0
        shown = await status(shop, campaign.campaign_id)
        assert (shown["paid_by_card_yen"], shown["sold_by_card_sets"]) == (0, 0)
        assert shown["reconciled"] is True
        # The one set, never granted, is sold to the next resident; the books still balance.
        bought = await buy(shop, campaign.campaign_id, next_one)
        assert bought.status == PaymentStatus.ISSUED
        assert await _grants(shop, campaign.campaign_id) == [(next_one, 10_000)]
        balances = await account_balances(shop)
        assert balances[PSP] == 10_000 and sum(balances.values()) == 0
        shown = await status(shop, campaign.campaign_id)
        assert shown["sold_out"] is True and shown["reconciled"] is True


async def test_a_payment_given_up_then_reversed_is_not_refunded_again(tmp_path: Path) -> None:
    """Cancelled here (abandoned) while Stripe charged it, then refunded in the dashboard: the
    late success that would have had the node refund it finds it refunded already."""
    async with card_shop(tmp_path) as shop:
        product = await shop.product(10_000, 9_500)
        customer = await shop.customer()
        payment_id = await _paid_not_settled(shop, product.product_id, customer)
        now = shop.clock.now()
        give_up = operations.give_up(payment_id, PaymentStatus.CANCELLED, "abandoned", now)
        await shop.node.require_writer().submit(give_up)
        _ended_as(await _reversed_at_stripe(shop, payment_id, "charge.refunded"), "charge.refunded")
        await _settled_late(shop, customer, payment_id)
        final = await _stored(shop, payment_id)
        _ended_as(final, "charge.refunded")
        assert final.intent_id is not None and await _refunds_at_stripe(shop, final.intent_id) == 1
        assert sum((await account_balances(shop)).values()) == 0


async def test_recording_our_refund_refuses_a_payment_we_were_not_refunding(tmp_path: Path) -> None:
    """The wider moves into `refunded` belong to a reversal at Stripe: recording a refund of
    ours on a payment still pending refuses and leaves it as it was."""
    async with card_shop(tmp_path) as shop:
        product = await shop.product(10_000, 9_500)
        payment_id = await _paid_not_settled(shop, product.product_id, await shop.customer())
        unit = operations.refunded(payment_id, "re_not_ours", shop.clock.now())
        with pytest.raises(KippuError, match="not refunding"):
            await shop.node.require_writer().submit(unit)
        stored = await _stored(shop, payment_id)
        assert (stored.status, stored.refund_id) == (PaymentStatus.PENDING, None)
