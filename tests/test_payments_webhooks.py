"""Stripe's webhook at `POST /stripe/webhook` on a real node against localstripe (node tier):
localstripe's own signed `payment_intent.succeeded` issues the voucher; a forged, altered or
unsigned event gets 400 and changes nothing; a replayed one 200 `already_processed` and changes
nothing; the fee from a recorded `charge.updated` payload (localstripe sends no charge events
and every fee is 0 there) is booked once as a balanced `psp_fee` entry."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, cast

from node.ledger import queries as ledger_queries
from node.ledger.model import PSP_FEE_ACCOUNT, psp_account
from node.payments import actions, operations, queries
from node.payments.model import CardPayment, PaymentStatus
from node.web.shop import purchase_receipt
from tests.payments_helpers import Shop, account_balances, card_shop, stripe_get
from tests.stripe_server import (
    WEBHOOK_SECRET,
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


async def _issued_fee_unknown(shop: Shop, customer: str) -> CardPayment:
    """A payment issued whose fee nobody has read yet (the read failed when it was settled)."""
    product = await shop.product(10_000, 9_500)
    payment_id = await _paid_not_settled(shop, product.product_id, customer)
    linked = await queries.get_payment(shop.node.require_reader(), payment_id)
    assert linked is not None and linked.intent_id is not None
    intent = await shop.gateway.retrieve(linked.intent_id)
    now = shop.clock.now()
    settle = operations.settle(payment_id, intent, actions.sell_for(shop.node, now), now)
    payment = await shop.node.require_writer().submit(settle)
    assert payment.status == PaymentStatus.ISSUED and payment.fee_yen is None
    return payment


def _recorded(intent_id: str, event_id: str = "evt_3QkippuRecorded0001") -> dict[str, Any]:
    event = json.loads(RECORDED.read_text(encoding="utf-8").replace("PAYMENT_INTENT_ID", intent_id))
    event["id"] = event_id
    return cast(dict[str, Any], event)


async def _events(shop: Shop) -> list[str]:
    rows = await shop.node.require_reader().execute_fetchall("SELECT event_id FROM stripe_events")
    return sorted(r["event_id"] for r in rows)


async def test_the_fee_stripe_reports_is_booked_once(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        customer = await shop.customer()
        payment = await _issued_fee_unknown(shop, customer)
        assert payment.intent_id is not None
        event = _recorded(payment.intent_id)
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


async def test_a_charge_event_before_its_payment_is_linked_is_sent_again(tmp_path: Path) -> None:
    """charge.succeeded often comes before payment_intent.succeeded: it is refused unrecorded
    (Stripe sends it again), and the fee is booked when it comes back."""
    async with card_shop(tmp_path) as shop:
        customer = await shop.customer()
        early = _recorded("pi_not_linked_yet", "evt_early")
        payload, signature = signed(early, WEBHOOK_SECRET)
        status, _ = await post_webhook(shop.session, shop.base_url, payload, signature)
        assert status >= 400 and await _events(shop) == []
        payment = await _issued_fee_unknown(shop, customer)
        assert payment.intent_id is not None
        payload, signature = signed(_recorded(payment.intent_id, "evt_early"), WEBHOOK_SECRET)
        status, _ = await post_webhook(shop.session, shop.base_url, payload, signature)
        assert status == 200 and await _events(shop) == ["evt_early"]
        booked = await queries.get_payment(shop.node.require_reader(), payment.payment_id)
        assert booked is not None and booked.fee_yen == 342


async def test_a_fee_stripe_cannot_read_is_not_dropped(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        customer = await shop.customer()
        payment = await _issued_fee_unknown(shop, customer)
        assert payment.intent_id is not None
        event = _recorded(payment.intent_id, "evt_unreadable")
        event["data"]["object"]["balance_transaction"] = "txn_localstripe_has_not"
        payload, signature = signed(event, WEBHOOK_SECRET)
        status, _ = await post_webhook(shop.session, shop.base_url, payload, signature)
        assert status >= 400 and await _events(shop) == []
        # The sweep reads it from the charge (localstripe's fee is 0) and books it once.
        await actions.sweep(shop.node, shop.gateway)
        booked = await queries.get_payment(shop.node.require_reader(), payment.payment_id)
        assert booked is not None and booked.fee_yen == 0


async def test_a_stale_failure_event_does_not_fail_a_paid_intent(tmp_path: Path) -> None:
    """A payment_failed delivered late, after the intent succeeded: the node asks Stripe where
    the intent is now and issues; it never fails a paid payment on an old snapshot."""
    async with card_shop(tmp_path) as shop:
        product = await shop.product(10_000, 9_500)
        customer = await shop.customer()
        payment_id = await _paid_not_settled(shop, product.product_id, customer)
        payment = await queries.get_payment(shop.node.require_reader(), payment_id)
        assert payment is not None
        intent = await stripe_get(shop, f"/v1/payment_intents/{payment.intent_id}")
        stale = {**intent, "status": "requires_payment_method"}
        event = intent_event("evt_stale_failure", stale, "payment_intent.payment_failed")
        payload, signature = signed(event)
        status, _ = await post_webhook(shop.session, shop.base_url, payload, signature)
        assert status == 200
        settled = await queries.get_payment(shop.node.require_reader(), payment_id)
        assert settled is not None and settled.status == PaymentStatus.ISSUED


async def test_the_receipt_is_dated_when_the_voucher_was_issued(tmp_path: Path) -> None:
    """The fee booked a day later moves the payment's `updated_at`, never its receipt's date."""
    async with card_shop(tmp_path) as shop:
        customer = await shop.customer()
        issued_at = shop.clock.now()
        payment = await _issued_fee_unknown(shop, customer)
        shop.clock.advance(hours=24)
        await actions.sweep(shop.node, shop.gateway)
        later = await queries.get_payment(shop.node.require_reader(), payment.payment_id)
        assert later is not None and later.fee_yen == 0 and later.updated_at > issued_at
        receipt = await purchase_receipt(shop.node, later)
        assert receipt.redeemed_at == issued_at


def _reversal(event_id: str, kind: str, intent_id: str) -> dict[str, Any]:
    """Stripe's charge.refunded / charge.dispute.created, as recorded (the fields we read)."""
    if kind == "charge.refunded":
        obj: dict[str, Any] = {
            "id": "ch_3QkippuRecorded0003",
            "object": "charge",
            "amount": 9500,
            "amount_refunded": 9500,
            "currency": "jpy",
            "payment_intent": intent_id,
            "refunded": True,
            "status": "succeeded",
        }
    else:
        obj = {
            "id": "dp_3QkippuRecorded0001",
            "object": "dispute",
            "amount": 9500,
            "charge": "ch_3QkippuRecorded0003",
            "currency": "jpy",
            "payment_intent": intent_id,
            "reason": "fraudulent",
            "status": "needs_response",
        }
    return {
        "id": event_id,
        "object": "event",
        "api_version": "2024-06-20",
        "created": 1796243400,
        "data": {"object": obj},
        "livemode": False,
        "type": kind,
    }


