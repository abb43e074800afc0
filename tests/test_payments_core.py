"""Card payments' pure rules (node/payments/core.py, model.py): the lifecycle moves only along
ALLOWED_PAYMENT_TRANSITIONS, whatever Stripe reports a final payment never issues again, a paid
intent issues only for the purchase's own amount in yen, and a payment is abandoned after an hour."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from node.config.model import StripeConfig
from node.errors import IllegalTransition
from node.ledger.model import PSP_FEE_ACCOUNT, EntryKind, psp_account
from node.ledger.payouts import book_psp_fee
from node.payments import core
from node.payments.core import Next
from node.payments.model import (
    ALLOWED_PAYMENT_TRANSITIONS,
    CardPayment,
    IntentView,
    PaymentStatus,
)
from node.web.shop import card_policy

NOW = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
STRIPE_STATUSES = (
    "succeeded",
    "requires_action",
    "requires_payment_method",
    "requires_confirmation",
    "processing",
    "canceled",
)


def _payment(status: PaymentStatus = PaymentStatus.PENDING) -> CardPayment:
    return CardPayment(
        "cp_1",
        "pi_1",
        "cu_1",
        "pr_1",
        9_500,
        10_000,
        status,
        None,
        None,
        None,
        None,
        None,
        NOW,
        NOW,
    )


def _intent(status: str, amount: int = 9_500, currency: str = "jpy") -> IntentView:
    return IntentView("pi_1", status, amount, currency, "cp_1")


@given(st.sampled_from(PaymentStatus), st.sampled_from(PaymentStatus))
def test_only_the_listed_transitions_are_allowed(start: PaymentStatus, end: PaymentStatus) -> None:
    payment = _payment(start)
    if start == end or (start, end) in ALLOWED_PAYMENT_TRANSITIONS:
        assert core.move(payment, end, NOW).status == end
    else:
        with pytest.raises(IllegalTransition):
            core.move(payment, end, NOW)


@given(st.sampled_from(PaymentStatus), st.sampled_from(STRIPE_STATUSES))
def test_only_a_pending_payment_issues(status: PaymentStatus, stripe_status: str) -> None:
    step = core.next_step(_payment(status), _intent(stripe_status))
    if step == Next.ISSUE:
        assert status == PaymentStatus.PENDING and stripe_status == "succeeded"
    if status in (PaymentStatus.ISSUED, PaymentStatus.REFUNDING, PaymentStatus.REFUNDED):
        assert step == Next.NOTHING


def test_what_each_stripe_status_means_for_a_pending_payment() -> None:
    meaning = {s: core.next_step(_payment(), _intent(s)) for s in STRIPE_STATUSES}
    assert meaning == {
        "succeeded": Next.ISSUE,
        "requires_action": Next.WAIT,
        "requires_payment_method": Next.FAIL,
        "requires_confirmation": Next.WAIT,
        "processing": Next.WAIT,
        "canceled": Next.CANCEL,
    }


@pytest.mark.parametrize("status", [PaymentStatus.FAILED, PaymentStatus.CANCELLED])
def test_paid_after_we_gave_up_is_refunded_never_issued(status: PaymentStatus) -> None:
    assert core.next_step(_payment(status), _intent("succeeded")) == Next.REFUND
    assert core.next_step(_payment(status), _intent("canceled")) == Next.NOTHING
    # Given up before its intent was known (Stripe unreachable when it was created): refunded too.
    unknown = replace(_payment(status), intent_id=None)
    assert core.next_step(unknown, _intent("succeeded")) == Next.REFUND
    other = replace(_intent("succeeded"), intent_id="pi_other")
    assert core.next_step(_payment(status), other) == Next.NOTHING


@given(st.integers(1, 10**7), st.sampled_from(["jpy", "usd", "JPY", ""]))
def test_a_paid_intent_issues_only_for_its_own_amount_in_yen(amount: int, currency: str) -> None:
    """A charge of the wrong amount or currency is refunded (never issued, never left pending);
    a paid intent that is not the payment's own changes nothing of it."""
    intent = _intent("succeeded", amount, currency)
    expected = Next.ISSUE if (amount, currency) == (9_500, "jpy") else Next.MISMATCH
    assert core.next_step(_payment(), intent) == expected
    assert core.next_step(replace(_payment(), intent_id=None), intent) == expected
    other = replace(_intent("succeeded"), intent_id="pi_other")
    assert core.next_step(_payment(), other) == Next.NOTHING


@given(st.integers(0, 7200))
def test_a_pending_payment_is_abandoned_after_an_hour(seconds: int) -> None:
    later = NOW + timedelta(seconds=seconds)
    assert core.is_abandoned(_payment(), later) == (seconds >= 3600)
    assert not core.is_abandoned(_payment(PaymentStatus.ISSUED), later)


@given(st.integers(1, 10**6))
def test_a_fee_entry_balances_expense_against_the_clearing(fee: int) -> None:
    outcome = book_psp_fee("stripe", fee, NOW, "tx_1")
    assert outcome.vouchers == ()
    assert outcome.entry.kind == EntryKind.PSP_FEE and outcome.entry.is_balanced
    lines = {p.account: p.amount_yen for p in outcome.entry.postings}
    assert lines == {PSP_FEE_ACCOUNT: fee, psp_account("stripe"): -fee}


def test_the_card_pages_widen_the_csp_for_stripe_js_alone() -> None:
    real = card_policy(StripeConfig("sk_live_x", "pk_live_x", "whsec_x"))
    assert "script-src 'self' https://js.stripe.com;" in real
    assert "connect-src 'self' https://api.stripe.com;" in real
    assert "frame-src https://js.stripe.com https://hooks.stripe.com;" in real
    assert "frame-ancestors 'none'" in real and "'unsafe-inline'" not in real
    local = card_policy(
        StripeConfig(
            "sk_test_x",
            "pk_test_x",
            "whsec_x",
            "http://127.0.0.1:8420",
            "http://127.0.0.1:8420/js.stripe.com/v3/",
        )
    )
    assert "script-src 'self' http://127.0.0.1:8420;" in local
    assert "frame-src http://127.0.0.1:8420;" in local


def test_a_client_secret_is_never_in_a_repr() -> None:
    intent = IntentView("pi_1", "requires_action", 9_500, "jpy", "cp_1", "pi_1_secret_abc")
    assert "pi_1_secret_abc" not in repr(intent)
