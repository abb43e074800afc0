"""Buying a voucher by card against localstripe with the real SDK (node tier: localstripe and the
node in this event loop): a purchase issues one voucher and books price, premium and PSP
clearing; a declined card issues nothing; the customer's return and the webhook racing each
other issue one voucher (50 times); a voucher that cannot be issued is refunded through the
API; an abandoned payment is cancelled at Stripe and here."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from pathlib import Path

import pytest

from node.clock import new_id
from node.compliance import refund_actions
from node.errors import BusinessAbolished, PaymentNotFound, ProductLimitReached, ProductSoldOut
from node.ledger import queries as ledger_queries
from node.ledger.model import PROMOTION_ACCOUNT, psp_account, voucher_account
from node.payments import actions, operations, queries
from node.payments.model import IntentView, PaymentStatus
from node.products import operations as product_operations
from tests.payments_helpers import Shop, account_balances, card_shop, stripe_get
from tests.stripe_server import card, intent_event, post_webhook, signed

VISA = "4242424242424242"
DECLINED = "4000000000000341"  # localstripe declines this one when charged
THREE_D_SECURE = "4000002500003155"
PSP = psp_account("stripe")


async def _paid_not_settled(shop: Shop, product_id: str, customer_id: str) -> str:
    """A payment charged at Stripe whose result nobody has brought back yet: its id."""
    product = await actions.product_on_sale(shop.node, product_id)
    now = shop.clock.now()
    payment = actions.new_payment(product, customer_id, new_id(shop.node.rng, "cp"), now)
    await shop.node.require_writer().submit(operations.start(payment, shop.node.settings.zone))
    intent = await shop.gateway.pay(payment, await card(shop.api_base, VISA))
    assert intent.status == "succeeded"
    attach = operations.attach_intent(payment.payment_id, intent.intent_id, now)
    await shop.node.require_writer().submit(attach)
    return payment.payment_id


async def test_a_card_purchase_issues_one_voucher_and_books_it(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        product = await shop.product(10_000, 9_500)
        customer = await shop.customer()
        method = await card(shop.api_base, VISA)
        payment, _ = await actions.buy(shop.node, shop.gateway, customer, product, method)
        assert payment.status == PaymentStatus.ISSUED
        assert payment.voucher_id is not None and payment.intent_id is not None
        voucher = await ledger_queries.get_voucher(shop.node.require_reader(), payment.voucher_id)
        assert voucher is not None
        assert (voucher.face_yen, voucher.price_yen, voucher.holder_id) == (10_000, 9_500, customer)
        again = await actions.on_return(shop.node, shop.gateway, customer, payment.payment_id)
        assert again == payment  # the return changes nothing once issued
        balances = await account_balances(shop)
        assert balances[PSP] == 9_500
        assert balances[PROMOTION_ACCOUNT] == 500
        assert balances[voucher_account(voucher.voucher_id)] == -10_000
        assert sum(balances.values()) == 0
        intent = await stripe_get(shop, f"/v1/payment_intents/{payment.intent_id}")
        assert intent["amount"] == 9_500 and intent["currency"] == "jpy"
        headers = {"Authorization": f"Bearer {shop.node.admin_token}"}
        url = f"{shop.base_url}/api/v1/payments?status=issued"
        async with shop.session.get(url, headers=headers) as response:
            listed = (await response.json())["payments"]
        assert [(p["payment_id"], p["voucher_id"], p["amount_yen"]) for p in listed] == [
            (payment.payment_id, voucher.voucher_id, 9_500)
        ]
        assert intent["metadata"] == {
            "payment_id": payment.payment_id,
            "product_id": product.product_id,
            "customer_id": customer,
        }


async def test_a_declined_card_issues_nothing(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        product = await shop.product(10_000, 9_500)
        customer = await shop.customer()
        method = await card(shop.api_base, DECLINED)
        payment, _ = await actions.buy(shop.node, shop.gateway, customer, product, method)
        assert payment.status == PaymentStatus.FAILED
        assert payment.failure_code == "card_declined"
        assert payment.voucher_id is None
        assert await ledger_queries.list_vouchers(shop.node.require_reader(), customer) == []
        assert PSP not in await account_balances(shop)


async def test_the_return_and_the_webhook_racing_issue_one_voucher(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        product = await shop.product(10_000, 9_500)
        customer = await shop.customer()
        for attempt in range(50):
            payment_id = await _paid_not_settled(shop, product.product_id, customer)
            stored = await queries.get_payment(shop.node.require_reader(), payment_id)
            assert stored is not None and stored.intent_id is not None
            intent = await stripe_get(shop, f"/v1/payment_intents/{stored.intent_id}")
            event = intent_event(f"evt_race_{attempt}", intent, "payment_intent.succeeded")
            payload, signature = signed(event)
            returned, (status, answer) = await asyncio.gather(
                actions.on_return(shop.node, shop.gateway, customer, payment_id),
                post_webhook(shop.session, shop.base_url, payload, signature),
            )
            assert status == 200 and answer["already_processed"] is False
            settled = await queries.get_payment(shop.node.require_reader(), payment_id)
            assert settled is not None and settled.status == PaymentStatus.ISSUED
            assert returned.voucher_id == settled.voucher_id
            vouchers = await ledger_queries.list_vouchers(shop.node.require_reader(), customer)
            assert len(vouchers) == attempt + 1, f"attempt {attempt}: {len(vouchers)} vouchers"
        balances = await account_balances(shop)
        assert balances[PSP] == 50 * 9_500
        assert sum(balances.values()) == 0


async def test_a_voucher_that_cannot_be_issued_is_refunded(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        product = await shop.product(10_000, 9_500)
        customer = await shop.customer()
        payment_id = await _paid_not_settled(shop, product.product_id, customer)
        retire = product_operations.retire_product(product.product_id, shop.clock.now())
        await shop.node.require_writer().submit(retire)  # retired while the customer paid
        payment = await actions.on_return(shop.node, shop.gateway, customer, payment_id)
        assert payment.status == PaymentStatus.REFUNDED
        assert payment.refund_reason == "product.not_on_sale"
        assert payment.refund_id is not None and payment.voucher_id is None
        refunds = await stripe_get(shop, f"/v1/refunds?payment_intent={payment.intent_id}")
        assert [r["id"] for r in refunds["data"]] == [payment.refund_id]  # type: ignore[index, union-attr]
        assert await ledger_queries.list_vouchers(shop.node.require_reader(), customer) == []
        again = await actions.on_return(shop.node, shop.gateway, customer, payment_id)
        assert again == payment  # refunded once; nothing more


async def test_no_card_is_charged_once_an_abolition_is_announced(tmp_path: Path) -> None:
    """An abolition recorded: a new purchase is refused before any charge, and a payment
    charged just before it is refunded rather than issued (a voucher sold now could not be
    refunded lawfully)."""
    async with card_shop(tmp_path) as shop:
        product = await shop.product(10_000, 9_500)
        customer = await shop.customer()
        payment_id = await _paid_not_settled(shop, product.product_id, customer)
        await refund_actions.abolish(shop.node, "2026-12-01", "2027-01-30", "admin")
        method = await card(shop.api_base, VISA)
        with pytest.raises(BusinessAbolished):
            await actions.buy(shop.node, shop.gateway, customer, product, method)
        payment = await actions.on_return(shop.node, shop.gateway, customer, payment_id)
        assert payment.status == PaymentStatus.REFUNDED
        assert payment.refund_reason == "refund.business_abolished"
        assert await ledger_queries.list_vouchers(shop.node.require_reader(), customer) == []
        headers = {"Authorization": f"Bearer {shop.node.admin_token}"}
        async with shop.session.get(f"{shop.base_url}/api/v1/payments", headers=headers) as got:
            listed = (await got.json())["payments"]
        assert [p["payment_id"] for p in listed] == [payment_id]  # the refused one never started


async def test_an_abandoned_payment_is_cancelled_and_issues_nothing(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        product = await shop.product(10_000, 9_500)
        customer = await shop.customer()
        method = await card(shop.api_base, THREE_D_SECURE)
        payment, intent = await actions.buy(shop.node, shop.gateway, customer, product, method)
        assert payment.status == PaymentStatus.PENDING
        assert intent is not None and intent.status == "requires_action"
        assert intent.client_secret
        shop.clock.advance(minutes=30)
        assert await actions.sweep(shop.node, shop.gateway) == 0  # not abandoned yet
        shop.clock.advance(minutes=31)
        assert await actions.sweep(shop.node, shop.gateway) == 1
        ended = await queries.get_payment(shop.node.require_reader(), payment.payment_id)
        assert ended is not None and ended.status == PaymentStatus.CANCELLED
        at_stripe = await stripe_get(shop, f"/v1/payment_intents/{intent.intent_id}")
        assert at_stripe["status"] == "canceled"
        assert await ledger_queries.list_vouchers(shop.node.require_reader(), customer) == []


async def test_the_same_form_posted_twice_charges_once(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        product = await shop.product(10_000, 9_500)
        customer = await shop.customer()
        method = await card(shop.api_base, VISA)
        key = new_id(shop.node.rng, "cp")
        first, _ = await actions.buy(shop.node, shop.gateway, customer, product, method, key)
        again, _ = await actions.buy(shop.node, shop.gateway, customer, product, method, key)
        assert first.status == PaymentStatus.ISSUED and again == first
        intents = await stripe_get(shop, "/v1/payment_intents")
        assert len(intents["data"]) == 1  # type: ignore[arg-type]
        assert len(await ledger_queries.list_vouchers(shop.node.require_reader(), customer)) == 1
        other = await shop.customer("佐藤次郎")
        with pytest.raises(PaymentNotFound):  # another customer posting that key finds nothing
            await actions.buy(shop.node, shop.gateway, other, product, method, key)


async def test_a_payment_charged_but_never_linked_is_found_at_stripe_and_issued(
    tmp_path: Path,
) -> None:
    """Stripe charged, but our side never noted the intent (a timeout after the charge, a
    crash before attach_intent): the sweep finds the intent by its metadata and issues."""
    async with card_shop(tmp_path) as shop:
        product = await shop.product(10_000, 9_500)
        customer = await shop.customer()
        payment = actions.new_payment(product, customer, "cp_unlinked", shop.clock.now())
        await shop.node.require_writer().submit(operations.start(payment, shop.node.settings.zone))
        charged = await shop.gateway.pay(payment, await card(shop.api_base, VISA))
        assert charged.status == "succeeded"
        await _paid_not_settled(shop, product.product_id, await shop.customer("佐藤次郎"))
        shop.clock.advance(minutes=61)
        await actions.sweep(shop.node, shop.gateway)
        found = await queries.get_payment(shop.node.require_reader(), "cp_unlinked")
        assert found is not None and found.status == PaymentStatus.ISSUED
        assert found.intent_id == charged.intent_id and found.voucher_id is not None


async def test_a_payment_stripe_never_made_is_cancelled_by_the_sweep(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        product = await shop.product(10_000, 9_500)
        customer = await shop.customer()
        payment = actions.new_payment(product, customer, "cp_never", shop.clock.now())
        await shop.node.require_writer().submit(operations.start(payment, shop.node.settings.zone))
        shop.clock.advance(minutes=61)
        await actions.sweep(shop.node, shop.gateway)
        ended = await queries.get_payment(shop.node.require_reader(), "cp_never")
        assert ended is not None and ended.status == PaymentStatus.CANCELLED


async def test_a_charge_of_the_wrong_amount_is_refunded_not_left_pending(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        product = await shop.product(10_000, 9_500)
        customer = await shop.customer()
        payment = actions.new_payment(product, customer, "cp_wrong", shop.clock.now())
        await shop.node.require_writer().submit(operations.start(payment, shop.node.settings.zone))
        method = await card(shop.api_base, VISA)
        intent = await shop.gateway.pay(replace(payment, amount_yen=9_000), method)
        attach = operations.attach_intent(payment.payment_id, intent.intent_id, shop.clock.now())
        await shop.node.require_writer().submit(attach)
        ended = await actions.on_return(shop.node, shop.gateway, customer, "cp_wrong")
        assert ended.status == PaymentStatus.REFUNDED
        assert ended.refund_reason == "payment.mismatch" and ended.voucher_id is None
        refunds = await stripe_get(shop, f"/v1/refunds?payment_intent={intent.intent_id}")
        assert [r["id"] for r in refunds["data"]] == [ended.refund_id]  # type: ignore[index, union-attr]
        assert await ledger_queries.list_vouchers(shop.node.require_reader(), customer) == []


async def test_a_refund_stripe_refuses_for_good_needs_attention(tmp_path: Path) -> None:
    """A refund Stripe will never make (here: its intent is gone) is not retried for ever: head
    office sees it as needing attention, and the sweep leaves it to them."""
    async with card_shop(tmp_path) as shop:
        product = await shop.product(10_000, 9_500)
        customer = await shop.customer()
        payment = actions.new_payment(product, customer, "cp_gone", shop.clock.now())
        await shop.node.require_writer().submit(operations.start(payment, shop.node.settings.zone))
        gone = IntentView("pi_gone", "succeeded", 9_000, "jpy", "cp_gone")  # a mismatch: refund
        now = shop.clock.now()
        settle = operations.settle("cp_gone", gone, actions.sell_for(shop.node, now), now)
        refunding = await shop.node.require_writer().submit(settle)
        assert refunding.status == PaymentStatus.REFUNDING
        shop.clock.advance(minutes=5)
        assert await actions.sweep(shop.node, shop.gateway) == 1
        stuck = await queries.get_payment(shop.node.require_reader(), "cp_gone")
        assert stuck is not None and stuck.status == PaymentStatus.REFUNDING
        assert stuck.attention is not None and stuck.attention.startswith("refund_refused:")
        assert await actions.sweep(shop.node, shop.gateway) == 0
        headers = {"Authorization": f"Bearer {shop.node.admin_token}"}
        async with shop.session.get(f"{shop.base_url}/api/v1/payments", headers=headers) as got:
            listed = (await got.json())["payments"]
        assert [p["attention"] for p in listed] == [stuck.attention]


async def test_a_purchase_over_the_limit_or_sold_out_is_refused_before_any_charge(
    tmp_path: Path,
) -> None:
    """The customer's limit counts the purchase still being paid (here: waiting for 3-D
    Secure): a second one is refused before Stripe is asked; so is a product sold out."""
    async with card_shop(tmp_path) as shop:
        product = await shop.product(10_000, 9_500, limit_count=1)
        customer = await shop.customer()
        method = await card(shop.api_base, THREE_D_SECURE)
        first, _ = await actions.buy(shop.node, shop.gateway, customer, product, method)
        assert first.status == PaymentStatus.PENDING
        with pytest.raises(ProductLimitReached):
            await actions.buy(shop.node, shop.gateway, customer, product, method)
        none_left = await shop.product(5_000, 5_000, stock=0)
        with pytest.raises(ProductSoldOut):
            await actions.buy(shop.node, shop.gateway, customer, none_left, method)
        intents = await stripe_get(shop, "/v1/payment_intents")
        assert len(intents["data"]) == 1  # type: ignore[arg-type]
        listed = await queries.list_payments(shop.node.require_reader())
        assert [p.payment_id for p in listed] == [first.payment_id]


async def test_a_debug_logging_config_never_logs_stripes_bodies(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # the root at DEBUG, as a verbose logging config would
    async with card_shop(tmp_path) as shop:
        product = await shop.product(10_000, 9_500)
        customer = await shop.customer()
        method = await card(shop.api_base, THREE_D_SECURE)
        _, intent = await actions.buy(shop.node, shop.gateway, customer, product, method)
        assert intent is not None and intent.client_secret
        assert intent.client_secret not in caplog.text
        assert not [r for r in caplog.records if r.name.startswith("stripe")]
