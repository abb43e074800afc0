"""Stripe's webhook at `POST /stripe/webhook` on a real node against localstripe (node tier):
localstripe's own signed `payment_intent.succeeded` issues the voucher; a forged, altered or
unsigned event gets 400 and changes nothing; a replayed one 200 `already_processed` and changes
nothing; the fee from a recorded `charge.updated` payload (localstripe sends no charge events
and every fee is 0 there) is booked once as a balanced `psp_fee` entry."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from node.ledger import queries as ledger_queries
from node.ledger.model import PSP_FEE_ACCOUNT, psp_account
from node.payments import actions, queries
from node.payments.model import PaymentStatus
from tests.payments_helpers import Shop, account_balances, card_shop, stripe_get
from tests.stripe_server import (
    WEBHOOK_SECRET,
    card,
    intent_event,
    post_webhook,
    register_webhook,
    signed,
)
from tests.test_payments_flow import _paid_not_settled

RECORDED = Path(__file__).parent / "fixtures" / "stripe_charge_updated.json"
PSP = psp_account("stripe")


async def _succeeded_event(shop: Shop, payment_id: str, event_id: str) -> tuple[bytes, str]:
    payment = await queries.get_payment(shop.node.require_reader(), payment_id)
    assert payment is not None
    intent = await stripe_get(shop, f"/v1/payment_intents/{payment.intent_id}")
    return signed(intent_event(event_id, intent, "payment_intent.succeeded"))


async def _state(shop: Shop, customer: str) -> tuple[object, ...]:
    reader = shop.node.require_reader()
    return (
        await queries.list_payments(reader),
        await ledger_queries.list_vouchers(reader, customer),
        await account_balances(shop),
        await reader.execute_fetchall("SELECT event_id FROM stripe_events ORDER BY event_id"),
    )


async def test_localstripes_own_webhook_issues_the_voucher(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        await register_webhook(shop.api_base, f"{shop.base_url}/stripe/webhook")
        product = await shop.product(10_000, 9_500)
        customer = await shop.customer()
        issued = asyncio.Event()
        writer = shop.node.require_writer()
        writer.listeners.append(issued.set)
        payment_id = await _paid_not_settled(shop, product.product_id, customer)
        while True:  # each commit wakes us; the webhook's is the one that issues
            issued.clear()
            payment = await queries.get_payment(shop.node.require_reader(), payment_id)
            assert payment is not None
            if payment.status != PaymentStatus.PENDING:
                break
            await asyncio.wait_for(issued.wait(), timeout=15)
        assert payment.status == PaymentStatus.ISSUED
        events = await shop.node.require_reader().execute_fetchall(
            "SELECT event_type FROM stripe_events"
        )
        assert [e["event_type"] for e in events] == ["payment_intent.succeeded"]


async def test_a_forged_or_altered_webhook_changes_nothing(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        product = await shop.product(10_000, 9_500)
        customer = await shop.customer()
        payment_id = await _paid_not_settled(shop, product.product_id, customer)
        before = await _state(shop, customer)
        payload, signature = await _succeeded_event(shop, payment_id, "evt_forged")
        forged_payload, forged = signed(json.loads(payload), secret="whsec_someone_else")
        altered = payload.replace(b'"amount": 9500', b'"amount": 1')
        for body, header in (
            (forged_payload, forged),
            (altered, signature),
            (payload, ""),
            (payload, "t=1,v1=00"),
            (b"not json", signature),
        ):
            status, answer = await post_webhook(shop.session, shop.base_url, body, header)
            assert (status, answer["error"]["code"]) == (400, "payment.bad_signature")
        assert await _state(shop, customer) == before
        big = b"x" * (300 * 1024)
        status, answer = await post_webhook(shop.session, shop.base_url, big, signature)
        assert (status, answer["error"]["code"]) == (413, "payment.webhook_too_large")
        assert await _state(shop, customer) == before


async def test_a_replayed_webhook_changes_nothing(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        product = await shop.product(10_000, 9_500)
        customer = await shop.customer()
        payment_id = await _paid_not_settled(shop, product.product_id, customer)
        payload, signature = await _succeeded_event(shop, payment_id, "evt_once")
        status, answer = await post_webhook(shop.session, shop.base_url, payload, signature)
        assert (status, answer) == (200, {"received": True, "already_processed": False})
        after_first = await _state(shop, customer)
        assert len(after_first[1]) == 1  # type: ignore[arg-type]
        for _ in range(3):
            status, answer = await post_webhook(shop.session, shop.base_url, payload, signature)
            assert (status, answer) == (200, {"received": True, "already_processed": True})
        assert await _state(shop, customer) == after_first
        # The same payment told again under a new event id: processed, and still one voucher.
        payload, signature = await _succeeded_event(shop, payment_id, "evt_twice")
        status, answer = await post_webhook(shop.session, shop.base_url, payload, signature)
        assert (status, answer["already_processed"]) == (200, False)
        vouchers = await ledger_queries.list_vouchers(shop.node.require_reader(), customer)
        assert len(vouchers) == 1


async def test_the_fee_stripe_reports_is_booked_once(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        product = await shop.product(10_000, 9_500)
        customer = await shop.customer()
        method = await card(shop.api_base, "4242424242424242")
        payment, _ = await actions.buy(shop.node, shop.gateway, customer, product, method)
        assert payment.status == PaymentStatus.ISSUED and payment.intent_id
        recorded = RECORDED.read_text(encoding="utf-8").replace(
            "PAYMENT_INTENT_ID", payment.intent_id
        )
        event = json.loads(recorded)
        payload, signature = signed(event, WEBHOOK_SECRET)
        status, _ = await post_webhook(shop.session, shop.base_url, payload, signature)
        assert status == 200
        booked = await queries.get_payment(shop.node.require_reader(), payment.payment_id)
        assert booked is not None and booked.fee_yen == 342
        balances = await account_balances(shop)
        assert balances[PSP_FEE_ACCOUNT] == 342
        assert balances[PSP] == 9_500 - 342
        assert sum(balances.values()) == 0
        event["id"], event["type"] = "evt_3QkippuRecorded0002", "charge.succeeded"
        payload, signature = signed(event, WEBHOOK_SECRET)
        status, answer = await post_webhook(shop.session, shop.base_url, payload, signature)
        assert (status, answer["already_processed"]) == (200, False)
        assert await account_balances(shop) == balances  # once per payment
        entries = await shop.node.require_reader().execute_fetchall(
            "SELECT COUNT(*) AS n FROM journal WHERE kind = 'psp_fee'"
        )
        assert next(iter(entries))["n"] == 1