async def test_a_refund_or_dispute_at_stripe_suspends_the_issued_voucher(tmp_path: Path) -> None:
    async with card_shop(tmp_path) as shop:
        customer = await shop.customer()
        for n, kind in enumerate(("charge.refunded", "charge.dispute.created")):
            payment = await _issued_fee_unknown(shop, customer)
            assert payment.intent_id is not None and payment.voucher_id is not None
            event = _reversal(f"evt_reversal_{n}", kind, payment.intent_id)
            payload, signature = signed(event, WEBHOOK_SECRET)
            status, _ = await post_webhook(shop.session, shop.base_url, payload, signature)
            assert status == 200
            reader = shop.node.require_reader()
            voucher = await ledger_queries.get_voucher(reader, payment.voucher_id)
            assert voucher is not None and voucher.suspended_at is not None
            after = await queries.get_payment(reader, payment.payment_id)
            assert after is not None and after.attention == kind
            changes = await reader.execute_fetchall(
                "SELECT reason FROM voucher_changes WHERE voucher_id = ?", (payment.voucher_id,)
            )
            assert [kind in c["reason"] for c in changes] == [True]


async def test_the_sweep_stops_asking_for_a_fee_after_three_days(tmp_path: Path) -> None:
    """A charge Stripe never gives a balance transaction is not asked about for ever."""
    async with card_shop(tmp_path) as shop:
        customer = await shop.customer()
        payment = await _issued_fee_unknown(shop, customer)
        shop.clock.advance(hours=73)
        await actions.sweep(shop.node, shop.gateway)
        after = await queries.get_payment(shop.node.require_reader(), payment.payment_id)
        assert after is not None and after.fee_yen is None and after == payment
