"""Suspend (a lost phone), resume and extend a voucher: the pure rules with hypothesis, and the
admin API on a real node: a suspended voucher is refused at our counter, by a partner's claim,
for a gift and for a QR code; resuming gives it back whole; an expiry only moves later; every
change is logged with its reason and actor; no yen moves and the books stay balanced."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from node.errors import (
    ExpiryNotLater,
    VoucherExpired,
    VoucherNotActive,
    VoucherNotSuspended,
    VoucherSuspended,
)
from node.ledger import changes
from node.ledger.changes import ChangeKind, ChangeRequest
from node.ledger.model import Voucher, VoucherStatus
from tests.conftest import AsyncNode, NodeFactory
from tests.settlement_helpers import (
    claim_at,
    deliver,
    payload,
    store_of,
    two_partners,
    voucher_of,
)
from tests.test_bad_input import expect_refusal, make_world, ok, payload_of

NOW = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
EXPIRY = datetime(2026, 12, 24, 15, 0, tzinfo=UTC)


def a_voucher(status: VoucherStatus = VoucherStatus.ACTIVE, **terms: object) -> Voucher:
    fields: dict[str, object] = {
        "voucher_id": "123412341234",
        "face_yen": 10_000,
        "price_yen": 10_000,
        "balance_yen": 10_000 if status == VoucherStatus.ACTIVE else 0,
        "status": status,
        "holder_id": None,
        "store_id": None,
        "created_at": NOW - timedelta(days=1),
        "expires_at": EXPIRY,
        "is_gift": False,
        "has_given_gift": False,
        "gifted_from": None,
        "secret": b"s" * 32,
    }
    fields.update(terms)
    return Voucher(**fields)  # type: ignore[arg-type]


ASK = ChangeRequest("123412341234", "紛失", "admin", "vc_1")


@given(st.lists(st.sampled_from(["suspend", "resume"]), max_size=12))
def test_suspension_toggles_and_never_touches_value_or_terms(steps: list[str]) -> None:
    voucher = a_voucher()
    for step in steps:
        is_suspended = voucher.suspended_at is not None
        try:
            after, change = (changes.suspend if step == "suspend" else changes.resume)(
                voucher, ASK, NOW
            )
        except VoucherSuspended:
            assert step == "suspend" and is_suspended
            continue
        except VoucherNotSuspended:
            assert step == "resume" and not is_suspended
            continue
        assert change.kind == ChangeKind(step) and change.reason == "紛失"
        assert (after.suspended_at is not None) == (step == "suspend")
        assert (after.balance_yen, after.status, after.expires_at) == (
            voucher.balance_yen,
            voucher.status,
            voucher.expires_at,
        )
        voucher = after


@given(st.integers(min_value=-400, max_value=400))
def test_an_expiry_moves_later_only(days: int) -> None:
    target = EXPIRY + timedelta(days=days)
    if days <= 0:
        with pytest.raises(ExpiryNotLater):
            changes.extend(a_voucher(), ASK, target, NOW)
        return
    after, change = changes.extend(a_voucher(), ASK, target, NOW)
    assert after.expires_at == target and after.balance_yen == 10_000
    assert (change.expires_before, change.expires_after) == (EXPIRY, target)


@pytest.mark.parametrize(
    ("status", "refusal"),
    [(VoucherStatus.EXPIRED, VoucherExpired), (VoucherStatus.VOID, VoucherNotActive)],
)
def test_an_expired_or_void_voucher_is_neither_held_resumed_nor_extended(
    status: VoucherStatus, refusal: type[Exception]
) -> None:
    """Issue 15 review: an expired voucher now answers voucher.expired (was voucher.not_active),
    the same code as one past its expiry that the sweep has not marked yet; a void one can no
    longer be resumed."""
    with pytest.raises(refusal):
        changes.suspend(a_voucher(status), ASK, NOW)
    with pytest.raises(refusal):
        changes.extend(a_voucher(status), ASK, EXPIRY + timedelta(days=1), NOW)
    with pytest.raises(refusal):
        changes.resume(a_voucher(status, suspended_at=NOW - timedelta(hours=1)), ASK, NOW)


@pytest.mark.parametrize("status", [VoucherStatus.ACTIVE, VoucherStatus.EXHAUSTED])
@pytest.mark.parametrize("past", [timedelta(0), timedelta(days=3)])
def test_a_voucher_past_its_expiry_is_expired_before_the_sweep_too(
    status: VoucherStatus, past: timedelta
) -> None:
    """Not yet swept (still active) but at or past its expiry: the same answer as after the
    sweep. An extension never revives it (its remainder is breakage)."""
    later = EXPIRY + past
    held = a_voucher(status, suspended_at=NOW)
    with pytest.raises(VoucherExpired):
        changes.extend(a_voucher(status), ASK, later + timedelta(days=30), later)
    with pytest.raises(VoucherExpired):
        changes.suspend(a_voucher(status), ASK, later)
    with pytest.raises(VoucherExpired):
        changes.resume(held, ASK, later)
    # A second before its expiry it is still a voucher: extended, suspended, resumed.
    just_before = EXPIRY - timedelta(seconds=1)
    after, _ = changes.extend(a_voucher(status), ASK, EXPIRY + timedelta(days=30), just_before)
    assert after.expires_at == EXPIRY + timedelta(days=30)
    assert changes.resume(held, ASK, just_before)[0].suspended_at is None


def test_a_voucher_without_expiry_cannot_be_extended() -> None:
    with pytest.raises(ExpiryNotLater):
        changes.extend(a_voucher(expires_at=None), ASK, EXPIRY, NOW)


async def test_a_suspended_voucher_is_refused_everywhere_until_resumed(anode: AsyncNode) -> None:
    world = await make_world(anode)
    voucher = world.voucher_id
    before = await ok(anode, "GET", "ledger/check")
    payload = await payload_of(anode, voucher)  # shown before the phone was lost
    changed = await ok(anode, "POST", f"vouchers/{voucher}/suspend", {"reason": "  紛失  "})
    assert (changed["kind"], changed["reason"], changed["actor"]) == (
        "suspend",
        "紛失",
        "api",
    )
    shown = await ok(anode, "GET", f"vouchers/{voucher}")
    assert shown["suspended_at"] is not None and shown["balance"] == 10_000

    spend = {"payload": payload, "amount": 100, "store_id": world.store_id}
    await expect_refusal(anode, 409, "voucher.suspended", "POST", "redemptions", spend)
    await expect_refusal(anode, 409, "voucher.suspended", "GET", f"vouchers/{voucher}/code")
    gift = {"to": world.friend_id}
    await expect_refusal(anode, 409, "voucher.suspended", "POST", f"vouchers/{voucher}/gift", gift)
    again = {"reason": "二度目"}
    await expect_refusal(
        anode, 409, "voucher.suspended", "POST", f"vouchers/{voucher}/suspend", again
    )
    assert await ok(anode, "GET", "ledger/check") == before

    anode.clock.advance(seconds=1)
    await ok(anode, "POST", f"vouchers/{voucher}/resume", {"reason": "見つかった"})
    await expect_refusal(
        anode, 409, "voucher.not_suspended", "POST", f"vouchers/{voucher}/resume", again
    )
    assert (await ok(anode, "POST", "redemptions", spend))["amount"] == 100
    log = (await ok(anode, "GET", f"vouchers/{voucher}/changes"))["changes"]
    assert [c["kind"] for c in log] == ["resume", "suspend"]
    check = await ok(anode, "GET", "ledger/check")
    assert check["ok"] is True
    assert check["voucher_liability"] == before["voucher_liability"] - 100


async def test_an_extension_needs_a_later_day_and_a_reason(anode: AsyncNode) -> None:
    made = await ok(anode, "POST", "vouchers", {"amount": 5_000, "valid_days": 1})
    path = f"vouchers/{made['voucher_id']}/extend"
    assert made["expires_at"] == "2026-11-25T15:00:00Z"
    for body, status, code in [
        ({"expires_on": "2026-11-25", "reason": "x"}, 422, "voucher.expiry_not_later"),
        ({"expires_on": "2026-11-20", "reason": "x"}, 422, "voucher.expiry_not_later"),
        ({"expires_on": "2026-02-30", "reason": "x"}, 422, "request.invalid_date"),
        ({"expires_on": "2026-12-31"}, 400, "request.invalid"),
        ({"expires_on": "2026-12-31", "reason": "   "}, 400, "request.invalid"),
    ]:
        await expect_refusal(anode, status, code, "POST", path, body)
    changed = await ok(anode, "POST", path, {"expires_on": "2026-12-31", "reason": "ご要望"})
    assert changed["expires_after"] == "2026-12-31T15:00:00Z"  # through 31 Dec, Tokyo
    assert changed["expires_before"] == "2026-11-25T15:00:00Z"
    shown = await ok(anode, "GET", f"vouchers/{made['voucher_id']}")
    assert shown["expires_at"] == "2026-12-31T15:00:00Z"
    await expect_refusal(anode, 404, "voucher.not_found", "POST", "vouchers/999999999999/extend",
                         {"expires_on": "2026-12-31", "reason": "x"})  # fmt: skip


async def test_a_voucher_past_its_expiry_is_not_extended_before_or_after_the_sweep(
    anode: AsyncNode,
) -> None:
    made = await ok(anode, "POST", "vouchers", {"amount": 5_000, "valid_days": 1})
    path = f"vouchers/{made['voucher_id']}/extend"
    body = {"expires_on": "2026-12-31", "reason": "ご要望"}
    anode.clock.advance(seconds=2 * 86_400)  # past 2026-11-25T15:00Z; the sweep has not run
    before = await ok(anode, "GET", "ledger/check")
    await expect_refusal(anode, 409, "voucher.expired", "POST", path, body)
    await ok(anode, "POST", "vouchers/expire", {})
    await expect_refusal(anode, 409, "voucher.expired", "POST", path, body)  # the same answer
    shown = await ok(anode, "GET", f"vouchers/{made['voucher_id']}")
    assert shown["expires_at"] == "2026-11-25T15:00:00Z"
    log = await ok(anode, "GET", f"vouchers/{made['voucher_id']}/changes")
    assert log["changes"] == []
    after = await ok(anode, "GET", "ledger/check")
    assert after["ok"] is True and before["ok"] is True


async def test_a_partner_claim_on_a_suspended_voucher_is_rejected(nodes: NodeFactory) -> None:
    a, b = await two_partners(nodes)
    await store_of(a, "A 本店")
    store_b = await store_of(b, "B 駅前店")
    ours = await voucher_of(a, 5_000)
    shown = await payload(a, ours)  # on the phone before it was lost
    await ok(a, "POST", f"vouchers/{ours}/suspend", {"reason": "紛失"})
    body = {"payload": shown, "amount": 1_000, "store_id": store_b}
    status, answer = await b.call("POST", "redemptions", body)
    if status == 202:  # still pending: let B push it again and A decide
        await deliver(nodes.clock, b, seconds=5)
        answer = await claim_at(b, str(answer["claim_id"]))
    assert answer.get("status") == "REJECTED" or status == 409, answer
    assert "voucher.suspended" in str(answer), answer
    assert (await ok(a, "GET", f"vouchers/{ours}"))["balance"] == 5_000
